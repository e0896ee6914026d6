import { FORMULA_TRIGGERS } from '../coerce/result';

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first, or their full-width
 * forms), made inert by a leading apostrophe, the mark Excel and LibreOffice use for "this is
 * text". Imports take the apostrophe off again (see cellString).
 */
export function inertText(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.includes(text[0]!) ? `'${text}` : text;
}

/** One CSV field: quoted when it holds the delimiter, a quote, a line break, or spaces at its ends. */
export function csvField(text: string, delimiter: string): string {
  const needs = text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') || /^\s|\s$/.test(text);
  return needs ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record with CRLF, as RFC 4180 and Excel write it. */
export function csvLine(fields: readonly string[], delimiter: string): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) line += (i ? delimiter : '') + csvField(fields[i]!, delimiter);
  return line + '\r\n';
}

/** Writes to a Node writable stream, waiting when its buffer is full. */
export async function writeChunk(output: NodeJS.WritableStream, chunk: string | Uint8Array): Promise<void> {
  if (!output.write(chunk))
    await new Promise<void>((resolve, reject) => {
      const done = (err?: unknown): void => {
        output.removeListener('drain', done);
        output.removeListener('error', done);
        if (err) reject(err);
        else resolve();
      };
      output.once('drain', done);
      output.once('error', done);
    });
}
