import { compileFilterEvaluatorOrThrow, type FilterEvaluator, type ResolveField } from '@crm/rules';
import { copyRecord, type FieldDefinition, type Issue } from '@crm/schema';
import { substituteFormTokens } from './conditions';
import { formulaSupport } from './formula';
import { findCycle } from './cycles';
import { formMessage, pickText } from './messages';
import type { FormDefinition, LayoutNode, Locale } from './types';
import { resolveFieldOf, typeOf } from './vocabulary';

type Values = Readonly<Record<string, unknown>>;
type Evaluator = (args: { values: Values; now: Date }) => unknown;

/** What a form's rules say about the current values. */
export interface FormRulesResult {
  /** Fields hidden by a visibility rule (their own or a section's or tab's). */
  hidden: Set<string>;
  /** Fields that must be filled in: required by the entity, or by a required-when rule while shown. */
  required: Set<string>;
  readOnly: Set<string>;
  /** Empty required fields and failed submit validations, with localized messages. */
  issues: Issue[];
}

/** A form prepared for evaluation: conditions per field, formulas parsed once. */
interface PreparedForm {
  resolveField: ResolveField | undefined;
  labels: Map<string, string>;
  /** Per field: the visibility conditions of its sections/tabs and its own, all of which must hold. */
  visibility: Map<string, unknown[]>;
  formulas: Map<string, Evaluator | Error>;
  /** Conditions parsed and checked once, on first use (an Error: the rule no longer fits the fields). */
  conditions: Map<unknown, FilterEvaluator | Error>;
  /** Fields with a formula default, ordered so that each comes after the formula defaults it reads. */
  formulaOrder: string[];
  entityRequired: string[];
  /** Date-time fields: compared in canonical toISOString() form, whatever offset was sent. */
  datetimeKeys: string[];
  /** Top-level fields the rules read (conditions and validation formulas); null: unknown, take all. */
  ruleKeys: string[] | null;
  /** Per formula default: the top-level fields it reads. */
  formulaKeys: Map<string, string[]>;
  /** Fields visibility rules read (computed on first use; null: unknown). */
  visibilityKeys?: ReadonlySet<string> | null;
}

const prepared = new WeakMap<FormDefinition, WeakMap<object, PreparedForm>>();
const NO_FIELDS = {};

/**
 * Prepares a (normalized) form once per form object and field list: the server keeps one form
 * object per published version, the browser one per page, so nothing is parsed per evaluation.
 */
export function prepare(form: FormDefinition, fields: readonly FieldDefinition[] | undefined): PreparedForm {
  let byFields = prepared.get(form);
  if (!byFields) prepared.set(form, (byFields = new WeakMap()));
  const hit = byFields.get(fields ?? NO_FIELDS);
  if (hit) return hit;
  const visibility = new Map<string, unknown[]>();
  const walk = (nodes: LayoutNode[], inherited: unknown[]) => {
    for (const n of nodes) {
      if (n.type === 'field') visibility.set(n.key, inherited);
      else if (n.type === 'section') walk(n.children, n.visibleWhen === undefined ? inherited : [...inherited, n.visibleWhen]);
      else if (n.type === 'tabs') for (const t of n.tabs) walk(t.children, t.visibleWhen === undefined ? inherited : [...inherited, t.visibleWhen]);
    }
  };
  walk(form.layout, []);
  for (const [key, cfg] of Object.entries(form.fields)) {
    const own = cfg.visibleWhen === undefined ? [] : [cfg.visibleWhen];
    visibility.set(key, [...(visibility.get(key) ?? []), ...own]);
  }
  const support = formulaSupport();
  const formulas = new Map<string, Evaluator | Error>();
  const compileFormula = (text: string) => {
    if (formulas.has(text)) return;
    try {
      if (!support) throw new Error('formulas are not available');
      formulas.set(text, support.compile({ formula: text, fields: fields ?? [] }));
    } catch (err) {
      formulas.set(text, err instanceof Error ? err : new Error(String(err)));
    }
  };
  const deps = new Map<string, string[]>();
  const formulaKeys = new Map<string, string[]>();
  for (const [key, cfg] of Object.entries(form.fields)) {
    if (cfg.default?.kind !== 'formula') continue;
    compileFormula(cfg.default.formula);
    const checked = support?.check({ formula: cfg.default.formula, fields: fields ?? [] });
    deps.set(key, checked && 'dependencies' in checked ? checked.dependencies : []);
    if (checked && 'dependencies' in checked) formulaKeys.set(key, checked.dependencies);
  }
  const ruleKeys = new Set<string>();
  let allKeys = false;
  for (const v of form.validations) {
    if (!v.formula) continue;
    compileFormula(v.formula);
    const checked = support?.check({ formula: v.formula, fields: fields ?? [] });
    if (checked && 'dependencies' in checked) for (const k of checked.dependencies) ruleKeys.add(k);
    else allKeys = true; // a formula that no longer checks fails at run time; let it see everything
  }
  const resolveField = fields ? resolveFieldOf(fields) : undefined;
  // Every condition is checked and compiled here, once: evaluation reads only the fields they use.
  const conditions = new Map<unknown, FilterEvaluator | Error>();
  const conditionOf = (condition: unknown) => {
    if (conditions.has(condition)) return;
    try {
      const evaluator = compileFilterEvaluatorOrThrow({ filter: condition, resolveField });
      for (const k of evaluator.keys) ruleKeys.add(k);
      conditions.set(condition, evaluator);
    } catch (err) {
      conditions.set(condition, err instanceof Error ? err : new Error(String(err)));
    }
  };
  for (const list of visibility.values()) list.forEach(conditionOf);
  for (const cfg of Object.values(form.fields)) if (cfg.requiredWhen !== undefined) conditionOf(cfg.requiredWhen);
  for (const v of form.validations) if (v.condition !== undefined) conditionOf(v.condition);
  const p: PreparedForm = {
    resolveField,
    labels: new Map((fields ?? []).map((f) => [f.key, f.label])),
    visibility,
    formulas,
    conditions,
    formulaOrder: findCycle(deps) ? [...deps.keys()] : topoOrder(deps),
    entityRequired: (fields ?? []).filter((f) => f.required && typeOf(f).def.writable).map((f) => f.key),
    datetimeKeys: (fields ?? []).filter((f) => f.type === 'datetime').map((f) => f.key),
    ruleKeys: allKeys ? null : [...ruleKeys],
    formulaKeys,
  };
  byFields.set(fields ?? NO_FIELDS, p);
  return p;
}

function topoOrder(deps: Map<string, string[]>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (k: string) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const d of deps.get(k) ?? []) if (deps.has(d)) visit(d);
    out.push(k);
  };
  for (const k of deps.keys()) visit(k);
  return out;
}

export const isEmptyValue = (v: unknown): boolean => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Values as conditions see them: blanks are null (as stored), date-times canonical. Only `keys`
 * when given (the fields the rules read): a wide record is not copied whole for a few rules.
 */
function conditionValues(values: Values, datetimeKeys: readonly string[] = [], keys: readonly string[] | null = null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const take = (k: string, v: unknown) => {
    out[k] = v === '' || v === undefined ? null : v;
  };
  if (keys === null) for (const [k, v] of Object.entries(values)) take(k, v);
  else for (const k of keys) if (Object.prototype.propertyIsEnumerable.call(values, k)) take(k, values[k]);
  for (const k of datetimeKeys) {
    const v = out[k];
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) out[k] = new Date(v).toISOString();
  }
  return out;
}

/**
 * What rules read: the values themselves when they are already as conditions see them (no ''
 * among the fields the rules read, date-times canonical; missing and undefined read as null),
 * else conditionValues.
 */
export function ruleData(p: PreparedForm, values: Values): Values {
  if (p.ruleKeys === null) return conditionValues(values, p.datetimeKeys, null);
  for (const k of p.ruleKeys) if (values[k] === '') return conditionValues(values, p.datetimeKeys, p.ruleKeys);
  for (const k of p.datetimeKeys) {
    const v = values[k];
    if (typeof v === 'string' && p.ruleKeys.includes(k) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() !== v)
      return conditionValues(values, p.datetimeKeys, p.ruleKeys);
  }
  return values;
}

/** Formula results count as passed when truthy, like json-logic (empty lists and '' fail). */
const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : !!v && v !== '0');

/**
 * Evaluates visibility, read-only and required-when rules and the submit validations of a
 * form over the current values. Pure and deterministic for the same `now`: the browser and the
 * server run exactly this to decide what shows and what is refused. Pass the entity's `fields`
 * for field labels in messages, canonical comparison of values and entity-required fields.
 */
export function evaluateFormRules({
  form,
  values,
  now,
  fields,
  locale = 'en',
}: {
  form: FormDefinition;
  values: Values;
  now: Date;
  fields?: readonly FieldDefinition[];
  locale?: Locale;
}): FormRulesResult {
  const p = prepare(form, fields);
  const data = ruleData(p, values);
  const holds = (condition: unknown) => conditionHolds(p, condition, data, now);
  const hidden = hiddenOf(p, data, now);
  const readOnly = new Set<string>();
  const required = new Set<string>(p.entityRequired);
  for (const [key, cfg] of Object.entries(form.fields)) {
    if (cfg.readOnly) readOnly.add(key);
    if (cfg.requiredWhen !== undefined && !hidden.has(key) && holds(cfg.requiredWhen)) required.add(key);
  }
  const issues: Issue[] = [];
  const label = (k: string) => p.labels.get(k) ?? k;
  for (const key of required) {
    if (isEmptyValue(values[key]))
      issues.push({ path: `/${key}`, code: 'required', message: formMessage({ code: 'required', locale, params: { label: label(key) } }) });
  }
  for (const v of form.validations) {
    // A check shown next to a field does not apply while that field is hidden.
    if (v.field && hidden.has(v.field)) continue;
    const path = v.field ? `/${v.field}` : '';
    let passed: boolean;
    if (v.condition !== undefined) passed = holds(v.condition);
    else {
      const fn = p.formulas.get(v.formula!);
      try {
        if (!fn || fn instanceof Error) throw fn ?? new Error('formula missing');
        passed = truthy(fn({ values: data, now }));
      } catch (err) {
        issues.push({ path, code: 'rule_error', message: formMessage({ code: 'rule_error', locale, params: { rule: v.id, reason: (err as Error).message } }) });
        continue;
      }
    }
    if (!passed) issues.push({ path, code: 'rule_failed', message: pickText(v.message, locale) || formMessage({ code: 'rule_failed', locale, params: {} }) });
  }
  return { hidden, required, readOnly, issues };
}

/** Whether a condition holds; one made stale by a field change (or failing) counts as not holding. */
export function conditionHolds(p: PreparedForm, condition: unknown, data: Values, now: Date): boolean {
  let evaluate = p.conditions.get(condition);
  if (!evaluate) {
    try {
      evaluate = compileFilterEvaluatorOrThrow({ filter: condition, resolveField: p.resolveField });
    } catch (err) {
      evaluate = err instanceof Error ? err : new Error(String(err));
    }
    p.conditions.set(condition, evaluate);
  }
  if (evaluate instanceof Error) return false;
  try {
    return evaluate({ record: data, now });
  } catch {
    return false;
  }
}

function hiddenOf(p: PreparedForm, data: Values, now: Date): Set<string> {
  const hidden = new Set<string>();
  for (const [key, conditions] of p.visibility) if (conditions.length && !conditions.every((c) => conditionHolds(p, c, data, now))) hidden.add(key);
  return hidden;
}

/** Top-level fields the form's visibility rules read (null: unknown, any field may count). */
export function visibilityKeys({ form, fields }: { form: FormDefinition; fields?: readonly FieldDefinition[] }): ReadonlySet<string> | null {
  const p = prepare(form, fields);
  if (p.visibilityKeys === undefined) {
    const keys = new Set<string>();
    let known = true;
    for (const list of p.visibility.values()) {
      for (const condition of list) {
        const evaluator = p.conditions.get(condition);
        if (evaluator === undefined) known = false;
        else if (!(evaluator instanceof Error)) for (const k of evaluator.keys) keys.add(k);
      }
    }
    p.visibilityKeys = known ? keys : null;
  }
  return p.visibilityKeys;
}

/** The fields a form's visibility rules hide for these values (what evaluateFormRules gives as `hidden`). */
export function hiddenFormFields({
  form,
  values,
  now,
  fields,
}: {
  form: FormDefinition;
  values: Values;
  now: Date;
  fields?: readonly FieldDefinition[];
}): Set<string> {
  const p = prepare(form, fields);
  return hiddenOf(p, ruleData(p, values), now);
}

/** A data-linkage lookup to run: `valueField` of the newest `entityId` record matching `condition`. */
export interface LinkageRequest {
  field: string;
  entityId: string;
  /** The linkage condition with the form's values in place of its `$form.<key>` tokens. */
  condition: unknown;
  valueField: string;
}

/**
 * The lookup a linkage default needs for the current values; null when the field has no
 * linkage default or a form value the condition uses is empty (no lookup, no value).
 */
export function linkageRequest({ form, key, values }: { form: FormDefinition; key: string; values: Values }): LinkageRequest | null {
  const d = form.fields[key]?.default;
  if (d?.kind !== 'linkage') return null;
  let blank = false;
  const condition = substituteFormTokens({
    condition: d.condition,
    valueOf: (k) => {
      const v = values[k];
      if (isEmptyValue(v)) blank = true;
      return v ?? null;
    },
  });
  return blank ? null : { field: key, entityId: d.entityId, condition, valueField: d.valueField };
}

/**
 * Fills the defaults of `keys` (fields left out by the submitter) into a copy of the values:
 * static values first, then data linkage (through `lookup`, which the caller runs against the
 * database or the API), then formulas in dependency order, so a formula may read a static or
 * looked-up default. A formula that fails at run time leaves its field empty and reports an
 * `invalid_default` issue.
 */
export async function resolveDefaults({
  form,
  values,
  keys,
  now,
  fields,
  locale = 'en',
  lookup,
}: {
  form: FormDefinition;
  values: Values;
  keys: Iterable<string>;
  now: Date;
  fields?: readonly FieldDefinition[];
  locale?: Locale;
  lookup: (req: LinkageRequest) => Promise<unknown>;
}): Promise<{ values: Record<string, unknown>; issues: Issue[] }> {
  const p = prepare(form, fields);
  const out: Record<string, unknown> = copyRecord(values);
  const wanted = new Set([...keys].filter((k) => form.fields[k]?.default));
  const issues: Issue[] = [];
  for (const k of wanted) {
    const d = form.fields[k].default!;
    if (d.kind === 'static') out[k] = structuredClone(d.value);
  }
  for (const k of wanted) {
    if (form.fields[k].default!.kind !== 'linkage') continue;
    const req = linkageRequest({ form, key: k, values: out });
    out[k] = req ? ((await lookup(req)) ?? null) : null;
  }
  for (const k of p.formulaOrder) {
    if (!wanted.has(k)) continue;
    const fn = p.formulas.get((form.fields[k].default as { formula: string }).formula);
    try {
      if (!fn || fn instanceof Error) throw fn ?? new Error('formula missing');
      const v = fn({ values: conditionValues(out, p.datetimeKeys, p.formulaKeys.get(k) ?? null), now });
      out[k] = v === undefined ? null : v;
    } catch (err) {
      out[k] = null;
      issues.push({
        path: `/${k}`,
        code: 'invalid_default',
        message: formMessage({ code: 'invalid_default', locale, params: { label: p.labels.get(k) ?? k, reason: (err as Error).message } }),
      });
    }
  }
  return { values: out, issues };
}
