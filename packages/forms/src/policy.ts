import type { FieldDefinition, Issue } from '@crm/schema';
import { evaluateFormRules, isEmptyValue, type LinkageRequest, resolveDefaults } from './evaluate';
import type { FormDefinition, Locale } from './types';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Applies the form's hidden-field policy to a copy of the values: `clear` empties fields hidden
 * by a visibility rule, `recalculate` gives them their default again (empty without one), `keep`
 * leaves them. Hiding one field can hide another (its value fed a rule), so this repeats until
 * nothing changes (at most 5 rounds). Fields the entity requires are never emptied.
 */
export async function applyHiddenFieldPolicy({
  form,
  values,
  now,
  fields,
  locale = 'en',
  lookup,
}: {
  form: FormDefinition;
  values: Readonly<Record<string, unknown>>;
  now: Date;
  fields?: readonly FieldDefinition[];
  locale?: Locale;
  lookup: (req: LinkageRequest) => Promise<unknown>;
}): Promise<{ values: Record<string, unknown>; hidden: Set<string>; issues: Issue[] }> {
  let out: Record<string, unknown> = { ...values };
  const requiredByEntity = new Set((fields ?? []).filter((f) => f.required).map((f) => f.key));
  const issues: Issue[] = [];
  let hidden = evaluateFormRules({ form, values: out, now, fields, locale }).hidden;
  if (form.hiddenFieldPolicy === 'keep') return { values: out, hidden, issues };
  for (let round = 0; round < 5; round++) {
    const targets = [...hidden].filter((k) => !requiredByEntity.has(k));
    let next: Record<string, unknown> = { ...out };
    for (const k of targets) next[k] = null;
    if (form.hiddenFieldPolicy === 'recalculate') {
      const res = await resolveDefaults({ form, values: next, keys: targets, now, fields, locale, lookup });
      next = res.values;
      issues.push(...res.issues);
    }
    const changed = targets.some((k) => !same(next[k], out[k]) && !(isEmptyValue(next[k]) && isEmptyValue(out[k])));
    out = next;
    if (!changed) break;
    hidden = evaluateFormRules({ form, values: out, now, fields, locale }).hidden;
  }
  return { values: out, hidden, issues };
}
