import { compileFilterEvaluatorOrThrow, type FilterEvaluator, type ResolveField } from '@crm/rules';
import type { FieldDefinition, Issue } from '@crm/schema';
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
}

const prepared = new WeakMap<FormDefinition, WeakMap<object, PreparedForm>>();
const NO_FIELDS = {};

/**
 * Prepares a (normalized) form once per form object and field list: the server keeps one form
 * object per published version, the browser one per page, so nothing is parsed per evaluation.
 */
function prepare(form: FormDefinition, fields: readonly FieldDefinition[] | undefined): PreparedForm {
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
  for (const [key, cfg] of Object.entries(form.fields)) {
    if (cfg.default?.kind !== 'formula') continue;
    compileFormula(cfg.default.formula);
    const checked = support?.check({ formula: cfg.default.formula, fields: fields ?? [] });
    deps.set(key, checked && 'dependencies' in checked ? checked.dependencies : []);
  }
  for (const v of form.validations) if (v.formula) compileFormula(v.formula);
  const p: PreparedForm = {
    resolveField: fields ? resolveFieldOf(fields) : undefined,
    labels: new Map((fields ?? []).map((f) => [f.key, f.label])),
    visibility,
    formulas,
    conditions: new Map(),
    formulaOrder: findCycle(deps) ? [...deps.keys()] : topoOrder(deps),
    entityRequired: (fields ?? []).filter((f) => f.required && typeOf(f).def.writable).map((f) => f.key),
    datetimeKeys: (fields ?? []).filter((f) => f.type === 'datetime').map((f) => f.key),
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

/** Values as conditions see them: blanks are null (as stored), date-times canonical. */
function conditionValues(values: Values, datetimeKeys: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = v === '' || v === undefined ? null : v;
  for (const k of datetimeKeys) {
    const v = out[k];
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) out[k] = new Date(v).toISOString();
  }
  return out;
}

/** Formula results count as passed when truthy, like json-logic (empty lists and '' fail). */
const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : !!v && v !== '0');

/**
 * Evaluates visibility, read-only and required-when rules and the submit validations of a
 * form over the current values. Pure and deterministic for the same `now`: the browser and the
 * server run exactly this to decide what shows and what is refused. Pass the entity's `fields`
 * for field labels in messages, canonical comparison of values and entity-required fields.
 */
export function evaluateFormRules({ form, values, now, fields, locale = 'en' }: { form: FormDefinition; values: Values; now: Date; fields?: readonly FieldDefinition[]; locale?: Locale }): FormRulesResult {
  const p = prepare(form, fields);
  const data = conditionValues(values, p.datetimeKeys);
  const holds = (condition: unknown) => {
    let evaluate = p.conditions.get(condition);
    if (!evaluate) {
      try {
        evaluate = compileFilterEvaluatorOrThrow({ filter: condition, resolveField: p.resolveField });
      } catch (err) {
        evaluate = err instanceof Error ? err : new Error(String(err));
      }
      p.conditions.set(condition, evaluate);
    }
    if (evaluate instanceof Error) return false; // a rule made stale by a field change counts as not holding
    try {
      return evaluate({ record: data, now });
    } catch {
      return false;
    }
  };
  const hidden = new Set<string>();
  for (const [key, conditions] of p.visibility) if (conditions.length && !conditions.every(holds)) hidden.add(key);
  const readOnly = new Set<string>();
  const required = new Set<string>(p.entityRequired);
  for (const [key, cfg] of Object.entries(form.fields)) {
    if (cfg.readOnly) readOnly.add(key);
    if (cfg.requiredWhen !== undefined && !hidden.has(key) && holds(cfg.requiredWhen)) required.add(key);
  }
  const issues: Issue[] = [];
  const label = (k: string) => p.labels.get(k) ?? k;
  for (const key of required) {
    if (isEmptyValue(values[key])) issues.push({ path: `/${key}`, code: 'required', message: formMessage({ code: 'required', locale, params: { label: label(key) } }) });
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
  const out: Record<string, unknown> = { ...values };
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
      const v = fn({ values: conditionValues(out, p.datetimeKeys), now });
      out[k] = v === undefined ? null : v;
    } catch (err) {
      out[k] = null;
      issues.push({ path: `/${k}`, code: 'invalid_default', message: formMessage({ code: 'invalid_default', locale, params: { label: p.labels.get(k) ?? k, reason: (err as Error).message } }) });
    }
  }
  return { values: out, issues };
}
