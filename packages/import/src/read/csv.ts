import Papa from 'papaparse';
import type { ByteSource } from '../types';
import { CsvDecoder, type CsvEncoding } from './encoding';

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** How a CSV was read; `encoding` is final once the whole file has been read (ASCII counts as UTF-8). */
export interface CsvInfo {
  readonly encoding: CsvEncoding;
  readonly bom: boolean;
  readonly delimiter: CsvDelimiter;
  /** The file began with Excel's `sep=;` line (not a row). */
  readonly sepLine: boolean;
}

/** Text looked at to choose the delimiter. */
const SAMPLE_CHARS = 64 * 1024;
const SAMPLE_LINES = 50;

/** Per line of the sample, how often each delimiter occurs outside quotes. */
function delimiterCounts(sample: string, complete: boolean): number[][] {
  const lines: number[][] = [];
  let counts = CSV_DELIMITERS.map(() => 0);
  let quoted = false;
  for (let i = 0; i < sample.length && lines.length < SAMPLE_LINES; i++) {
    const ch = sample[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (ch === '\r' && sample[i + 1] === '\n') i++;
      lines.push(counts);
      counts = CSV_DELIMITERS.map(() => 0);
    } else if (!quoted) {
      const at = CSV_DELIMITERS.indexOf(ch as CsvDelimiter);
      if (at >= 0) counts[at]!++;
    }
  }
  if (complete && counts.some((c) => c > 0)) lines.push(counts);
  return lines;
}

/**
 * The delimiter of a CSV from its first lines: the candidate (comma, semicolon, tab, pipe) that
 * occurs the same number of times on the most lines, then the one that occurs most; a comma
 * when none occurs. Quoted text is skipped, so "Smith, John" does not count.
 */
export function detectDelimiter(args: { sample: string; complete: boolean }): CsvDelimiter {
  const lines = delimiterCounts(args.sample, args.complete);
  let best: { delimiter: CsvDelimiter; share: number; count: number } = { delimiter: ',', share: 0, count: 0 };
  CSV_DELIMITERS.forEach((delimiter, d) => {
    const byCount = new Map<number, number>();
    for (const line of lines) if (line[d]! > 0) byCount.set(line[d]!, (byCount.get(line[d]!) ?? 0) + 1);
    for (const [count, times] of byCount) {
      const share = times / Math.max(lines.length, 1);
      if (share > best.share || (share === best.share && count > best.count)) best = { delimiter, share, count };
    }
  });
  return best.delimiter;
}

async function* decoded(source: ByteSource, decoder: CsvDecoder): AsyncGenerator<string> {
  for await (const chunk of source) {
    const text = decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** The line break of a CSV: the first one outside quotes ('\n' when there is none). */
export function lineBreakOf(sample: string): '\r\n' | '\n' | '\r' {
  let quoted = false;
  for (let i = 0; i < sample.length; i++) {
    const ch = sample[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') return '\n';
    else if (!quoted && ch === '\r') return sample[i + 1] === '\n' ? '\r\n' : sample[i + 1] === undefined ? '\r\n' : '\r';
  }
  return '\n';
}

/**
 * Records from text chunks through papaparse's parser, as its own streamers use it: each chunk
 * is parsed with the unfinished last record held back and put before the next chunk. (Its
 * Node stream wrapper pushes one object per row and slows down with the chunk's size.) Yields
 * each chunk's records together: one step of the async chain per chunk, not per row.
 */
async function* parseRecords(args: {
  first: string;
  rest: AsyncIterable<string> | undefined;
  delimiter: string;
  newline: '\r\n' | '\n' | '\r';
}): AsyncGenerator<string[][]> {
  const parser = new Papa.Parser({ delimiter: args.delimiter, newline: args.newline, quoteChar: '"', escapeChar: '"' });
  let partial = '';
  const chunks = async function* (): AsyncGenerator<string> {
    if (args.first) yield args.first;
    if (args.rest) yield* args.rest;
  };
  for await (const text of chunks()) {
    const input = partial + text;
    const result = parser.parse(input, 0, true);
    if (result.data.length) yield result.data as string[][];
    partial = input.substring(result.meta.cursor);
  }
  if (partial) {
    const last = parser.parse(partial, 0, false).data as string[][];
    if (last.length) yield last;
  }
}

/** Excel's first line `sep=;` names the delimiter. */
const SEP_LINE = /^sep=([,;\t|])\r?\n/;

/**
 * Records of a CSV (arrays of cell text), streamed: bytes are decoded chunk by chunk, parsed by
 * papaparse's streaming parser (quoted fields with delimiters, doubled quotes and line breaks),
 * and never held whole. `onInfo` is called once the encoding and delimiter are chosen. Yields
 * the records of each decoded chunk as one array (the caller owns the arrays).
 */
export async function* csvRecordBatches(args: {
  source: ByteSource;
  encoding: CsvEncoding | 'auto';
  delimiter: CsvDelimiter | 'auto';
  onInfo: (info: CsvInfo) => void;
}): AsyncGenerator<string[][]> {
  const decoder = new CsvDecoder(args.encoding);
  const text = decoded(args.source, decoder);
  let sample = '';
  let complete = false;
  while (sample.length < SAMPLE_CHARS) {
    const next = await text.next();
    if (next.done) {
      complete = true;
      break;
    }
    sample += next.value;
  }
  const sep = SEP_LINE.exec(sample);
  if (sep) sample = sample.slice(sep[0].length);
  const delimiter = sep ? (sep[1] as CsvDelimiter) : args.delimiter === 'auto' ? detectDelimiter({ sample, complete }) : args.delimiter;
  args.onInfo({
    get encoding() {
      return decoder.encoding ?? 'utf-8';
    },
    get bom() {
      return decoder.bom;
    },
    delimiter,
    sepLine: sep !== null,
  });
  yield* parseRecords({ first: sample, rest: complete ? undefined : text, delimiter, newline: lineBreakOf(sample) });
}

/** Records of a CSV one at a time (see csvRecordBatches). */
export async function* csvRecords(args: Parameters<typeof csvRecordBatches>[0]): AsyncGenerator<string[]> {
  for await (const batch of csvRecordBatches(args)) yield* batch;
}
