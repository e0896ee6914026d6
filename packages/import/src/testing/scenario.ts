// A small CRM used by the plan tests: companies that point at products and at each other.
import type { FieldDefinition } from '@crm/schema';
import { planImport, type PlanBatch } from '../plan/planner';
import type { ImportSettings } from '../plan/settings';
import type { RowError } from '../types';
import { FakeDirectory, field, memoryFile } from './fixtures';

export const COMPANY = 'ent_company';
export const PRODUCT = 'ent_product';

export const companyFields: FieldDefinition[] = [
  field('name', 'text', {}, { label: '名称', required: true, unique: true }),
  field('code', 'text', {}, { label: '编码', unique: true }),
  field(
    'level',
    'select',
    {
      options: [
        { value: 'hot', label: 'Hot' },
        { value: 'warm', label: 'Warm' },
        { value: 'cold', label: 'Cold' },
      ],
    },
    { label: '等级' },
  ),
  field(
    'tags',
    'multiselect',
    {
      options: [
        { value: 'vip', label: 'VIP' },
        { value: 'partner', label: 'Partner' },
        { value: 'rd', label: 'Red, dark' },
      ],
    },
    { label: '标签' },
  ),
  field('sales', 'member', {}, { label: '负责销售' }),
  field('team', 'member', { multiple: true }, { label: '团队' }),
  field('dept', 'department', {}, { label: '部门' }),
  field('parent', 'relation', { targetEntityId: COMPANY }, { label: '上级公司' }),
  field('products', 'relation', { targetEntityId: PRODUCT, multiple: true }, { label: '产品' }),
  field('amount', 'money', { precision: 2 }, { label: '金额' }),
  field('signed', 'date', {}, { label: '签约日期' }),
  field('active', 'switch', {}, { label: '启用' }),
  field('no', 'serial', {}, { label: '流水号' }),
  field(
    'items',
    'subform',
    { fields: [field('sku', 'text', {}, { label: 'SKU' }), field('qty', 'number', { precision: 0 }, { label: '数量', required: true })] },
    { label: '明细' },
  ),
];

export function directory(): FakeDirectory {
  return new FakeDirectory(
    [
      { id: 'u1', name: '张三', email: 'zhang@x.cn' },
      { id: 'u2', name: '李四', email: 'li@x.cn' },
      { id: 'u3', name: '王五', email: 'w1@x.cn' },
      { id: 'u4', name: '王五', email: 'w2@x.cn' },
    ],
    [
      { id: 'd1', name: '总部', path: ['总部'] },
      { id: 'd2', name: '销售部', path: ['总部', '销售部'] },
      { id: 'd3', name: '华东', path: ['总部', '销售部', '华东'] },
      { id: 'd4', name: '华东', path: ['总部', '市场部', '华东'] },
    ],
    {
      [PRODUCT]: [
        { id: 1, name: 'Phone' },
        { id: 2, name: 'Laptop' },
        { id: 3, name: 'Phone, Pro' },
      ],
      [COMPANY]: [{ id: 1, version: 4, name: 'Existing Co', code: 'C-001', no: 'CO-0001' }],
    },
    { [COMPANY]: 'name', [PRODUCT]: 'name' },
  );
}

export const csv = (lines: string[]): Buffer => Buffer.from(lines.join('\n') + '\n', 'utf8');

export function settings(extra: Partial<ImportSettings> = {}): ImportSettings {
  return { entityId: COMPANY, fields: companyFields, titleField: 'name', mapping: [], ...extra };
}

/** Runs a plan the way the API will: writes each batch into the directory before asking for the next. */
export async function runPlan(args: { bytes: Buffer; settings: ImportSettings; dir: FakeDirectory }) {
  const plan = planImport({ open: memoryFile(args.bytes), settings: args.settings, lookups: args.dir });
  const idByRow = new Map<number, number>();
  const errors: RowError[] = [];
  const batches: PlanBatch[] = [];
  for await (const batch of plan.batches()) {
    batches.push(batch);
    errors.push(...batch.errors);
    for (const c of batch.creates) idByRow.set(c.rowNumber, args.dir.insert(COMPANY, { ...c.values, ...(c.ownerId ? { ownerId: c.ownerId } : {}) }));
    for (const u of batch.updates) {
      const rec = args.dir.records_[COMPANY]!.find((r) => r.id === u.id)!;
      Object.assign(rec, u.values, { version: (rec.version ?? 1) + 1 });
      idByRow.set(u.rowNumber, u.id);
    }
    for (const l of batch.links)
      Object.assign(
        args.dir.records_[COMPANY]!.find((r) => r.id === idByRow.get(l.rowNumber))!,
        l.values,
      );
  }
  return { summary: plan.summary, errors, batches, idByRow, records: args.dir.records_[COMPANY]! };
}

/** The auto-mapping of a file's header, as the UI would send it back unchanged. */
export async function autoMapping(bytes: Buffer, fields: readonly FieldDefinition[] = companyFields) {
  const { openTable } = await import('../read/table');
  const { autoMapColumns } = await import('../map/auto-map');
  const reader = await openTable({ file: memoryFile(bytes)() });
  await reader.close();
  return autoMapColumns({ columns: reader.info.columns, fields }).columns.map((c) => ({ column: c.column, target: c.target }));
}
