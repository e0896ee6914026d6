import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { ImportError, ImportErrorCode } from '../errors';

/** Encodings a CSV may be read (and its error file written) in; GBK files read as GB18030, its superset. */
export const CSV_ENCODINGS = ['utf-8', 'gb18030', 'gbk', 'big5', 'utf-16le', 'utf-16be', 'windows-1252', 'shift_jis'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export function isCsvEncoding(value: unknown): value is CsvEncoding {
  return typeof value === 'string' && (CSV_ENCODINGS as readonly string[]).includes(value);
}

const BOMS: { encoding: CsvEncoding; bytes: number[] }[] = [
  { encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
];

/** The encoding a byte order mark at the start names, if any. */
export function bomEncoding(head: Uint8Array): CsvEncoding | undefined {
  return BOMS.find((bom) => bom.bytes.every((b, i) => head[i] === b))?.encoding;
}

/** Whether the bytes are valid UTF-8, allowing a character cut at the end (more bytes follow). */
function looksUtf8(chunk: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(chunk, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes a CSV's bytes chunk by chunk. A byte order mark decides (UTF-8, UTF-16), even over a
 * chosen encoding. Otherwise, with 'auto', ASCII passes as it is until the first chunk with other bytes,
 * which decides UTF-8 when it is valid UTF-8 and GB18030 (GBK's superset) when it is not.
 * Bytes that do not decode in the encoding decided or chosen are refused (ENCODING_MISMATCH)
 * rather than turned into U+FFFD: a wrong guess must not store garbled text.
 */
export class CsvDecoder {
  encoding: CsvEncoding | undefined;
  bom = false;
  private decoder: TextDecoder | undefined;
  private offset = 0;
  /** The first bytes, held back until there are enough to see a byte order mark. */
  private head: Uint8Array | undefined = new Uint8Array(0);

  constructor(choice: CsvEncoding | 'auto') {
    if (choice !== 'auto') this.encoding = choice;
  }

  /** Text of the next chunk. */
  write(chunk: Uint8Array): string {
    if (this.head) {
      const head = this.head.length ? Buffer.concat([this.head, chunk]) : chunk;
      if (head.length < 4) {
        this.head = head;
        return '';
      }
      this.head = undefined;
      this.start(head);
      chunk = head;
    }
    return this.text(chunk, true);
  }

  /** Whatever text is left (a short file, a character cut at the end). */
  end(): string {
    if (this.head) {
      const head = this.head;
      this.head = undefined;
      this.start(head);
      return this.text(head, false);
    }
    return this.decoder ? this.decode(new Uint8Array(0), false) : '';
  }

  private start(head: Uint8Array): void {
    const bom = bomEncoding(head);
    if (bom) {
      // A byte order mark is surer than a choice made in a form.
      this.bom = true;
      this.encoding = bom;
    }
  }

  private text(chunk: Uint8Array, stream: boolean): string {
    if (this.encoding === undefined) {
      if (isAscii(chunk)) {
        this.offset += chunk.length;
        return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('latin1');
      }
      this.encoding = looksUtf8(chunk) ? 'utf-8' : 'gb18030';
    }
    const text = this.decode(chunk, stream);
    this.offset += chunk.length;
    return text;
  }

  private decode(chunk: Uint8Array, stream: boolean): string {
    // The BOM is dropped by TextDecoder itself (ignoreBOM false).
    this.decoder ??= new TextDecoder(this.encoding === 'gbk' ? 'gb18030' : this.encoding!, { fatal: true });
    try {
      return this.decoder.decode(chunk, { stream });
    } catch {
      const where = this.offset;
      throw new ImportError({
        code: ImportErrorCode.ENCODING_MISMATCH,
        message: {
          en: `The file is not valid ${this.encoding} text (in the block from byte ${where}). Choose the file's encoding (for example GBK or UTF-8) and try again.`,
          'zh-CN': `文件不是有效的 ${this.encoding} 文本（自第 ${where} 字节起的一段内）。请选择文件的编码（例如 GBK 或 UTF-8）后重试。`,
        },
        details: { encoding: this.encoding, byteOffset: where },
      });
    }
  }
}
