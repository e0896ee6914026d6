import { buildRecordSchema, compileRecordSchema, createAjv } from '@crm/schema';
import { describe, expect, it } from 'vitest';
import { memoryFile } from '../testing/fixtures';
import { autoMapping, COMPANY, companyFields, csv, directory, runPlan, settings } from '../testing/scenario';
import type { RowError } from '../types';
import { scanImport } from './scan';
import { optionsToAdd, withAddedOptions } from './settings';

const HEADER = '名称,编码,等级,标签,负责销售,团队,部门,上级公司,产品,金额,签约日期,启用,明细.SKU,明细.数量';

async function scan(lines: string[], extra: Parameters<typeof settings>[0] = {}) {
  const bytes = csv(lines);
  const dir = directory();
  const errors: RowError[] = [];
  const result = await scanImport({
    open: memoryFile(bytes),
    settings: settings({ mapping: await autoMapping(bytes), ...extra }),
    lookups: dir,
    onErrors: (e) => void errors.push(...e),
  });
  return { result, errors, dir, bytes };
}

describe('scanImport', () => {
  it('converts a clean row into the records API’s JSON (valid for the entity’s create schema)', async () => {
    const { result, errors } = await scan([
      HEADER,
      'Acme,C-100,hot,"VIP, Partner",张三,"张三，li@x.cn",销售部/华东,Existing Co,"Phone, Pro; Laptop","¥1,234.50",2026/3/1,是,"A1\nB2","2\n5"',
    ]);
    expect(errors).toEqual([]);
    expect(result.preview[0]).toMatchObject({ rowNumber: 2, action: 'create', errors: [] });
    const values = result.preview[0]!.values;
    expect(values).toEqual({
      name: 'Acme',
      code: 'C-100',
      level: 'hot',
      tags: ['vip', 'partner'],
      sales: 'u1',
      team: ['u1', 'u2'],
      dept: 'd3',
      parent: 1,
      products: [3, 2],
      amount: 1234.5,
      signed: '2026-03-01',
      active: true,
      items: [
        { sku: 'A1', qty: 2 },
        { sku: 'B2', qty: 5 },
      ],
    });
    const validate = compileRecordSchema(createAjv(), buildRecordSchema({ fields: companyFields, mode: 'create' }));
    expect(validate(values)).toBe(true);
    expect(result).toMatchObject({ totalRows: 1, validRows: 1, errorRows: 0, creates: 1, updates: 0 });
  });

  it('reports every problem of a dirty file, per row and column, in both languages', async () => {
    const { errors, result } = await scan([
      HEADER,
      'Beta,,Hott,VIP,王五,赵六,华东,Nowhere Inc,Tablet,12.345,2026-02-30,maybe,,x',
      ',,,,,,,,,,,,,',
      'Beta,C-001,cold,,,,,,,abc,03/04/2026,,S1,',
    ]);
    expect(result).toMatchObject({ totalRows: 2, validRows: 0, errorRows: 2 });
    const byCode = errors.map((e) => [e.row, e.column, e.code]);
    expect(byCode).toEqual([
      [2, '等级', 'unmatched_option'],
      [2, '负责销售', 'ambiguous_member'],
      [2, '团队', 'unmatched_member'],
      [2, '部门', 'ambiguous_department'],
      [2, '上级公司', 'unmatched_record'],
      [2, '产品', 'unmatched_record'],
      [2, '金额', 'too_many_decimals'],
      [2, '签约日期', 'invalid_date'],
      [2, '启用', 'invalid_switch'],
      [2, '明细.数量', 'invalid_number'],
      [4, '金额', 'invalid_number'],
      [4, '签约日期', 'ambiguous_date'],
      [4, '明细.数量', 'required'],
    ]);
    const ambiguous = errors.find((e) => e.code === 'ambiguous_member')!;
    expect(ambiguous).toMatchObject({ field: 'sales', columnIndex: 4, value: '王五' });
    expect(ambiguous.message.en).toContain('王五 <w1@x.cn>, 王五 <w2@x.cn>');
    expect(ambiguous.message['zh-CN']).toContain('请填写邮箱');
    expect(errors.find((e) => e.code === 'invalid_number' && e.row === 2)!.message.en).toBe('明细.数量 #1: "x" is not a number');
  });

  it('finds a required field left empty, a duplicate within the file and a value already stored', async () => {
    const { errors } = await scan([HEADER, 'Gamma,C-200,,,,,,,,,,,,', ',C-201,,,,,,,,,,,,', 'Gamma,C-202,,,,,,,,,,,,', 'Delta,C-001,,,,,,,,,,,,']);
    expect(errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [3, 'name', 'required'],
      [4, 'name', 'duplicate_in_file'],
      [5, 'code', 'unique_exists'],
    ]);
    expect(errors[1]!.message.en).toBe('名称: "Gamma" is already used by row 2 of this file');
    expect(errors[2]!.message['zh-CN']).toBe('编码：“C-001”已被记录 #1 使用');
  });

  it('collects unmatched values per column with counts, rows and suggestions, before anything is written', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 1200; i++) lines.push(`Co ${i},,${i % 3 === 0 ? 'Hott' : 'warm'},${i % 2 ? 'vip、Gold' : ''},赵六,,,,,,,,,`);
    const { result, errors } = await scan(lines, { chunkSize: 500 });
    expect(errors).toHaveLength(400 + 1200 + 600);
    const level = result.unmatched.find((u) => u.target === 'level')!;
    expect(level).toMatchObject({ column: 2, header: '等级', kind: 'choice', truncated: false });
    expect(level.values).toEqual([{ value: 'Hott', count: 400, rows: expect.any(Array), reason: 'not_found', candidates: [], suggestions: ['hot'] }]);
    expect(level.values[0]!.rows.slice(0, 3)).toEqual([2, 5, 8]);
    expect(level.values[0]!.rows).toHaveLength(100);
    expect(result.unmatched.find((u) => u.target === 'tags')!.values.map((v) => [v.value, v.count])).toEqual([['Gold', 600]]);
    expect(result.unmatched.find((u) => u.target === 'sales')!.values.map((v) => [v.value, v.count, v.reason])).toEqual([['赵六', 1200, 'not_found']]);
  });

  it('asks the lookups once per chunk and kind, never once per row', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 2000; i++) lines.push(`Co ${i},,,,${i % 2 ? '张三' : 'li@x.cn'},成员${i},总部,,Phone,,,,,`);
    const { dir, result } = await scan(lines, { chunkSize: 500 });
    expect(result.errorRows).toBe(2000);
    // New names in every chunk: one call per chunk; names seen before come from the cache.
    expect(dir.calls.members).toBe(4);
    expect(dir.calls.departments).toBe(1);
    expect(dir.recordCalls.filter((c) => c.entityId === 'ent_product')).toHaveLength(1);
    expect(dir.recordCalls.filter((c) => c.entityId === COMPANY && c.field === 'name')).toHaveLength(4);
    expect(dir.recordCalls.find((c) => c.field === 'name')!.values).toHaveLength(500);
  });

  it('hints which day/month order fits a column of ambiguous dates', async () => {
    const { result } = await scan([HEADER, 'A,,,,,,,,,,03/04/2026,,,', 'B,,,,,,,,,,25/04/2026,,,', 'C,,,,,,,,,,2026-01-01,,,']);
    expect(result.dateHints).toEqual([{ column: 10, target: 'signed', orders: ['DMY'], ambiguousValues: 1 }]);
  });

  it('reports errors without a cap', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 6000; i++) lines.push(`,,hot,,,,,,,,,,,`);
    const { errors, result } = await scan(lines);
    expect(result.errorRows).toBe(6000);
    expect(errors).toHaveLength(6000);
    expect(errors.at(-1)).toMatchObject({ row: 6001, code: 'required' });
  });
});

describe('value mappings', () => {
  const lines = [HEADER, 'A,,Hott,,赵六,,,,,,,,,', 'B,,Lukewarm,,,,,,,,,,,', 'C,,Bogus,,,,,,,,,,,', 'D,,hott,,,,,,,,,,,'];
  const valueMappings = [
    { target: 'level', value: 'HOTT', action: 'map' as const, to: 'hot' },
    { target: 'level', value: 'Lukewarm', action: 'add' as const },
    { target: 'level', value: 'bogus', action: 'skip' as const },
    { target: 'sales', value: '赵六', action: 'empty' as const },
  ];

  it('previews the mapped values (added options included) and leaves out the skipped rows, reported', async () => {
    const { result, errors } = await scan(lines, { valueMappings });
    expect(result.preview.map((p) => [p.values.level, p.values.sales])).toEqual([
      ['hot', undefined],
      ['Lukewarm', undefined],
      [undefined, undefined],
      ['hot', undefined],
    ]);
    expect(errors.map((e) => [e.row, e.code])).toEqual([[4, 'skipped_by_mapping']]);
    expect(result.unmatched).toEqual([]);
  });

  it('plans with the options added by the API first, and refuses to plan before', async () => {
    const bytes = csv(lines);
    const mapping = await autoMapping(bytes);
    await expect(runPlan({ bytes, settings: settings({ mapping, valueMappings }), dir: directory() })).rejects.toMatchObject({ code: 'INVALID_VALUE_MAPPING' });
    expect(optionsToAdd({ fields: companyFields, valueMappings })).toEqual([{ target: 'level', options: [{ value: 'Lukewarm', label: 'Lukewarm' }] }]);
    const fields = withAddedOptions({ fields: companyFields, valueMappings });
    const run = await runPlan({ bytes, settings: settings({ mapping, valueMappings, fields }), dir: directory() });
    expect(run.records.slice(1).map((r) => [r.name, r.level])).toEqual([
      ['A', 'hot'],
      ['B', 'Lukewarm'],
      ['D', 'hot'],
    ]);
    expect(run.summary).toMatchObject({ rows: 4, creates: 3, errorRows: 1, aborted: false });
  });

  it('refuses mappings to unknown options, ids of the wrong kind, or adding a member', async () => {
    const bytes = csv(lines);
    const mapping = await autoMapping(bytes);
    const bad = [
      { target: 'level', value: 'x', action: 'map' as const, to: 'nope' },
      { target: 'sales', value: 'x', action: 'add' as const },
      { target: 'parent', value: 'x', action: 'map' as const, to: 'abc' },
      { target: 'amount', value: '1', action: 'skip' as const },
    ];
    const err = await runPlan({ bytes, settings: settings({ mapping, valueMappings: bad }), dir: directory() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_VALUE_MAPPING' });
    expect((err as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      '/valueMappings/0/to',
      '/valueMappings/1/action',
      '/valueMappings/2/to',
      '/valueMappings/3/target',
    ]);
  });
});

describe('planImport', () => {
  const lines = [HEADER, 'A,C-1,hot,,,,,,,1,,,,', 'B,C-2,nope,,,,,,,2,,,,', 'C,C-3,cold,,,,,,,3,,,,'];

  it('valid rows: writes the good rows in batches with their row numbers, reports the rest', async () => {
    const bytes = csv(lines);
    const run = await runPlan({ bytes, settings: settings({ mapping: await autoMapping(bytes) }), dir: directory() });
    expect(run.batches.map((b) => [b.phase, b.creates.map((c) => c.rowNumber), b.errors.map((e) => e.row)])).toEqual([['write', [2, 4], [3]]]);
    expect(run.batches[0]!.creates[0]).toEqual({ rowNumber: 2, values: { name: 'A', code: 'C-1', level: 'hot', amount: 1 }, linksLater: false });
    expect(run.summary).toEqual({ rows: 3, creates: 2, updates: 0, links: 0, errorRows: 1, aborted: false });
  });

  it('all or nothing: checks every row first and plans nothing when one fails', async () => {
    const bytes = csv(lines);
    const run = await runPlan({ bytes, settings: settings({ mapping: await autoMapping(bytes), write: 'all-or-nothing' }), dir: directory() });
    expect(run.batches.map((b) => [b.phase, b.creates.length, b.errors.length])).toEqual([['check', 0, 1]]);
    expect(run.summary).toMatchObject({ aborted: true, errorRows: 1, creates: 0 });
    expect(run.records).toHaveLength(1);
    const clean = csv([lines[0]!, lines[1]!, lines[3]!]);
    const ok = await runPlan({ bytes: clean, settings: settings({ mapping: await autoMapping(clean), write: 'all-or-nothing' }), dir: directory() });
    expect(ok.batches.map((b) => [b.phase, b.creates.length])).toEqual([
      ['check', 0],
      ['write', 2],
    ]);
  });

  it('refuses to plan creates when a required field has no column', async () => {
    const bytes = csv(['编码', 'C-9']);
    await expect(runPlan({ bytes, settings: settings({ mapping: await autoMapping(bytes) }), dir: directory() })).rejects.toMatchObject({
      code: 'INVALID_MAPPING',
    });
  });

  it('upsert by a unique field: updates the match with its version, creates the others, refuses a key twice', async () => {
    const bytes = csv(['编码,名称,金额', 'C-001,Existing Co,99', 'C-002,New Co,5', 'c-001,Again,1', 'C-003,,']);
    const run = await runPlan({ bytes, settings: settings({ mapping: await autoMapping(bytes), upsertBy: 'code' }), dir: directory() });
    const batch = run.batches[0]!;
    expect(batch.updates).toEqual([{ rowNumber: 2, id: 1, version: 4, values: { code: 'C-001', name: 'Existing Co', amount: 99 }, linksLater: false }]);
    expect(batch.creates.map((c) => c.rowNumber)).toEqual([3]);
    expect(batch.errors.map((e) => [e.row, e.code])).toEqual([
      [4, 'duplicate_in_file'],
      [5, 'required'],
    ]);
  });

  it('upsert keeps stored values for empty cells, or clears them when asked', async () => {
    const bytes = csv(['编码,金额,等级', 'C-001,,hot']);
    const mapping = await autoMapping(bytes);
    const keep = await runPlan({ bytes, settings: settings({ mapping, upsertBy: 'code' }), dir: directory() });
    expect(keep.batches[0]!.updates[0]!.values).toEqual({ code: 'C-001', level: 'hot' });
    const clear = await runPlan({ bytes, settings: settings({ mapping, upsertBy: 'code', emptyCells: 'clear' }), dir: directory() });
    expect(clear.batches[0]!.updates[0]!.values).toEqual({ code: 'C-001', amount: null, level: 'hot' });
  });

  it('upsert by id or serial: a value that matches nothing is an error, not a new record', async () => {
    const byId = csv(['ID,金额', '1,10', '#2,20', 'x,30']);
    const run = await runPlan({ bytes: byId, settings: settings({ mapping: await autoMapping(byId), upsertBy: 'id' }), dir: directory() });
    expect(run.batches[0]!.updates.map((u) => [u.id, u.values])).toEqual([[1, { amount: 10 }]]);
    expect(run.batches[0]!.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'unmatched_record'],
      [4, 'invalid_value'],
    ]);
    const bySerial = csv(['流水号,金额', 'CO-0001,10', 'CO-0002,20']);
    const serial = await runPlan({ bytes: bySerial, settings: settings({ mapping: await autoMapping(bySerial), upsertBy: 'no' }), dir: directory() });
    expect(serial.batches[0]!.updates.map((u) => u.id)).toEqual([1]);
    expect(serial.batches[0]!.errors.map((e) => e.code)).toEqual(['unmatched_record']);
  });

  it('refuses an upsert key that is not unique or not mapped', async () => {
    const bytes = csv(['名称,金额', 'A,1']);
    const mapping = await autoMapping(bytes);
    await expect(runPlan({ bytes, settings: settings({ mapping, upsertBy: 'amount' }), dir: directory() })).rejects.toMatchObject({
      code: 'INVALID_IMPORT_OPTIONS',
    });
    await expect(runPlan({ bytes, settings: settings({ mapping, upsertBy: 'code' }), dir: directory() })).rejects.toMatchObject({
      code: 'INVALID_IMPORT_OPTIONS',
    });
  });

  it('links relations to rows of the same file once every row is written (further down, in a cycle, or to itself)', async () => {
    const bytes = csv(['名称,上级公司', 'Child,Parent', 'Parent,Existing Co', 'Ping,Pong', 'Pong,Ping', 'Self,self', 'Orphan,Nobody']);
    const run = await runPlan({ bytes, settings: settings({ mapping: await autoMapping(bytes) }), dir: directory() });
    expect(run.batches.map((b) => b.phase)).toEqual(['write', 'links']);
    const write = run.batches[0]!;
    expect(write.creates.map((c) => [c.rowNumber, c.values.parent ?? null, c.linksLater])).toEqual([
      [2, null, true],
      [3, 1, false],
      [4, null, true],
      [5, null, true],
      [6, null, true],
    ]);
    expect(write.errors.map((e) => [e.row, e.code])).toEqual([[7, 'unmatched_record']]);
    const byName = new Map(run.records.map((r) => [r.name, r]));
    expect(byName.get('Child')!.parent).toBe(byName.get('Parent')!.id);
    expect(byName.get('Ping')!.parent).toBe(byName.get('Pong')!.id);
    expect(byName.get('Pong')!.parent).toBe(byName.get('Ping')!.id);
    expect(byName.get('Self')!.parent).toBe(byName.get('Self')!.id);
    expect(run.summary.links).toBe(4);
  });

  it('reports a link whose target row was not imported, the row itself being in', async () => {
    const bytes = csv(['名称,上级公司,金额', 'Child,Parent,1', 'Parent,,bad']);
    const run = await runPlan({ bytes, settings: settings({ mapping: await autoMapping(bytes) }), dir: directory() });
    expect(run.batches.map((b) => [b.phase, b.creates.length, b.links.length, b.errors.map((e) => e.code)])).toEqual([
      ['write', 1, 0, ['invalid_number']],
      ['links', 0, 0, ['link_target_missing']],
    ]);
    expect(run.errors.at(-1)!.message.en).toContain('was not imported');
  });

  it('builds each body with the mapped fields in column order, the owner beside them, and leaves out a failed cell', async () => {
    const bytes = csv(['金额,名称,负责人,签约日期,启用', '12.5,A,li@x.cn,2026-03-01,是', 'bad,B,,2026-02-30,否', '3,C,,,否']);
    const run = await runPlan({ bytes, settings: settings({ mapping: await autoMapping(bytes) }), dir: directory() });
    const [a, c] = run.batches[0]!.creates;
    expect(Object.entries(a!.values)).toEqual([
      ['amount', 12.5],
      ['name', 'A'],
      ['signed', '2026-03-01'],
      ['active', true],
    ]);
    expect(a!.ownerId).toBe('u2');
    // An empty cell is left out of a create, as before.
    expect(Object.entries(c!.values)).toEqual([
      ['amount', 3],
      ['name', 'C'],
      ['active', false],
    ]);
    expect(c!.ownerId).toBeUndefined();
    expect(run.batches[0]!.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [3, 'amount', 'invalid_number'],
      [3, 'signed', 'invalid_date'],
    ]);
  });

  it('maps the owner to ownerId, beside the values', async () => {
    const bytes = csv(['名称,负责人', 'A,li@x.cn']);
    const run = await runPlan({ bytes, settings: settings({ mapping: await autoMapping(bytes) }), dir: directory() });
    expect(run.batches[0]!.creates[0]).toMatchObject({ values: { name: 'A' }, ownerId: 'u2' });
  });
});
