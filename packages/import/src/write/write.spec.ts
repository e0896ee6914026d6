import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openTable } from '../read/table';
import { scanImport } from '../plan/scan';
import { memoryFile, readAll, sinkStream, xlsxBytes } from '../testing/fixtures';
import { autoMapping, companyFields, directory, settings } from '../testing/scenario';
import type { RowError } from '../types';
import { exportRecords } from './export';
import { writeErrorFile } from './error-file';

async function* pages<T>(...list: T[][]): AsyncGenerator<T[]> {
  for (const page of list) yield page;
}

const record: Record<string, unknown> = {
  id: 7,
  version: 2,
  createdAt: '2026-03-01T06:30:00.000Z',
  createdBy: 'u1',
  updatedAt: '2026-03-02T00:00:00.250Z',
  updatedBy: 'u2',
  ownerId: 'u2',
  name: '=HYPERLINK("http://evil","click")',
  code: '-C1',
  level: 'hot',
  tags: ['vip', 'rd'],
  sales: 'u1',
  team: ['u1', 'u2'],
  dept: 'd3',
  parent: 1,
  products: [3, 2],
  amount: -1234.5,
  signed: '2026-03-01',
  active: true,
  no: 'CO-0007',
  items: [
    { id: 1, sku: '@A1', qty: 2 },
    { id: 2, sku: 'B2', qty: -5 },
  ],
};
const columns = [
  'id',
  'name',
  'code',
  'level',
  'tags',
  'sales',
  'team',
  'dept',
  'parent',
  'products',
  'amount',
  'signed',
  'active',
  'no',
  'items',
  'createdAt',
  'createdBy',
  'updatedAt',
  'ownerId',
];

describe('exportRecords', () => {
  it('writes CSV for people: UTF-8 with BOM, labels and names instead of ids, the member’s time zone, formulas made inert', async () => {
    const out = sinkStream();
    const result = await exportRecords({
      format: 'csv',
      output: out.stream,
      fields: companyFields,
      columns,
      records: pages([record]),
      lookups: directory(),
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
    });
    expect(result.rows).toBe(1);
    const bytes = out.bytes();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe(
      'ID,名称,编码,等级,标签,负责销售,团队,部门,上级公司,产品,金额,签约日期,启用,流水号,明细.SKU,明细.数量,创建时间,创建人,更新时间,负责人',
    );
    const reader = await openTable({ file: memoryFile(bytes)() });
    const [row] = await readAll(reader.chunks());
    expect(row!.cells).toEqual([
      '7',
      `'=HYPERLINK("http://evil","click")`,
      "'-C1",
      'Hot',
      'VIP, Red, dark',
      '张三',
      '张三, 李四',
      '总部/销售部/华东',
      'Existing Co',
      'Phone, Pro, Laptop',
      '-1234.50',
      '2026-03-01',
      '是',
      'CO-0007',
      "'@A1\nB2",
      '2\n-5',
      '2026-03-01 14:30:00',
      '张三',
      '2026-03-02 08:00:00.250',
      '李四',
    ]);
  });

  it('writes .xlsx with typed numbers and dates (the right serials) and inert text', async () => {
    const out = sinkStream();
    await exportRecords({
      format: 'xlsx',
      output: out.stream,
      fields: companyFields,
      columns,
      records: pages([record], [{ ...record, id: 8, signed: '1900-01-15', amount: null, items: [] }]),
      lookups: directory(),
      locale: 'en',
      timeZone: 'UTC',
    });
    const reader = await openTable({ file: memoryFile(out.bytes())() });
    expect(reader.info.columns.slice(0, 3).map((c) => c.name)).toEqual(
      ['ID', 'name', 'code'].map((n, i) => (i === 0 ? 'ID' : companyFields.find((f) => f.key === n)!.label)),
    );
    const rows = await readAll(reader.chunks());
    expect(rows[0]!.cells.slice(0, 3)).toEqual([7, `'=HYPERLINK("http://evil","click")`, "'-C1"]);
    expect(rows[0]!.cells[10]).toBe(-1234.5);
    expect(rows[0]!.cells[11]).toEqual(new Date(Date.UTC(2026, 2, 1)));
    expect(rows[0]!.cells[12]).toBe('Yes');
    expect(rows[0]!.cells[16]).toEqual(new Date(Date.UTC(2026, 2, 1, 6, 30)));
    expect(rows[1]!.cells[11]).toEqual(new Date(Date.UTC(1900, 0, 15)));
    expect(rows[1]!.cells[10]).toBeNull();
  });

  it('refuses unknown columns', async () => {
    await expect(
      exportRecords({
        format: 'csv',
        output: sinkStream().stream,
        fields: companyFields,
        columns: ['nope'],
        records: pages(),
        lookups: directory(),
        locale: 'en',
        timeZone: 'UTC',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_IMPORT_OPTIONS' });
  });

  it('looks names up once per page', async () => {
    const dir = directory();
    let calls = 0;
    const counting = {
      ...dir,
      memberNames: async (a: { ids: string[] }) => (calls++, dir.memberNames(a)),
      departmentPaths: dir.departmentPaths.bind(dir),
      recordTitles: dir.recordTitles.bind(dir),
    };
    await exportRecords({
      format: 'csv',
      output: sinkStream().stream,
      fields: companyFields,
      columns,
      records: pages(Array(50).fill(record), Array(50).fill(record)),
      lookups: counting,
      locale: 'en',
      timeZone: 'UTC',
    });
    expect(calls).toBe(2);
  });
});

describe('writeErrorFile', () => {
  async function errorsOf(bytes: Buffer): Promise<{ errors: RowError[]; info: Awaited<ReturnType<typeof scanImport>>['info'] }> {
    const errors: RowError[] = [];
    const result = await scanImport({
      open: memoryFile(bytes),
      settings: settings({ mapping: await autoMapping(bytes) }),
      lookups: directory(),
      onErrors: (e) => void errors.push(...e),
    });
    return { errors, info: result.info };
  }

  it('gives back a GBK, semicolon CSV in its own encoding and delimiter, with only the failed rows and an error column', async () => {
    const original = '客户名单;;\r\n名称;金额;签约日期\r\n华为;"1.234,5";2026-03-01\r\n小米;12;2026-02-30\r\n;abc;\r\n';
    const bytes = iconv.encode(original, 'gbk');
    const { errors, info } = await errorsOf(bytes);
    expect(info.csv).toMatchObject({ encoding: 'gb18030', delimiter: ';', bom: false });
    const out = sinkStream();
    const written = await writeErrorFile({ open: memoryFile(bytes), info, errors: [errors], output: out.stream, locale: 'zh-CN' });
    expect(written.rows).toBe(3);
    const text = iconv.decode(out.bytes(), 'gbk');
    expect(text.split('\r\n').slice(0, 3)).toEqual(['客户名单;;', '名称;金额;签约日期;错误信息', '华为;1.234,5;2026-03-01;第 3 行：金额：“1.234,5”不是数字']);
    expect(text).toContain('小米;12;2026-02-30;第 4 行：签约日期：“2026-02-30”不是有效日期');
    expect(text).toContain(';abc;;"第 5 行：金额：“abc”不是数字\n名称不能为空"');
    const again = await openTable({ file: memoryFile(out.bytes())() });
    expect(again.info.columns.map((c) => c.name)).toEqual(['名称', '金额', '签约日期', '错误信息']);
  });

  it('keeps a UTF-8 BOM and can keep every row', async () => {
    const bytes = Buffer.from('\ufeff名称,金额\nA,1\nB,x\n', 'utf8');
    const { errors, info } = await errorsOf(bytes);
    const out = sinkStream();
    await writeErrorFile({
      open: memoryFile(bytes),
      info,
      errors: (async function* () {
        yield errors;
      })(),
      output: out.stream,
      locale: 'en',
      allRows: true,
    });
    expect(out.bytes().toString('utf8')).toBe('\ufeff名称,金额,Errors\r\nA,1,\r\nB,x,"Row 3: 金额: ""x"" is not a number"\r\n');
  });

  it('gives back an .xlsx sheet with its values typed and an error column', async () => {
    const bytes = await xlsxBytes((wb) => {
      const ws = wb.addWorksheet('导入');
      ws.addRow(['名称', '金额', '签约日期']).commit();
      const r = ws.addRow(['华为', 'abc', new Date(Date.UTC(2026, 2, 1))]);
      r.getCell(3).numFmt = 'yyyy-mm-dd';
      r.commit();
      ws.addRow(['小米', 12, '2026-02-30']).commit();
      ws.addRow(['OK', 1, '2026-01-01']).commit();
      ws.commit();
    });
    const { errors, info } = await errorsOf(bytes);
    const out = sinkStream();
    await writeErrorFile({ open: memoryFile(bytes), info, errors: [errors], output: out.stream, locale: 'en' });
    const reader = await openTable({ file: memoryFile(out.bytes())() });
    expect(reader.info.xlsx?.sheet).toBe('导入');
    expect(await readAll(reader.chunks())).toEqual([
      { rowNumber: 2, cells: ['华为', 'abc', new Date(Date.UTC(2026, 2, 1)), 'Row 2: 金额: "abc" is not a number'] },
      {
        rowNumber: 3,
        cells: [
          '小米',
          12,
          '2026-02-30',
          'Row 3: 签约日期: "2026-02-30" is not a date (use YYYY-MM-DD, YYYY/MM/DD, the chosen day/month order, or an Excel date)',
        ],
      },
    ]);
  });
});
