import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../errors';
import { memoryFile, readAll, xlsxBytes } from '../testing/fixtures';
import { csvLine } from '../write/csv-text';
import { CSV_DELIMITERS } from './csv';
import { openTable, type TableOptions } from './table';

async function read(bytes: Uint8Array, options: TableOptions = {}, chunk = 7) {
  const reader = await openTable({ file: memoryFile(bytes, chunk)(), options });
  const rows = await readAll(reader.chunks());
  return { info: reader.info, rows, cells: rows.map((r) => r.cells) };
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('CSV encodings', () => {
  const text = '客户名称,金额,备注\n华为技术,"1,234.50","第一行\n第二行"\n小米,88,“引号”\n';

  it.each([
    ['UTF-8 without BOM', utf8(text), 'utf-8', false],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]), 'utf-8', true],
    ['GBK', iconv.encode(text, 'gbk'), 'gb18030', false],
    ['GB18030', iconv.encode(text + '𠮷,1,x\n', 'gb18030'), 'gb18030', false],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]), 'utf-16le', true],
  ])('reads %s, detected, in chunks that cut characters', async (_name, bytes, encoding, bom) => {
    const { info, cells } = await read(bytes, {}, 3);
    expect(info.csv?.encoding).toBe(encoding);
    expect(info.csv?.bom).toBe(bom);
    expect(info.columns.map((c) => c.name)).toEqual(['客户名称', '金额', '备注']);
    expect(cells.slice(0, 2)).toEqual([
      ['华为技术', '1,234.50', '第一行\n第二行'],
      ['小米', '88', '“引号”'],
    ]);
  });

  it('decides late when the first chunks are ASCII only', async () => {
    const bytes = iconv.encode('name,city\n' + 'a,b\n'.repeat(40_000) + '张三,北京\n', 'gbk');
    const { info, cells } = await read(bytes, {}, 64 * 1024);
    expect(info.csv?.encoding).toBe('gb18030');
    expect(cells.at(-1)).toEqual(['张三', '北京']);
  });

  it('uses a chosen encoding, and refuses bytes that do not decode in it', async () => {
    const bytes = iconv.encode('名称\n张三\n', 'gbk');
    expect((await read(bytes, { encoding: 'gbk' })).cells).toEqual([['张三']]);
    await expect(read(bytes, { encoding: 'utf-8' })).rejects.toMatchObject({ code: 'ENCODING_MISMATCH' });
  });

  it('refuses an unknown encoding before reading', async () => {
    await expect(read(utf8('a\n1\n'), { encoding: 'ebcdic' as never })).rejects.toMatchObject({ code: 'INVALID_IMPORT_OPTIONS' });
  });
});

describe('CSV delimiters and quoting', () => {
  it.each([
    [',', 'a,b,c\n1,"x,y",3\n'],
    [';', 'a;b;c\n1;"x;y";3\n2;1,5;4\n'],
    ['\t', 'a\tb\tc\n1\t"x\ty"\t3\n'],
    ['|', 'a|b|c\n1|"x|y"|3\n'],
  ])('detects %j', async (delimiter, text) => {
    const { info, cells } = await read(utf8(text));
    expect(info.csv?.delimiter).toBe(delimiter);
    expect(cells[0]).toEqual(['1', `x${delimiter}y`, '3']);
  });

  it('is not fooled by delimiters inside quotes', async () => {
    const { info } = await read(utf8('name;note\n"Smith, John";"a, b, c"\n"Doe, Jane";x\n'));
    expect(info.csv?.delimiter).toBe(';');
  });

  it("honours Excel's sep= line and leaves it out of the rows", async () => {
    const { info, rows } = await read(utf8('sep=;\na;b\n1,5;2\n'));
    expect(info.csv).toMatchObject({ delimiter: ';', sepLine: true });
    expect(info.headerRow).toBe(1);
    expect(rows).toEqual([{ rowNumber: 2, cells: ['1,5', '2'] }]);
  });

  it('keeps doubled quotes, CRLF and line breaks inside quotes; numbers rows as records', async () => {
    const { rows } = await read(utf8('a,b\r\n"say ""hi""","l1\r\nl2"\r\n\r\nlast,\r\n'));
    expect(rows).toEqual([
      { rowNumber: 2, cells: ['say "hi"', 'l1\r\nl2'] },
      { rowNumber: 4, cells: ['last', null] },
    ]);
  });
});

describe('the header row', () => {
  it('skips a title row above the header', async () => {
    const { info, rows } = await read(utf8('2026 客户名单,,\n名称,城市,电话\n张三,北京,1\n李四,,2\n'));
    expect(info.headerRow).toBe(2);
    expect(info.columns.map((c) => [c.name, c.letter])).toEqual([
      ['名称', 'A'],
      ['城市', 'B'],
      ['电话', 'C'],
    ]);
    expect(rows.map((r) => r.rowNumber)).toEqual([3, 4]);
  });

  it('takes a chosen header row and pads short rows to the columns', async () => {
    const { info, cells } = await read(utf8('x\ny\na,b,c\n1\n'), { headerRow: 3 });
    expect(info.headerRow).toBe(3);
    expect(cells).toEqual([['1', null, null]]);
  });

  it('names blank headers by letter and refuses an empty file', async () => {
    const { info } = await read(utf8('a,,c\n1,2,3\n'));
    expect(info.columns[1]).toEqual({ index: 1, name: '', letter: 'B' });
    await expect(read(utf8('\n\n'))).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    await expect(read(utf8('a\n'), { headerRow: 5 })).rejects.toMatchObject({ code: 'EMPTY_FILE' });
  });

  it('refuses an old binary .xls with a clear message', async () => {
    const err = await read(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ code: 'UNSUPPORTED_FILE' });
    expect((err as ImportError).localized['zh-CN']).toContain('.xlsx');
  });
});

describe('.xlsx', () => {
  async function workbook(): Promise<Buffer> {
    return xlsxBytes((wb) => {
      const hidden = wb.addWorksheet('Hidden', { state: 'hidden' });
      hidden.addRow(['secret']).commit();
      hidden.commit();
      const ws = wb.addWorksheet('客户');
      ws.mergeCells('A1:F1');
      ws.getCell('A1').value = '客户名单（合并的标题）';
      ws.getRow(1).commit();
      const header = ws.addRow(['名称', '签约日期', '序列号日期', '备注', '联系人']);
      ws.mergeCells('E2:F2');
      header.commit();
      const r = ws.addRow([
        { richText: [{ text: '华为' }, { font: { bold: true }, text: '技术' }] },
        new Date(Date.UTC(2026, 2, 1)),
        46082,
        { formula: 'A3&"!"', result: '华为技术!' },
        '张三',
        '13800138000',
      ]);
      r.getCell(2).numFmt = 'yyyy-mm-dd';
      r.commit();
      const r2 = ws.addRow(['早期', 15, 60, { formula: '1+1', result: 2 }, true, null]);
      r2.getCell(2).numFmt = 'yyyy"年"m"月"d"日"';
      r2.commit();
      const r3 = ws.addRow(['带时间', 46082.5, 1.5, { formula: 'B5+1', result: 46083.25 }, null, null]);
      r3.getCell(2).numFmt = 'yyyy-mm-dd hh:mm';
      r3.getCell(4).numFmt = 'yyyy-mm-dd hh:mm';
      r3.commit();
      ws.commit();
    });
  }

  it('reads the first visible sheet: merged title skipped, rich text joined, dates as Dates, serials as numbers, formulas as results', async () => {
    const { info, rows } = await read(await workbook());
    expect(info.format).toBe('xlsx');
    expect(info.xlsx).toEqual({ sheets: ['Hidden', '客户'], sheet: '客户' });
    expect(info.headerRow).toBe(2);
    expect(info.columns.map((c) => c.name)).toEqual(['名称', '签约日期', '序列号日期', '备注', '联系人', '']);
    expect(rows[0]).toEqual({ rowNumber: 3, cells: ['华为技术', new Date(Date.UTC(2026, 2, 1)), 46082, '华为技术!', '张三', '13800138000'] });
    // Serial 15 in a date cell is 1900-01-15 in Excel, which exceljs reads one day early.
    expect(rows[1]!.cells.slice(0, 5)).toEqual(['早期', new Date(Date.UTC(1900, 0, 15)), 60, 2, true]);
    expect(rows[2]!.cells.slice(0, 4)).toEqual(['带时间', new Date(Date.UTC(2026, 2, 1, 12)), 1.5, new Date(Date.UTC(2026, 2, 2, 6))]);
  });

  it('reads a chosen sheet by name or position, and names the sheets when one is missing', async () => {
    const bytes = await workbook();
    expect((await read(bytes, { sheet: 'hidden' })).info.columns[0]!.name).toBe('secret');
    expect((await read(bytes, { sheet: 1 })).info.xlsx?.sheet).toBe('Hidden');
    const err = (await read(bytes, { sheet: 'Orders' }).catch((e: unknown) => e)) as ImportError;
    expect(err.code).toBe('SHEET_NOT_FOUND');
    expect(err.message).toContain('Hidden, 客户');
  });

  it('reads inline strings as well as shared ones', async () => {
    const bytes = await xlsxBytes((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['a', 'b']).commit();
      ws.addRow(['x', 1]).commit();
      ws.commit();
    }, false);
    expect((await read(bytes)).cells).toEqual([['x', 1]]);
  });

  it('refuses a broken zip as INVALID_FILE', async () => {
    await expect(read(Buffer.from('PK\u0003\u0004 not really a zip at all'))).rejects.toMatchObject({ code: 'INVALID_FILE' });
  });
});

describe('.xlsx with much Chinese text', () => {
  it('keeps every character whole across the reader’s 16 KB chunks (exceljs #2063)', async () => {
    const bytes = await xlsxBytes((wb) => {
      const ws = wb.addWorksheet('客户');
      ws.addRow(['客户名称', '地址']).commit();
      for (let i = 0; i < 5000; i++) ws.addRow([`华为技术有限公司${i}`, `广东省深圳市龙岗区坂田街道${i}号`]).commit();
      ws.commit();
    });
    const { rows, info } = await read(bytes, {}, 64 * 1024);
    expect(info.xlsx?.sheet).toBe('客户');
    expect(rows).toHaveLength(5000);
    rows.forEach((r, i) => expect(r.cells).toEqual([`华为技术有限公司${i}`, `广东省深圳市龙岗区坂田街道${i}号`]));
  });
});

describe('CSV round trip (property)', () => {
  const unit = fc.constantFrom(...Array.from('a Z9,;|\t"\'\n\r客户名称𠮷é=-'), '\r\n');
  const cell = fc.string({ unit, maxLength: 12 });
  const encodings = [
    { name: 'utf-8', encode: (t: string) => Buffer.from(t, 'utf8'), detected: 'utf-8' },
    { name: 'utf-8 BOM', encode: (t: string) => Buffer.from('\ufeff' + t, 'utf8'), detected: 'utf-8' },
    { name: 'gb18030', encode: (t: string) => iconv.encode(t, 'gb18030'), detected: 'gb18030' },
    { name: 'utf-16le BOM', encode: (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(t, 'utf16le')]), detected: 'utf-16le' },
  ];

  it('reads back any table written with RFC 4180 quoting, in any encoding, from chunks of any size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }).chain((width) =>
          fc
            .array(fc.tuple(fc.stringMatching(/^[a-z]{1,5}$/), fc.array(cell, { minLength: width - 1, maxLength: width - 1 })), {
              minLength: 1,
              maxLength: 8,
            })
            .map((rows) => ({ width, rows })),
        ),
        fc.constantFrom(...CSV_DELIMITERS),
        fc.constantFrom(...encodings),
        fc.integer({ min: 1, max: 50 }),
        async ({ width, rows }, delimiter, encoding, chunk) => {
          const header = Array.from({ length: width }, (_, i) => `列${i}`);
          const table = rows.map(([first, rest]) => [first, ...rest]);
          const text = [header, ...table].map((r) => csvLine(r, delimiter)).join('');
          const { info, cells } = await read(encoding.encode(text), { delimiter }, chunk);
          expect(info.csv?.encoding).toBe(encoding.detected);
          expect(info.columns.map((c) => c.name)).toEqual(header);
          expect(cells).toEqual(table.map((r) => r.map((v) => (v === '' ? null : v))));
        },
      ),
      { numRuns: 150 },
    );
  });
});
