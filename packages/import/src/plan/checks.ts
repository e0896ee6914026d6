import { buildRecordSchema, compileRecordSchema, createAjv, type FieldDefinition, type Issue, issuesFromAjvErrors } from '@crm/schema';
import { rowMessage } from '../messages';
import type { RowError, RowErrorCode } from '../types';
import { type AssembleContext, columnError, type RowDraft } from './assemble';
import type { ColumnPlan, CompiledImport } from './compile';
import { KeyIndex } from './key-index';
import { valueKey } from './lookups';

/** A checked row: written as a create or as an update of `existing`, unless it has errors. */
export interface RowOutcome extends RowDraft {
  existing?: { id: number; version?: number };
}

const AJV_CODES: Record<string, RowErrorCode> = {
  required: 'required',
  too_long: 'too_long',
  too_small: 'out_of_range',
  too_large: 'out_of_range',
  too_many_decimals: 'too_many_decimals',
  invalid_option: 'unmatched_option',
  too_few: 'too_few_values',
  too_many: 'too_many_values',
};

/** The record validator per compiled import: its passes (check, write) share one compile of the schema. */
const validators = new WeakMap<CompiledImport, ReturnType<typeof compileRecordSchema>>();

/** Up to this many fields the bodies the import builds are fast-mode objects: ajv reads them as they are (no view per row). */
const DIRECT_FIELDS = 64;

function validatorOf(compiled: CompiledImport): ReturnType<typeof compileRecordSchema> {
  let validate = validators.get(compiled);
  if (!validate) {
    const schema = buildRecordSchema({ fields: compiled.fields, mode: 'update' });
    const ajv = createAjv();
    validate = compiled.fields.length <= DIRECT_FIELDS ? ajv.compile(schema) : compileRecordSchema(ajv, schema);
    validators.set(compiled, validate);
  }
  return validate;
}

/** State kept across the chunks of one pass: the record validator and the values seen so far. */
export class RowChecker {
  private readonly validate: ReturnType<typeof compileRecordSchema>;
  /** Per unique path (and the upsert key), the first row of each value among the valid rows. */
  private readonly seen = new Map<string, KeyIndex>();
  private readonly plansByPath = new Map<string, ColumnPlan>();
  private readonly requiredKeys: Set<string>;
  /** Required fields no column fills and the server does not: a create must name them (decided once, not per row). */
  private readonly requiredUnmapped: FieldDefinition[];

  constructor(private readonly compiled: CompiledImport) {
    this.validate = validatorOf(compiled);
    for (const plan of [...compiled.columns, ...[...compiled.subforms.values()].flat()]) this.plansByPath.set(plan.target.path, plan);
    this.requiredKeys = new Set(compiled.fields.filter((f) => f.required === true).map((f) => f.key));
    const defaulted = new Set(compiled.settings.fieldsWithDefaults ?? []);
    this.requiredUnmapped = compiled.fields.filter(
      (f) => f.required === true && !this.plansByPath.has(f.key) && !defaulted.has(f.key) && !['formula', 'rollup', 'serial'].includes(f.type),
    );
  }

  /** Finishes a draft: empty values per mode, the record schema, the upsert match, unique values. */
  check(ctx: AssembleContext, draft: RowDraft): RowOutcome {
    const row: RowOutcome = draft;
    if (row.errors.length === 0) this.matchExisting(ctx, row);
    this.settleEmpty(row);
    this.schemaErrors(row); // values with a problem are not in the body: this adds only new ones
    if (row.errors.length === 0) this.uniqueErrors(ctx, row);
    if (row.errors.length === 0) this.remember(row);
    return row;
  }

  private matchExisting(ctx: AssembleContext, row: RowOutcome): void {
    const upsert = this.compiled.upsert;
    if (!upsert || row.key === undefined) return;
    const first = this.seen.get('\u0000key')?.get(valueKey(row.key));
    if (first !== undefined) {
      row.errors.push(columnError({ plan: upsert.plan, row: row.rowNumber, code: 'duplicate_in_file', cell: String(row.key), params: { row: String(first) } }));
      return;
    }
    const found = ctx.resolver.get({ kind: 'record', entityId: this.compiled.settings.entityId, field: upsert.field }, row.key);
    if (found.ids.length === 1) row.existing = { id: found.ids[0] as number, ...(found.version !== undefined ? { version: found.version } : {}) };
    else if (found.ids.length > 1)
      row.errors.push(
        columnError({
          plan: upsert.plan,
          row: row.rowNumber,
          code: 'ambiguous_record',
          cell: String(row.key),
          params: { candidates: found.labels.slice(0, 5).join(', ') },
        }),
      );
    else if (!upsert.createMissing) row.errors.push(columnError({ plan: upsert.plan, row: row.rowNumber, code: 'unmatched_record', cell: String(row.key) }));
  }

  /** Creates leave empty cells out (required ones stay as null, so the schema reports them); updates keep or clear. */
  private settleEmpty(row: RowOutcome): void {
    const clear = row.existing !== undefined && this.compiled.settings.emptyCells === 'clear';
    for (const key in row.values) {
      const value = row.values[key];
      const empty = value === null || (Array.isArray(value) && value.length === 0);
      if (!empty || clear) continue;
      if (row.existing || !this.requiredKeys.has(key)) delete row.values[key];
      else row.values[key] = null;
    }
    const keyFailed = this.compiled.upsert !== undefined && row.errors.some((e) => e.field === this.compiled.upsert!.plan.target.path);
    if (!row.existing && !keyFailed) {
      for (const f of this.requiredUnmapped) {
        if (f.key in row.values) continue;
        row.errors.push({
          row: row.rowNumber,
          column: '',
          columnIndex: null,
          field: f.key,
          code: 'required',
          message: rowMessage('required', { field: f.label, value: '' }),
          value: null,
        });
      }
    }
  }

  private schemaErrors(row: RowOutcome): void {
    if (this.validate(row.values)) return;
    const en = issuesFromAjvErrors(this.validate.errors, { locale: 'en' });
    const zh = issuesFromAjvErrors(this.validate.errors, { locale: 'zh-CN' });
    en.forEach((issue, i) => row.errors.push(this.schemaError(row.rowNumber, issue, zh[i]?.message ?? issue.message)));
  }

  private schemaError(rowNumber: number, issue: Issue, zh: string): RowError {
    const parts = issue.path.split('/').slice(1);
    const path = parts.length >= 3 ? `${parts[0]}.${parts[2]}` : (parts[0] ?? '');
    const plan = this.plansByPath.get(path) ?? this.plansByPath.get(parts[0] ?? '');
    const line = parts.length >= 2 && /^\d+$/.test(parts[1]!) ? Number(parts[1]) + 1 : undefined;
    const at = plan ? (line ? `${plan.name} #${line}` : plan.name) : path;
    return {
      row: rowNumber,
      column: plan?.name ?? '',
      columnIndex: plan?.column.index ?? null,
      field: plan?.target.path ?? (path || null),
      code: AJV_CODES[issue.code] ?? 'invalid_value',
      message:
        issue.code === 'required'
          ? rowMessage('required', { field: at, value: '' })
          : { en: `${at}: ${issue.message.replace(/^\S*\s/, '')}`, 'zh-CN': `${at}：${zh.replace(/^\/\S*\s?/, '')}` },
      value: null,
    };
  }

  private uniqueErrors(ctx: AssembleContext, row: RowOutcome): void {
    for (const plan of this.compiled.columns) {
      if (!plan.unique || plan === this.compiled.upsert?.plan) continue;
      const value = row.values[plan.target.path];
      if (value === null || value === undefined) continue;
      const shown = String(value);
      const first = this.seen.get(plan.target.path)?.get(valueKey(value as string | number));
      if (first !== undefined) {
        row.errors.push(columnError({ plan, row: row.rowNumber, code: 'duplicate_in_file', cell: shown, params: { row: String(first) } }));
        continue;
      }
      const stored = ctx.resolver.get({ kind: 'record', entityId: this.compiled.settings.entityId, field: plan.target.path }, value as string | number);
      const other = stored.ids.find((id) => id !== row.existing?.id);
      if (other !== undefined) row.errors.push(columnError({ plan, row: row.rowNumber, code: 'unique_exists', cell: shown, params: { id: String(other) } }));
    }
  }

  private remember(row: RowOutcome): void {
    const add = (path: string, value: unknown): void => {
      if (value === null || value === undefined) return;
      let index = this.seen.get(path);
      if (!index) this.seen.set(path, (index = new KeyIndex()));
      index.add(valueKey(value as string | number), row.rowNumber);
    };
    if (row.key !== undefined) add('\u0000key', row.key);
    for (const plan of this.compiled.columns) if (plan.unique) add(plan.target.path, row.values[plan.target.path]);
  }
}
