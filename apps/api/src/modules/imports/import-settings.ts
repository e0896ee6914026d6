import {
  autoMapColumns,
  CSV_DELIMITERS,
  CSV_ENCODINGS,
  DATE_ORDERS,
  isTimeZone,
  type ColumnMapping,
  type ImportSettings,
  type MappingReport,
  type SourceColumn,
  type TableOptions,
  type ValueMapping,
  type WriteMode,
} from '@crm/import';
import type { FieldDefinition, Issue } from '@crm/schema';
import { AppError } from '../../common/errors';
import type { EntityAccess } from '../access/access.service';
import type { CompiledEntity } from '../entities/entity-runtime.service';

/** The choices of an import as the client sends and the session stores them. */
export interface ImportChoices {
  mapping?: ColumnMapping[];
  valueMappings?: ValueMapping[];
  write?: WriteMode;
  upsertBy?: string | null;
  emptyCells?: 'keep' | 'clear';
  dateFormat?: 'auto' | 'YMD' | 'MDY' | 'DMY';
  numberFormat?: 'dot' | 'comma';
  timeZone?: string;
  relationMatch?: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function invalid(issues: Issue[]): AppError {
  return new AppError('VALIDATION_FAILED', `Invalid import settings: ${issues.map((i) => i.path).join(', ')}`, { errors: issues });
}

/** Reading options sent with the upload (multipart fields are text) or later. */
export function tableOptionsOrThrow(raw: unknown): TableOptions {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw invalid([{ path: '/table', code: 'invalid_type', message: 'table must be an object' }]);
  const out: TableOptions = {};
  const issues: Issue[] = [];
  const text = (k: string) => (raw[k] === undefined || raw[k] === '' || raw[k] === null ? undefined : String(raw[k]));
  const encoding = text('encoding');
  if (encoding !== undefined) {
    if (encoding === 'auto' || (CSV_ENCODINGS as readonly string[]).includes(encoding)) out.encoding = encoding as TableOptions['encoding'];
    else issues.push({ path: '/encoding', code: 'invalid_option', message: `encoding must be auto or one of ${CSV_ENCODINGS.join(', ')}` });
  }
  const delimiter = text('delimiter');
  if (delimiter !== undefined) {
    if (delimiter === 'auto' || (CSV_DELIMITERS as readonly string[]).includes(delimiter)) out.delimiter = delimiter as TableOptions['delimiter'];
    else issues.push({ path: '/delimiter', code: 'invalid_option', message: 'delimiter must be auto, a comma, a semicolon, a tab or |' });
  }
  const sheet = text('sheet');
  if (sheet !== undefined) out.sheet = /^\d+$/.test(sheet) ? Number(sheet) : sheet.slice(0, 100);
  const headerRow = text('headerRow');
  if (headerRow !== undefined) {
    if (/^[1-9]\d{0,6}$/.test(headerRow)) out.headerRow = Number(headerRow);
    else issues.push({ path: '/headerRow', code: 'invalid_value', message: 'headerRow must be a row number from 1' });
  }
  if (issues.length) throw invalid(issues);
  return out;
}

function enumOf<T extends string>(raw: unknown, allowed: readonly T[], path: string, issues: Issue[]): T | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
  issues.push({ path, code: 'invalid_option', message: `must be one of ${allowed.join(', ')}` });
  return undefined;
}

function mappingOf(raw: unknown, issues: Issue[]): ColumnMapping[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length > 2000) {
    issues.push({ path: '/mapping', code: 'invalid_type', message: 'mapping must be a list of { column, target }' });
    return undefined;
  }
  return raw.flatMap((m, i) => {
    if (isObject(m) && Number.isInteger(m.column) && (m.target === null || typeof m.target === 'string'))
      return [{ column: m.column as number, target: m.target as string | null }];
    issues.push({ path: `/mapping/${i}`, code: 'invalid_type', message: 'each mapping is { column: number, target: string | null }' });
    return [];
  });
}

function valueMappingsOf(raw: unknown, issues: Issue[]): ValueMapping[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length > 20_000) {
    issues.push({ path: '/valueMappings', code: 'invalid_type', message: 'valueMappings must be a list of { target, value, action, to? }' });
    return undefined;
  }
  return raw.flatMap((m, i) => {
    const okTo = !isObject(m) || m.to === undefined || typeof m.to === 'string' || typeof m.to === 'number';
    if (isObject(m) && typeof m.target === 'string' && typeof m.value === 'string' && ['map', 'add', 'skip', 'empty'].includes(m.action as string) && okTo)
      return [{ target: m.target, value: m.value, action: m.action as ValueMapping['action'], ...(m.to !== undefined ? { to: m.to as string | number } : {}) }];
    issues.push({ path: `/valueMappings/${i}`, code: 'invalid_type', message: 'each value mapping is { target, value, action: map|add|skip|empty, to? }' });
    return [];
  });
}

/** The choices in a request body, checked (each problem named by its path). */
export function choicesOrThrow(body: unknown): ImportChoices {
  if (body === undefined || body === null) return {};
  if (!isObject(body)) throw invalid([{ path: '/', code: 'invalid_type', message: 'send an object' }]);
  const issues: Issue[] = [];
  const out: ImportChoices = {};
  const mapping = mappingOf(body.mapping, issues);
  if (mapping) out.mapping = mapping;
  const valueMappings = valueMappingsOf(body.valueMappings, issues);
  if (valueMappings) out.valueMappings = valueMappings;
  const write = enumOf(body.write, ['valid-rows', 'all-or-nothing'] as const, '/write', issues);
  if (write) out.write = write;
  if (body.upsertBy !== undefined) {
    if (body.upsertBy === null || (typeof body.upsertBy === 'string' && body.upsertBy.length <= 64)) out.upsertBy = body.upsertBy as string | null;
    else issues.push({ path: '/upsertBy', code: 'invalid_type', message: 'upsertBy must be a field key or null' });
  }
  const emptyCells = enumOf(body.emptyCells, ['keep', 'clear'] as const, '/emptyCells', issues);
  if (emptyCells) out.emptyCells = emptyCells;
  const dateFormat = enumOf(body.dateFormat, ['auto', ...DATE_ORDERS] as const, '/dateFormat', issues);
  if (dateFormat) out.dateFormat = dateFormat;
  const numberFormat = enumOf(body.numberFormat, ['dot', 'comma'] as const, '/numberFormat', issues);
  if (numberFormat) out.numberFormat = numberFormat;
  if (body.timeZone !== undefined) {
    if (typeof body.timeZone === 'string' && isTimeZone(body.timeZone)) out.timeZone = body.timeZone;
    else issues.push({ path: '/timeZone', code: 'invalid_value', message: 'timeZone must be an IANA time zone such as Asia/Shanghai' });
  }
  if (body.relationMatch !== undefined) {
    const rm = body.relationMatch;
    if (isObject(rm) && Object.values(rm).every((v) => typeof v === 'string')) out.relationMatch = rm as Record<string, string>;
    else issues.push({ path: '/relationMatch', code: 'invalid_type', message: 'relationMatch maps a relation column target to a field key of its target' });
  }
  if (issues.length) throw invalid(issues);
  return out;
}

/** New choices over stored ones: what is sent replaces what was stored. */
export function mergeChoices(stored: ImportChoices, sent: ImportChoices): ImportChoices {
  return { ...stored, ...sent };
}

/** Fields the member may fill by import (and, for an upsert, edit): the others are not offered. */
export function importableFields(c: CompiledEntity, acc: EntityAccess<CompiledEntity>, upsert: boolean): FieldDefinition[] {
  const create = acc.access.writable('import');
  const edit = acc.access.writable('edit');
  const ok = (key: string) => (create === 'all' || create.has(key)) && (!upsert || edit === 'all' || edit.has(key));
  return c.meta.fields.filter((f) => ok(f.key));
}

/** The auto mapping for a fresh file; the owner column only for those who may set owners. */
export function autoMapping(args: { columns: SourceColumn[]; fields: FieldDefinition[]; locale: 'en' | 'zh-CN'; mayOwn: boolean }): MappingReport {
  const report = autoMapColumns({ columns: args.columns, fields: args.fields, locale: args.locale });
  if (args.mayOwn) return report;
  return {
    ...report,
    columns: report.columns.map((c) => (c.target === 'ownerId' ? { ...c, target: null, how: null } : c)),
    targets: report.targets.filter((t) => t.path !== 'ownerId'),
  };
}

/** The package's settings for a scan or a plan. */
export function importSettingsOf(args: {
  c: CompiledEntity;
  fields: FieldDefinition[];
  choices: ImportChoices;
  mapping: ColumnMapping[];
  mayOwn: boolean;
}): ImportSettings {
  const { c, choices } = args;
  if (!args.mayOwn && args.mapping.some((m) => m.target === 'ownerId'))
    throw new AppError('FIELD_NOT_WRITABLE', 'Only admins may set the owner of imported records', {
      errors: [{ path: '/mapping', code: 'not_writable', message: 'ownerId cannot be written' }],
    });
  return {
    entityId: c.meta.id,
    fields: args.fields,
    ...(c.meta.displayField ? { titleField: c.meta.displayField } : {}),
    mapping: args.mapping,
    valueMappings: choices.valueMappings ?? [],
    write: choices.write ?? 'valid-rows',
    ...(choices.upsertBy ? { upsertBy: choices.upsertBy } : {}),
    emptyCells: choices.emptyCells ?? 'keep',
    coerce: { dateFormat: choices.dateFormat ?? 'auto', numberFormat: choices.numberFormat ?? 'dot', timeZone: choices.timeZone ?? 'UTC' },
    ...(choices.relationMatch ? { relationMatch: choices.relationMatch } : {}),
  };
}

/** A mapping report as stored and answered: targets without their definitions and rules (the entity has those). */
export function slimReport(report: MappingReport): MappingReport {
  return {
    ...report,
    targets: report.targets.map((t) => ({
      path: t.path,
      label: t.label,
      kind: t.kind,
      importable: t.importable,
      ...(t.reason ? { reason: t.reason } : {}),
      type: t.field?.type ?? null,
      field: null,
      parent: null,
      rule: null,
    })),
  };
}
