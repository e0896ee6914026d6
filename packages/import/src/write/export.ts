import type { FieldDefinition, SubformSettings } from '@crm/schema';
import { ImportError, ImportErrorCode } from '../errors';
import { type ExportRefs, fieldIoOf } from '../field-io';
import { SYSTEM_NAMES, SYSTEM_TARGETS, type SystemTarget } from '../map/targets';
import type { Locale } from '../types';
import { type ExportCell, type ExportContext, type ExportNames, text } from './cells';
import { csvSink, type TableSink, xlsxSink } from './sinks';

/** Names for the ids an export shows, asked once per page of records. */
export interface ExportLookups {
  memberNames(args: { ids: string[] }): Promise<Map<string, string>>;
  /** Each department's path from the top, itself last. */
  departmentPaths(args: { ids: string[] }): Promise<Map<string, string[]>>;
  /** The title (display field) of each record. */
  recordTitles(args: { entityId: string; ids: number[] }): Promise<Map<number, string>>;
}

type Rec = Record<string, unknown>;

/** One column of an export: its header and how a record fills it. */
interface ExportColumn {
  header: string;
  refs(record: Rec, out: ExportRefs): void;
  cell(record: Rec, ctx: ExportContext): ExportCell | null;
}

const SYSTEM_EXPORT: Record<SystemTarget, FieldDefinition> = {
  id: { key: 'id', label: 'ID', type: 'number', settings: { precision: 0 } },
  version: { key: 'version', label: 'Version', type: 'number', settings: { precision: 0 } },
  createdAt: { key: 'createdAt', label: 'Created at', type: 'datetime', settings: {} },
  updatedAt: { key: 'updatedAt', label: 'Updated at', type: 'datetime', settings: {} },
  createdBy: { key: 'createdBy', label: 'Created by', type: 'member', settings: { multiple: false } },
  updatedBy: { key: 'updatedBy', label: 'Updated by', type: 'member', settings: { multiple: false } },
  ownerId: { key: 'ownerId', label: 'Owner', type: 'member', settings: { multiple: false } },
};

function fieldColumn(field: FieldDefinition, header: string): ExportColumn {
  const rule = fieldIoOf(field.type)!.export;
  return {
    header,
    refs: (record, out) => rule.refs?.(record[field.key], field.settings, out),
    cell: (record, ctx) => rule.cell(record[field.key], field.settings, ctx),
  };
}

/** A subform child as one column: each subform row's value on its own line. */
function childColumn(parent: FieldDefinition, child: FieldDefinition): ExportColumn {
  const rule = fieldIoOf(child.type)!.export;
  const rows = (record: Rec): Rec[] => (Array.isArray(record[parent.key]) ? (record[parent.key] as Rec[]) : []);
  return {
    header: `${parent.label}.${child.label}`,
    refs: (record, out) => rows(record).forEach((r) => rule.refs?.(r[child.key], child.settings, out)),
    cell: (record, ctx) => {
      const lines = rows(record).map((r) => rule.cell(r[child.key], child.settings, ctx)?.text.replace(/\r\n|\r|\n/g, ' ') ?? '');
      return lines.some((l) => l !== '') ? text(lines.join('\n')) : null;
    },
  };
}

/**
 * The columns of an export in the order asked: field keys (a subform becomes one column per
 * child), and system fields (id, createdAt, createdBy, updatedAt, updatedBy, ownerId, version).
 */
function exportColumnsOrThrow(args: { fields: readonly FieldDefinition[]; columns: readonly string[]; locale: Locale }): ExportColumn[] {
  const out: ExportColumn[] = [];
  const unknown: string[] = [];
  for (const path of args.columns) {
    const field = args.fields.find((f) => f.key === path);
    if (field?.type === 'subform') for (const child of (field.settings as SubformSettings).fields) out.push(childColumn(field, child));
    else if (field && fieldIoOf(field.type)) out.push(fieldColumn(field, field.label));
    else if ((SYSTEM_TARGETS as readonly string[]).includes(path))
      out.push(fieldColumn(SYSTEM_EXPORT[path as SystemTarget], SYSTEM_NAMES[path as SystemTarget][args.locale][0]!));
    else unknown.push(path);
  }
  if (unknown.length) {
    throw new ImportError({
      code: ImportErrorCode.INVALID_IMPORT_OPTIONS,
      message: { en: `Unknown export columns: ${unknown.join(', ')}.`, 'zh-CN': `未知的导出列：${unknown.join('、')}。` },
      issues: unknown.map((p) => ({ path: '/columns', code: 'unknown_field', message: `"${p}" is not a field` })),
    });
  }
  return out;
}

async function namesFor(refs: ExportRefs, lookups: ExportLookups): Promise<ExportNames> {
  const [members, departments, ...records] = await Promise.all([
    refs.members.size ? lookups.memberNames({ ids: [...refs.members] }) : new Map<string, string>(),
    refs.departments.size ? lookups.departmentPaths({ ids: [...refs.departments] }) : new Map<string, string[]>(),
    ...[...refs.records].map(([entityId, ids]) => lookups.recordTitles({ entityId, ids: [...ids] }).then((titles) => [entityId, titles] as const)),
  ]);
  const byEntity = new Map(records);
  return {
    member: (id) => members.get(id),
    department: (id) => departments.get(id)?.join('/'),
    record: (entityId, id) => byEntity.get(entityId)?.get(id),
  };
}

export interface ExportArgs {
  format: 'csv' | 'xlsx';
  output: NodeJS.WritableStream;
  fields: readonly FieldDefinition[];
  /** Field keys and system fields, in order (a view's visible columns). */
  columns: readonly string[];
  /** Pages of records as the records API returns them (a view's filter and sort already applied). */
  records: AsyncIterable<readonly Rec[]>;
  lookups: ExportLookups;
  locale: Locale;
  /** The member's time zone: date-times are shown in it. */
  timeZone: string;
  sheetName?: string;
  onProgress?: (progress: { rows: number }) => void | Promise<void>;
}

/**
 * Writes records for people to read: choice labels, member names, department paths and record
 * titles instead of ids (looked up once per page), dates in the member's time zone, numbers
 * with their precision, multi-values joined with ", ", a subform child's rows one per line.
 * `.xlsx` keeps numbers and dates typed; CSV is UTF-8 with a byte order mark. Text that a
 * spreadsheet would run as a formula is made inert (see inertText). Nothing is held but a page.
 */
export async function exportRecords(args: ExportArgs): Promise<{ rows: number }> {
  const columns = exportColumnsOrThrow(args);
  const sink: TableSink =
    args.format === 'xlsx'
      ? xlsxSink({
          output: args.output,
          sheetName: args.sheetName,
          headerRow: 1,
          widths: columns.map((c) => Math.min(40, Math.max(10, [...c.header].length * 2))),
        })
      : csvSink({ output: args.output });
  await sink.row(columns.map((c) => text(c.header)));
  let rows = 0;
  for await (const page of args.records) {
    const refs: ExportRefs = { members: new Set(), departments: new Set(), records: new Map() };
    for (const record of page) for (const c of columns) c.refs(record, refs);
    const ctx: ExportContext = { locale: args.locale, timeZone: args.timeZone, names: await namesFor(refs, args.lookups) };
    for (const record of page) await sink.row(columns.map((c) => c.cell(record, ctx)));
    rows += page.length;
    await args.onProgress?.({ rows });
  }
  await sink.end();
  return { rows };
}
