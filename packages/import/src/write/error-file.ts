import { dateToExcelSerial } from '../excel-serial';
import { csvRecords } from '../read/csv';
import type { TableInfo } from '../read/table';
import { xlsxRows } from '../read/xlsx';
import { cellText, isBlank } from '../text';
import type { Cell, Locale, OpenFile, RowError } from '../types';
import { type ExportCell, text } from './cells';
import { csvSink, type TableSink, xlsxSink } from './sinks';

const ERROR_HEADER: Record<Locale, string> = { en: 'Errors', 'zh-CN': '错误信息' };

/** Errors in row order, one group per row, from any (async) iterable of error lists. */
async function* byRow(errors: AsyncIterable<readonly RowError[]> | Iterable<readonly RowError[]>): AsyncGenerator<{ row: number; errors: RowError[] }> {
  let current: { row: number; errors: RowError[] } | undefined;
  for await (const list of errors) {
    for (const error of list) {
      if (current && current.row === error.row) current.errors.push(error);
      else {
        if (current) yield current;
        current = { row: error.row, errors: [error] };
      }
    }
  }
  if (current) yield current;
}

function errorText(row: number, errors: RowError[], locale: Locale): string {
  const head = locale === 'zh-CN' ? `第 ${row} 行：` : `Row ${row}: `;
  return head + errors.map((e) => e.message[locale]).join('\n');
}

/** An original cell as written back: typed in `.xlsx` (dates as date cells), text in CSV. */
function originalCell(cell: Cell): ExportCell | null {
  if (cell === null) return null;
  if (typeof cell === 'number') return { kind: 'number', value: cell, text: cellText(cell), numFmt: 'General' };
  if (typeof cell === 'boolean') return { kind: 'boolean', value: cell, text: cellText(cell) };
  if (cell instanceof Date)
    return {
      kind: 'date',
      serial: dateToExcelSerial(cell),
      text: cellText(cell),
      numFmt: cell.getTime() % 86_400_000 === 0 ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss',
    };
  return verbatim(cell);
}

/** The user's own text is copied as it was: only the error column is made inert. */
const verbatim = (value: string | null): ExportCell | null => (value === null ? null : { kind: 'raw', text: value });

/**
 * The file the user downloads to fix the rows that failed: the original file (CSV in its own
 * encoding, byte order mark and delimiter; `.xlsx` as the values of the imported sheet) with an
 * error column, streamed. By default only the rows with errors are kept after the header, so
 * the fixed file can be imported again without duplicating the rows that went in; `allRows`
 * keeps every row. `errors` must come in row order (as scan and plan give them).
 */
export async function writeErrorFile(args: {
  open: OpenFile;
  info: TableInfo;
  errors: AsyncIterable<readonly RowError[]> | Iterable<readonly RowError[]>;
  output: NodeJS.WritableStream;
  locale: Locale;
  allRows?: boolean;
  sheet?: string | number;
}): Promise<{ rows: number }> {
  const { info } = args;
  const csv = info.csv;
  const sink: TableSink =
    info.format === 'xlsx'
      ? xlsxSink({ output: args.output, sheetName: info.xlsx?.sheet, headerRow: undefined })
      : csvSink({
          output: args.output,
          encoding: csv!.encoding,
          bom: csv!.bom,
          delimiter: csv!.delimiter,
          firstLine: csv!.sepLine ? `sep=${csv!.delimiter}` : undefined,
        });
  const groups = byRow(args.errors)[Symbol.asyncIterator]();
  let pending = await groups.next();
  let written = 0;
  const source =
    info.format === 'xlsx' ? xlsxRows({ source: args.open(), sheet: info.xlsx?.sheet ?? args.sheet, onInfo: () => {} }) : csvRowsOf(args.open, info);
  for await (const { rowNumber, cells } of source) {
    while (!pending.done && pending.value.row < rowNumber) pending = await groups.next();
    const mine = !pending.done && pending.value.row === rowNumber ? pending.value : undefined;
    const original = info.format === 'xlsx' ? cells.map(originalCell) : (cells as (string | null)[]).map(verbatim);
    if (rowNumber < info.headerRow) await sink.row(original);
    else if (rowNumber === info.headerRow) await sink.row([...pad(original, info.columns.length), text(ERROR_HEADER[args.locale])]);
    else if (mine || (args.allRows && !cells.every(isBlank))) {
      await sink.row([...pad(original, info.columns.length), mine ? text(errorText(rowNumber, mine.errors, args.locale)) : null]);
      written++;
    }
  }
  await sink.end();
  return { rows: written };
}

function pad(cells: (ExportCell | null)[], width: number): (ExportCell | null)[] {
  return cells.length >= width ? cells : [...cells, ...Array.from({ length: width - cells.length }, () => null)];
}

async function* csvRowsOf(open: OpenFile, info: TableInfo): AsyncGenerator<{ rowNumber: number; cells: Cell[] }> {
  let rowNumber = 0;
  for await (const record of csvRecords({ source: open(), encoding: info.csv!.encoding, delimiter: info.csv!.delimiter, onInfo: () => {} })) {
    rowNumber++;
    yield { rowNumber, cells: record.map((t) => (t === '' ? null : t)) };
  }
}
