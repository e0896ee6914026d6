import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { CsvEncoding } from '../read/encoding';
import type { ExportCell } from './cells';
import { csvLine, inertText, writeChunk } from './csv-text';

/** Where rows of exported cells go: a CSV or `.xlsx` written as a stream. */
export interface TableSink {
  row(cells: readonly (ExportCell | null)[]): Promise<void>;
  end(): Promise<void>;
}

/** The CSV text of a cell; text cells are made inert (see inertText), typed ones are written as they are. */
function csvText(cell: ExportCell | null): string {
  if (!cell) return '';
  return cell.kind === 'text' ? inertText(cell.text) : cell.text;
}

/**
 * CSV rows in an encoding: UTF-8 starts with a byte order mark by default, which is how Excel
 * knows the file is UTF-8 (without it Excel reads Chinese as the system code page: garbled).
 */
export function csvSink(args: { output: NodeJS.WritableStream; encoding?: CsvEncoding; bom?: boolean; delimiter?: string; firstLine?: string }): TableSink {
  const encoding = args.encoding ?? 'utf-8';
  const delimiter = args.delimiter ?? ',';
  let started = false;
  const bytes = (text: string): Uint8Array => (encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding === 'gbk' ? 'gbk' : encoding));
  return {
    async row(cells) {
      let text = csvLine(cells.map(csvText), delimiter);
      if (!started && args.firstLine) text = args.firstLine + '\r\n' + text;
      if (!started && (args.bom ?? encoding === 'utf-8')) text = '\ufeff' + text;
      started = true;
      await writeChunk(args.output, bytes(text));
    },
    async end() {
      if (!started && (args.bom ?? encoding === 'utf-8')) await writeChunk(args.output, bytes('\ufeff'));
    },
  };
}

/** A `.xlsx` of one sheet written by exceljs's streaming WorkbookWriter (rows are flushed as they come). */
export function xlsxSink(args: { output: NodeJS.WritableStream; sheetName?: string; headerRow?: number; widths?: number[] }): TableSink {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: args.output as never, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(
    safeSheetName(args.sheetName ?? 'Sheet1'),
    args.headerRow ? { views: [{ state: 'frozen', ySplit: args.headerRow }] } : {},
  );
  if (args.widths) sheet.columns = args.widths.map((width) => ({ width }));
  let rowNumber = 0;
  return {
    async row(cells) {
      rowNumber++;
      const row = sheet.addRow(cells.map(xlsxValue));
      cells.forEach((cell, i) => {
        if (cell && (cell.kind === 'number' || cell.kind === 'date')) row.getCell(i + 1).numFmt = cell.numFmt;
      });
      if (rowNumber === args.headerRow) row.font = { bold: true };
      row.commit();
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}

/** Dates go as Excel serials with a date format (exceljs's own Date conversion is a day off before March 1900). */
function xlsxValue(cell: ExportCell | null): ExcelJS.CellValue {
  if (!cell) return null;
  if (cell.kind === 'text') return inertText(cell.text);
  if (cell.kind === 'number') return cell.value;
  if (cell.kind === 'date') return cell.serial;
  if (cell.kind === 'raw') return cell.text;
  return cell.value;
}

/** Excel refuses sheet names over 31 characters or with []:*?/\ in them. */
function safeSheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';
}
