import { copyRecord, type FieldDefinition, type Issue, sameJson } from '@crm/schema';
import { hiddenFormFields, isEmptyValue, visibilityKeys, type LinkageRequest, resolveDefaults } from './evaluate';
import type { FormDefinition, Locale } from './types';

/**
 * Applies the form's hidden-field policy: `clear` empties fields hidden by a visibility rule,
 * `recalculate` gives them their default again (empty without one), `keep` leaves them. Hiding
 * one field can hide another (its value fed a rule), so this repeats until nothing changes (at
 * most 5 rounds). Fields the entity requires are never emptied. Changes go to a copy, or with
 * `inPlace` (a caller that owns the values) `clear` empties them in `values` itself; when there
 * is nothing to change, the result is `values`.
 */
export async function applyHiddenFieldPolicy({
  form,
  values,
  now,
  fields,
  locale = 'en',
  lookup,
  inPlace = false,
}: {
  form: FormDefinition;
  values: Readonly<Record<string, unknown>>;
  now: Date;
  fields?: readonly FieldDefinition[];
  locale?: Locale;
  lookup: (req: LinkageRequest) => Promise<unknown>;
  inPlace?: boolean;
}): Promise<{ values: Readonly<Record<string, unknown>>; hidden: Set<string>; issues: Issue[] }> {
  let out: Readonly<Record<string, unknown>> = values;
  const issues: Issue[] = [];
  let hidden = hiddenFormFields({ form, values: out, now, fields });
  if (form.hiddenFieldPolicy === 'keep') return { values: out, hidden, issues };
  const requiredByEntity = new Set((fields ?? []).filter((f) => f.required).map((f) => f.key));
  // Only a change to a field some visibility rule reads can hide or show another field.
  const mayShowOrHide = (changed: string[]) => {
    const read = visibilityKeys({ form, fields });
    return changed.length > 0 && (read === null || changed.some((k) => read.has(k)));
  };
  for (let round = 0; round < 5; round++) {
    const targets = [...hidden].filter((k) => !requiredByEntity.has(k));
    let changed: string[];
    if (form.hiddenFieldPolicy === 'clear') {
      // Clearing fields that are empty already changes nothing: no copy, no second look.
      if (targets.every((k) => out[k] === null || out[k] === undefined)) break;
      changed = targets.filter((k) => !isEmptyValue(out[k]));
      const next: Record<string, unknown> = inPlace ? (out as Record<string, unknown>) : copyRecord(out);
      for (const k of targets) next[k] = null;
      out = next;
    } else {
      let next: Record<string, unknown> = copyRecord(out);
      for (const k of targets) next[k] = null;
      const res = await resolveDefaults({ form, values: next, keys: targets, now, fields, locale, lookup });
      next = res.values;
      issues.push(...res.issues);
      changed = targets.filter((k) => !sameJson(next[k], out[k]) && !(isEmptyValue(next[k]) && isEmptyValue(out[k])));
      out = next;
    }
    if (!mayShowOrHide(changed)) break;
    hidden = hiddenFormFields({ form, values: out, now, fields });
  }
  return { values: out, hidden, issues };
}
