import type { ChoiceOption, FieldDefinition, Issue, RelationSettings } from '@crm/schema';
import { DEFAULT_COERCE_OPTIONS, type CoerceOptions, DATE_ORDERS } from '../coerce/result';
import { isTimeZone } from '../coerce/timezone';
import { ImportError, ImportErrorCode } from '../errors';
import { checkMappingOrThrow, type MappingReport } from '../map/auto-map';
import type { ImportTarget } from '../map/targets';
import { matchKey } from '../text';
import type { SourceColumn } from '../types';
import type { LookupScope } from './lookups';
import { fieldAt, type ImportSettings, type ValueMapping, withAddedOptions } from './settings';

export type ColumnKind = 'scalar' | 'choice' | 'member' | 'department' | 'relation' | 'key';

/** One mapped column, ready to convert its cells. */
export interface ColumnPlan {
  column: SourceColumn;
  /** What messages call the column: its header, or its letter when the header is blank. */
  name: string;
  target: ImportTarget;
  kind: ColumnKind;
  multiple: boolean;
  scope?: LookupScope;
  /** Choices: option by matchKey of its label or value. */
  options?: Map<string, string>;
  /** A top-level relation to the entity being imported: values may name rows of this file. */
  selfRelation: boolean;
  /** matchKey of the file's value → the user's decision. */
  valueMap: Map<string, ValueMapping>;
  /** A unique top-level field: checked within the file and against stored records. */
  unique: boolean;
}

export interface CompiledImport {
  settings: ImportSettings;
  fields: FieldDefinition[];
  coerce: CoerceOptions;
  /** The checked column mapping. */
  report: MappingReport;
  /** Top-level columns (fields, ownerId, the upsert key). */
  columns: ColumnPlan[];
  /** Subform key → its child columns. */
  subforms: Map<string, ColumnPlan[]>;
  /** The upsert key's column and the field looked up by (`id` for the record id). */
  upsert?: { plan: ColumnPlan; field: string; createMissing: boolean };
  /** The column holding the values in-file relations match (the title, or the relation's match field). */
  inFileKey?: { plan: ColumnPlan; field: string };
}

function settingsError(issues: Issue[]): ImportError {
  return new ImportError({
    code: ImportErrorCode.INVALID_IMPORT_OPTIONS,
    message: {
      en: `The import settings are not valid: ${issues.map((i) => i.message).join('; ')}`,
      'zh-CN': `导入设置无效：${issues.map((i) => i.message).join('；')}`,
    },
    issues,
  });
}

function coerceOptionsOrThrow(given: Partial<CoerceOptions> | undefined): CoerceOptions {
  const opts = { ...DEFAULT_COERCE_OPTIONS, ...given };
  const issues: Issue[] = [];
  if (!['dot', 'comma'].includes(opts.numberFormat))
    issues.push({ path: '/coerce/numberFormat', code: 'invalid', message: 'numberFormat must be "dot" or "comma"' });
  if (opts.dateFormat !== 'auto' && !DATE_ORDERS.includes(opts.dateFormat))
    issues.push({ path: '/coerce/dateFormat', code: 'invalid', message: 'dateFormat must be auto, YMD, MDY or DMY' });
  if (typeof opts.timeZone !== 'string' || !isTimeZone(opts.timeZone))
    issues.push({ path: '/coerce/timeZone', code: 'invalid', message: `unknown time zone ${JSON.stringify(opts.timeZone)}` });
  if (issues.length) throw settingsError(issues);
  return opts;
}

function choiceIndex(options: readonly ChoiceOption[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const o of options) if (!index.has(matchKey(o.label))) index.set(matchKey(o.label), o.value);
  for (const o of options) if (!index.has(matchKey(o.value))) index.set(matchKey(o.value), o.value);
  return index;
}

function columnPlan(args: { column: SourceColumn; target: ImportTarget; compiled: Pick<CompiledImport, 'settings'> }): ColumnPlan {
  const { column, target } = args;
  const settings = args.compiled.settings;
  const rule = target.rule;
  const field = target.field;
  const base = {
    column,
    name: column.name || column.letter,
    target,
    multiple: false,
    selfRelation: false,
    valueMap: new Map<string, ValueMapping>(),
    unique: false,
  };
  if (target.importable === 'match-only' || !rule) return { ...base, kind: 'key' };
  if (rule.kind === 'choice')
    return { ...base, kind: 'choice', multiple: rule.multiple, options: choiceIndex((field!.settings as { options: ChoiceOption[] }).options) };
  if (rule.kind === 'member' || rule.kind === 'department')
    return { ...base, kind: rule.kind, multiple: rule.multiple(field?.settings ?? {}), scope: { kind: rule.kind } };
  if (rule.kind === 'relation') {
    const s = field!.settings as RelationSettings;
    const by = settings.relationMatch?.[target.path];
    return {
      ...base,
      kind: 'relation',
      multiple: rule.multiple(s),
      scope: { kind: 'record', entityId: s.targetEntityId, field: by },
      selfRelation: s.targetEntityId === settings.entityId && target.kind === 'field',
    };
  }
  return { ...base, kind: 'scalar', unique: target.kind === 'field' && field?.unique === true };
}

function valueMappingIssues(plans: ColumnPlan[], mappings: readonly ValueMapping[]): Issue[] {
  const issues: Issue[] = [];
  mappings.forEach((vm, i) => {
    const path = `/valueMappings/${i}`;
    const plan = plans.find((p) => p.target.path === vm.target);
    if (!plan || !['choice', 'member', 'department', 'relation'].includes(plan.kind)) {
      issues.push({ path: `${path}/target`, code: 'unknown_target', message: `"${vm.target}" is not a mapped choice, member, department or relation column` });
      return;
    }
    if (!['map', 'add', 'skip', 'empty'].includes(vm.action))
      issues.push({ path: `${path}/action`, code: 'invalid', message: `unknown action ${JSON.stringify(vm.action)}` });
    if (vm.action === 'add' && plan.kind !== 'choice')
      issues.push({ path: `${path}/action`, code: 'invalid', message: `only options can be added, not ${plan.kind}s` });
    if (vm.action === 'add' && plan.kind === 'choice' && !plan.options!.has(matchKey(vm.value))) {
      issues.push({
        path: `${path}/action`,
        code: 'option_not_added',
        message: `add the option "${vm.value}" to ${plan.target.label} before importing (see optionsToAdd)`,
      });
    }
    if (vm.action === 'map') {
      const to = vm.to;
      const valid =
        plan.kind === 'choice'
          ? typeof to === 'string' && [...plan.options!.values()].includes(to)
          : plan.kind === 'relation'
            ? Number.isSafeInteger(to) && (to as number) > 0
            : typeof to === 'string' && to !== '';
      if (!valid)
        issues.push({
          path: `${path}/to`,
          code: 'invalid',
          message: `${JSON.stringify(to)} is not ${plan.kind === 'choice' ? 'an option value' : plan.kind === 'relation' ? 'a record id' : 'an id'} of ${plan.target.label}`,
        });
    }
    plan.valueMap.set(matchKey(vm.value), vm);
  });
  return issues;
}

function upsertOf(compiled: CompiledImport, key: string): CompiledImport['upsert'] {
  const plan = [...compiled.columns].find((p) => p.target.path === key);
  const field = key === 'id' ? undefined : fieldAt(compiled.fields, key);
  const fits = key === 'id' || (field && !key.includes('.') && (field.unique === true || field.type === 'serial'));
  if (!fits)
    throw settingsError([{ path: '/upsertBy', code: 'invalid', message: `"${key}" is not a unique field, a serial number or id: it cannot identify records` }]);
  if (!plan) throw settingsError([{ path: '/upsertBy', code: 'not_mapped', message: `no column is mapped to "${key}", the field rows are matched by` }]);
  // Ids and serials are the server's: a row naming one that does not exist is an error, not a new record.
  return { plan, field: key, createMissing: key !== 'id' && field!.type !== 'serial' };
}

/**
 * Compiles the settings of an import against the file's columns: checks the mapping, the
 * value mappings and the options, and prepares one plan per mapped column. `phase` 'scan'
 * previews `add` mappings as if their options existed; 'plan' needs them saved.
 */
export function compileImportOrThrow(args: { settings: ImportSettings; columns: readonly SourceColumn[]; phase: 'scan' | 'plan' }): CompiledImport {
  const { settings } = args;
  const coerce = coerceOptionsOrThrow(settings.coerce);
  const valueMappings = settings.valueMappings ?? [];
  const fields = args.phase === 'scan' ? withAddedOptions({ fields: settings.fields, valueMappings }) : [...settings.fields];
  const report = checkMappingOrThrow({ columns: args.columns, fields, mapping: settings.mapping, fieldsWithDefaults: settings.fieldsWithDefaults });
  const targets = new Map(report.targets.map((t) => [t.path, t]));
  const compiled: CompiledImport = { settings, fields, coerce, report, columns: [], subforms: new Map() };
  for (const mapped of report.columns) {
    if (!mapped.target) continue;
    const plan = columnPlan({ column: args.columns.find((c) => c.index === mapped.column)!, target: targets.get(mapped.target)!, compiled });
    if (plan.target.kind === 'child') {
      const list = compiled.subforms.get(plan.target.parent!.key) ?? [];
      list.push(plan);
      compiled.subforms.set(plan.target.parent!.key, list);
    } else compiled.columns.push(plan);
  }
  const issues = valueMappingIssues([...compiled.columns, ...[...compiled.subforms.values()].flat()], valueMappings);
  if (issues.length)
    throw new ImportError({
      code: ImportErrorCode.INVALID_VALUE_MAPPING,
      message: {
        en: `The value mapping is not valid: ${issues.map((i) => i.message).join('; ')}`,
        'zh-CN': `值映射无效：${issues.map((i) => i.message).join('；')}`,
      },
      issues,
    });
  if (settings.upsertBy !== undefined) compiled.upsert = upsertOf(compiled, settings.upsertBy);
  const self = compiled.columns.find((p) => p.selfRelation);
  if (self) {
    const matchField = self.scope!.kind === 'record' ? (self.scope!.field ?? settings.titleField) : undefined;
    const keyPlan = matchField ? compiled.columns.find((p) => p.target.path === matchField) : undefined;
    if (keyPlan && matchField) compiled.inFileKey = { plan: keyPlan, field: matchField };
  }
  return compiled;
}
