import ExcelJS from 'exceljs';
import { ImportError, ImportErrorCode } from '../errors';
import { fromExceljsDate, excelSerialToDate, isDateNumberFormat } from '../excel-serial';
import type { ByteSource, Cell } from '../types';
import { toReadable } from './bytes';
import { fixExceljsUtf8 } from './exceljs-utf8';

fixExceljsUtf8();

/** How a workbook was read. */
export interface XlsxInfo {
  /** Sheet names in workbook order. */
  sheets: string[];
  /** The sheet read. */
  sheet: string;
}

type ExcelValue = ExcelJS.CellValue | { sharedString: number } | undefined;

function richText(value: { richText: { text: string }[] }): string {
  return value.richText.map((run) => run.text).join('');
}

/** A date-formatted number, or a Date exceljs built, as the right date (see excel-serial.ts). */
function dateCell(value: number | Date): Cell {
  const date = typeof value === 'number' ? excelSerialToDate(value) : fromExceljsDate(value);
  if (date) return date;
  return typeof value === 'number' ? value : null;
}

/** One exceljs cell value as a reader cell: rich text joined, formulas as their cached result. */
export function xlsxCellValue(value: ExcelValue, numFmt: string | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return isDateNumberFormat(numFmt) ? dateCell(value) : value;
  if (value instanceof Date) return dateCell(value);
  if ('richText' in value) return richText(value);
  if ('formula' in value || 'sharedFormula' in value) return xlsxCellValue((value as { result?: ExcelValue }).result as ExcelValue, numFmt);
  if ('error' in value) return String(value.error);
  if ('text' in value) {
    const text = (value as { text: unknown }).text;
    return typeof text === 'string' ? text : text && typeof text === 'object' && 'richText' in text ? richText(text as { richText: { text: string }[] }) : null;
  }
  return null;
}

type SheetModel = { name: string; id: number; state?: string };

function pickSheetOrThrow(args: { sheets: SheetModel[]; wanted: string | number | undefined }): SheetModel {
  const { sheets, wanted } = args;
  const found =
    wanted === undefined
      ? (sheets.find((s) => s.state !== 'hidden' && s.state !== 'veryHidden') ?? sheets[0])
      : typeof wanted === 'number'
        ? sheets[wanted - 1]
        : (sheets.find((s) => s.name === wanted) ?? sheets.find((s) => s.name.trim().toLowerCase() === wanted.trim().toLowerCase()));
  if (found) return found;
  const names = sheets.map((s) => s.name).join(', ');
  throw new ImportError({
    code: ImportErrorCode.SHEET_NOT_FOUND,
    message: {
      en: `The workbook has no sheet ${JSON.stringify(wanted)}; its sheets are: ${names}.`,
      'zh-CN': `工作簿中没有工作表 ${JSON.stringify(wanted)}；现有工作表：${names}。`,
    },
    details: { sheets: sheets.map((s) => s.name) },
  });
}

function invalidFile(err: unknown): ImportError {
  if (err instanceof ImportError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new ImportError({
    code: ImportErrorCode.INVALID_FILE,
    message: {
      en: `The .xlsx file cannot be read (${reason}). Open it in Excel and save it again as .xlsx.`,
      'zh-CN': `无法读取该 .xlsx 文件（${reason}）。请用 Excel 打开后重新另存为 .xlsx。`,
    },
  });
}

/**
 * Rows of one sheet of a `.xlsx`, streamed by exceljs's WorkbookReader (shared strings and
 * styles are kept, so date cells are known; rows are parsed as they are read, never the whole
 * sheet). The first visible sheet unless `sheet` names one (by name, or 1-based position).
 */
export async function* xlsxRows(args: {
  source: ByteSource;
  sheet?: string | number;
  onInfo: (info: XlsxInfo) => void;
}): AsyncGenerator<{ rowNumber: number; cells: Cell[] }> {
  const input = toReadable(args.source);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let picked: SheetModel | undefined;
  try {
    for await (const worksheet of reader) {
      const ws = worksheet as unknown as AsyncIterable<ExcelJS.Row> & { name: string; id: number };
      if (!picked) {
        const sheets = ((reader as unknown as { model?: { sheets?: SheetModel[] } }).model?.sheets ?? []) as SheetModel[];
        picked = pickSheetOrThrow({ sheets: sheets.length ? sheets : [{ name: ws.name, id: ws.id }], wanted: args.sheet });
        args.onInfo({ sheets: sheets.map((s) => s.name), sheet: picked.name });
      }
      if (ws.name !== picked.name) continue;
      for await (const row of ws) {
        const cells: Cell[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          cells[col - 1] = xlsxCellValue(cell.value as ExcelValue, cell.numFmt);
        });
        for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
        yield { rowNumber: row.number, cells };
      }
      return;
    }
  } catch (err) {
    throw invalidFile(err);
  } finally {
    input.destroy();
  }
  if (!picked) throw invalidFile(new Error('no worksheet'));
  throw invalidFile(new Error(`sheet ${picked.name} has no data`));
}
