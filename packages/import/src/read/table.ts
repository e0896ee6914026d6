import { ImportError, ImportErrorCode } from '../errors';
import { cellText, columnLetter, isBlank } from '../text';
import type { ByteSource, Cell, SourceColumn, SourceRow } from '../types';
import { peekBytes } from './bytes';
import { csvRecordBatches, type CsvDelimiter, type CsvInfo, CSV_DELIMITERS } from './csv';
import { type CsvEncoding, isCsvEncoding } from './encoding';
import { xlsxRows, type XlsxInfo } from './xlsx';

export type FileFormat = 'csv' | 'xlsx';

export interface TableOptions {
  /** Detected from the bytes when left out (a zip is `.xlsx`, anything else CSV). */
  format?: FileFormat;
  /** CSV: 'auto' (default) detects a byte order mark, then UTF-8 or GB18030. */
  encoding?: CsvEncoding | 'auto';
  /** CSV: 'auto' (default) detects comma, semicolon, tab or pipe. */
  delimiter?: CsvDelimiter | 'auto';
  /** `.xlsx`: sheet name or 1-based position; the first visible sheet by default. */
  sheet?: string | number;
  /** Row number of the header; by default found among the first 10 rows (see headerIndex). */
  headerRow?: number;
  /** Rows per chunk (1000 by default). */
  chunkSize?: number;
}

/** What was read and how; `csv.encoding` is final only once all rows have been read. */
export interface TableInfo {
  format: FileFormat;
  csv?: CsvInfo;
  xlsx?: XlsxInfo;
  headerRow: number;
  columns: SourceColumn[];
}

export interface TableReader {
  info: TableInfo;
  /** Data rows after the header, blank rows left out, cells one per column; read once. */
  chunks(): AsyncGenerator<SourceRow[]>;
  /** Stops reading and releases the file. */
  close(): Promise<void>;
}

/** `.xlsx` rows handed on together (exceljs reads them one at a time). */
const XLSX_GROUP = 100;

/** Rows looked at to find the header. */
const HEADER_SCAN_ROWS = 10;

function optionsError(en: string, zh: string, path: string): ImportError {
  return new ImportError({ code: ImportErrorCode.INVALID_IMPORT_OPTIONS, message: { en, 'zh-CN': zh }, issues: [{ path, code: 'invalid', message: en }] });
}

function checkOptionsOrThrow(options: TableOptions): void {
  if (options.encoding !== undefined && options.encoding !== 'auto' && !isCsvEncoding(options.encoding))
    throw optionsError(`Unknown encoding ${JSON.stringify(options.encoding)}.`, `不支持的编码 ${JSON.stringify(options.encoding)}。`, '/encoding');
  if (options.delimiter !== undefined && options.delimiter !== 'auto' && !CSV_DELIMITERS.includes(options.delimiter))
    throw optionsError('The delimiter must be a comma, semicolon, tab or |.', '分隔符只能是逗号、分号、制表符或 |。', '/delimiter');
  if (options.headerRow !== undefined && !(Number.isInteger(options.headerRow) && options.headerRow >= 1))
    throw optionsError('The header row must be a row number from 1.', '表头行必须是从 1 开始的行号。', '/headerRow');
}

/** `.xls` (OLE2) and other binary formats we do not read. */
function formatOf(head: Uint8Array): FileFormat | 'xls' {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'xls';
  return 'csv';
}

/** The rows of a CSV, a decoded chunk's worth at a time (the records' arrays become the cells: '' as null). */
async function* csvRows(source: ByteSource, options: TableOptions, info: { csv?: CsvInfo }): AsyncGenerator<SourceRow[]> {
  let rowNumber = 0;
  const batches = csvRecordBatches({ source, encoding: options.encoding ?? 'auto', delimiter: options.delimiter ?? 'auto', onInfo: (i) => (info.csv = i) });
  for await (const records of batches) {
    const rows: SourceRow[] = new Array(records.length);
    for (let r = 0; r < records.length; r++) {
      const cells = records[r] as Cell[];
      for (let i = 0; i < cells.length; i++) if (cells[i] === '') cells[i] = null;
      rows[r] = { rowNumber: ++rowNumber, cells };
    }
    yield rows;
  }
}

/** Rows read one at a time (`.xlsx`), handed on in groups of up to `size`. */
async function* grouped(rows: AsyncGenerator<SourceRow>, size: number): AsyncGenerator<SourceRow[]> {
  let group: SourceRow[] = [];
  for await (const row of rows) {
    group.push(row);
    if (group.length >= size) {
      yield group;
      group = [];
    }
  }
  if (group.length) yield group;
}

/** Text that names something (not a number, date or amount). */
const labelLike = (c: Cell): boolean => typeof c === 'string' && !isBlank(c) && !/^[\s\d.,:%/+\-()¥$€£]+$/.test(c);

/** The header row among the first rows: the first with at least 80 % as many label-like cells as the most such row. */
function headerIndex(rows: SourceRow[]): number {
  const labels = rows.map((r) => r.cells.filter(labelLike).length);
  const most = Math.max(0, ...labels);
  const at = labels.findIndex((n) => n > 0 && n >= 0.8 * most);
  return at >= 0 ? at : 0;
}

function columnsOf(header: SourceRow, width: number): SourceColumn[] {
  return Array.from({ length: width }, (_, index) => ({ index, name: cellText(header.cells[index] ?? null).trim(), letter: columnLetter(index) }));
}

async function findHeaderOrThrow(
  batches: AsyncGenerator<SourceRow[]>,
  headerRow: number | undefined,
): Promise<{ header: SourceRow; rest: SourceRow[]; unread: SourceRow[] }> {
  const seen: SourceRow[] = [];
  const enough = (): boolean => (headerRow === undefined ? seen.length >= HEADER_SCAN_ROWS : seen.some((r) => r.rowNumber >= headerRow));
  // The rows of the last batch not looked at: they come first among the data rows.
  let unread: SourceRow[] = [];
  scan: while (!enough()) {
    const next = await batches.next();
    if (next.done) break;
    const rows = next.value;
    for (let i = 0; i < rows.length; i++) {
      if (enough()) {
        unread = rows.slice(i);
        break scan;
      }
      const row = rows[i]!;
      const wanted = headerRow === undefined || row.rowNumber >= headerRow;
      if (wanted && !row.cells.every(isBlank)) seen.push(row);
    }
  }
  const at = headerRow === undefined ? headerIndex(seen) : seen.findIndex((r) => r.rowNumber === headerRow);
  if (seen.length === 0 || at < 0) {
    throw new ImportError({
      code: ImportErrorCode.EMPTY_FILE,
      message:
        headerRow === undefined
          ? { en: 'The file has no rows.', 'zh-CN': '文件中没有数据。' }
          : {
              en: `Row ${headerRow} is blank or beyond the end of the file: it cannot be the header.`,
              'zh-CN': `第 ${headerRow} 行为空或超出文件末尾，不能作为表头。`,
            },
    });
  }
  return { header: seen[at]!, rest: seen.slice(at + 1), unread };
}

/**
 * Opens a CSV or `.xlsx` for reading: finds the header, then streams the data rows in chunks.
 * Memory stays flat whatever the file's length: CSV is parsed as its bytes arrive, `.xlsx` rows
 * as the sheet's XML is read (its shared strings are kept in memory, as Excel's format needs).
 */
export async function openTable(args: { file: ByteSource; options?: TableOptions }): Promise<TableReader> {
  const options = args.options ?? {};
  checkOptionsOrThrow(options);
  const { head, source } = await peekBytes({ source: args.file, n: 4 });
  const format = options.format ?? formatOf(head);
  if (format === 'xls') {
    throw new ImportError({
      code: ImportErrorCode.UNSUPPORTED_FILE,
      message: {
        en: 'Old Excel files (.xls) cannot be imported: save the file as .xlsx or CSV.',
        'zh-CN': '不支持旧版 Excel 文件（.xls），请另存为 .xlsx 或 CSV 后导入。',
      },
    });
  }
  const found: { csv?: CsvInfo; xlsx?: XlsxInfo } = {};
  const rows =
    format === 'xlsx' ? grouped(xlsxRows({ source, sheet: options.sheet, onInfo: (i) => (found.xlsx = i) }), XLSX_GROUP) : csvRows(source, options, found);
  let header: SourceRow;
  let rest: SourceRow[];
  let unread: SourceRow[];
  try {
    ({ header, rest, unread } = await findHeaderOrThrow(rows, options.headerRow));
  } catch (err) {
    await rows.return(undefined);
    throw err;
  }
  const width = Math.max(header.cells.length, ...rest.map((r) => r.cells.length));
  const columns = columnsOf(header, width);
  const chunkSize = options.chunkSize ?? 1000;
  const info: TableInfo = { format, ...found, headerRow: header.rowNumber, columns };
  async function* chunks(): AsyncGenerator<SourceRow[]> {
    let chunk: SourceRow[] = [];
    const take = (row: SourceRow): void => {
      if (row.cells.every(isBlank)) return;
      chunk.push(row.cells.length === width ? row : { rowNumber: row.rowNumber, cells: Array.from({ length: width }, (_, i) => row.cells[i] ?? null) });
    };
    rest.forEach(take);
    rest = [];
    let batch: SourceRow[] | undefined = unread;
    unread = [];
    while (batch) {
      for (const row of batch) {
        take(row);
        if (chunk.length >= chunkSize) {
          yield chunk;
          chunk = [];
        }
      }
      const next = await rows.next();
      batch = next.done ? undefined : next.value;
    }
    if (chunk.length) yield chunk;
  }
  return { info, chunks, close: async () => void (await rows.return(undefined)) };
}
