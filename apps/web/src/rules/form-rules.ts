import { evaluateFormRules, type FormDefinition, type Locale } from '@crm/forms';
import { evaluateFormula, registerFormulaOperations } from '@crm/rules';
import type { FieldDefinition, Issue } from '@crm/schema';
import { analyzeFormula } from './formula-analysis';

type Values = Record<string, unknown>;
type Evaluator = (args: { values: Readonly<Values>; now: Date }) => unknown;

/** What the preview shows for the sample values: computed values, hidden and required fields, failed checks. */
export interface PreviewRules {
  values: Values;
  hidden: Set<string>;
  required: Set<string>;
  issues: Issue[];
}

/** Formula defaults and formula fields of a form, compiled once per (form, fields) pair. */
interface Formulas {
  /** Formula defaults, by field key. */
  defaults: Map<string, Evaluator>;
  /** Formula fields (computed on the server at save), by field key. */
  computed: Map<string, Evaluator>;
}

let registered = false;
const cache = new WeakMap<FormDefinition, WeakMap<readonly FieldDefinition[], Formulas>>();

function compile(form: FormDefinition, fields: readonly FieldDefinition[]): Formulas {
  let byFields = cache.get(form);
  if (!byFields) cache.set(form, (byFields = new WeakMap()));
  const hit = byFields.get(fields);
  if (hit) return hit;
  if (!registered) {
    registerFormulaOperations();
    registered = true;
  }
  const out: Formulas = { defaults: new Map(), computed: new Map() };
  // Labels or keys in braces, as the formula editor reads them (the admin writes labels; published text has keys).
  const tryCompile = (formula: unknown): Evaluator | null => {
    if (typeof formula !== 'string' || !formula.trim()) return null;
    const analysis = analyzeFormula({ text: formula, fields });
    if (!analysis.ok) return null;
    return ({ values, now }) => {
      const res = evaluateFormula({ ast: analysis.ast, values, now });
      if (!res.ok) throw new Error(res.message);
      return res.value;
    };
  };
  for (const [key, cfg] of Object.entries(form.fields)) {
    const fn = cfg.default?.kind === 'formula' ? tryCompile(cfg.default.formula) : null;
    if (fn) out.defaults.set(key, fn);
  }
  for (const f of fields) {
    const fn = f.type === 'formula' ? tryCompile(f.settings?.expression) : null;
    if (fn) out.computed.set(f.key, fn);
  }
  byFields.set(fields, out);
  return out;
}

/** The form's formula-default keys (the preview recomputes those the admin has not typed into). */
export function formulaDefaultKeys(form: FormDefinition): string[] {
  return Object.entries(form.fields)
    .filter(([, cfg]) => cfg.default?.kind === 'formula')
    .map(([key]) => key);
}

/**
 * Runs the form's rules over the admin's sample values the way a submission would: formula
 * defaults of the fields the admin left alone (`typed` are the ones typed into) and formula
 * fields are computed — repeated so a formula may read another's result — then visibility,
 * required-when and submit validations (evaluateFormRules, the same code the server runs).
 */
export function previewRules({
  form,
  fields,
  values,
  typed,
  now,
  locale,
}: {
  form: FormDefinition;
  fields: readonly FieldDefinition[];
  values: Values;
  typed: ReadonlySet<string>;
  now: Date;
  locale: Locale;
}): PreviewRules {
  const { defaults, computed } = compile(form, fields);
  const out: Values = { ...values };
  const steps = [...[...defaults].filter(([k]) => !typed.has(k)), ...computed];
  for (let round = 0; round < Math.min(steps.length, 8); round++) {
    let changed = false;
    for (const [key, fn] of steps) {
      let v: unknown;
      try {
        v = fn({ values: out, now });
      } catch {
        v = undefined;
      }
      if (v === null) v = undefined;
      if (JSON.stringify(v) !== JSON.stringify(out[key])) {
        out[key] = v;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rules = evaluateFormRules({ form, values: out, now, fields, locale });
  return { values: out, hidden: rules.hidden, required: rules.required, issues: rules.issues };
}

/** The schema for the current values: required-when rules add to `required`, hidden fields leave it. */
export function schemaWithRules<S extends { required?: unknown; properties?: unknown }>(schema: S, rules: Pick<PreviewRules, 'hidden' | 'required'>): S {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = [...new Set([...((schema.required as string[] | undefined) ?? []), ...rules.required])].filter(
    (k) => !rules.hidden.has(k) && k in properties,
  );
  return { ...schema, required };
}

/** Formula-default keys whose value the user changed away from the computed one (they count as typed from then on). */
export function newlyTyped({ form, typed, next, computed }: { form: FormDefinition; typed: ReadonlySet<string>; next: Values; computed: Values }): string[] {
  return formulaDefaultKeys(form).filter((k) => !typed.has(k) && JSON.stringify(next[k]) !== JSON.stringify(computed[k]));
}
