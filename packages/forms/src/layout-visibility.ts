import type { FieldDefinition } from '@crm/schema';
import { conditionHolds, prepare, ruleData } from './evaluate';
import type { FormDefinition, LayoutNode } from './types';

/**
 * The sections and tabs (by id) a form's visibility rules hide for these values, their own
 * condition or an enclosing one's failing: a read-only page (the record page) hides the whole
 * part, headings and texts with it, as the form does.
 */
export function hiddenLayoutNodes({
  form,
  values,
  now,
  fields,
}: {
  form: FormDefinition;
  values: Readonly<Record<string, unknown>>;
  now: Date;
  fields?: readonly FieldDefinition[];
}): Set<string> {
  const p = prepare(form, fields);
  const data = ruleData(p, values);
  const hidden = new Set<string>();
  const walk = (nodes: LayoutNode[], off: boolean) => {
    for (const n of nodes) {
      if (n.type === 'section') {
        const gone = off || (n.visibleWhen !== undefined && !conditionHolds(p, n.visibleWhen, data, now));
        if (gone) hidden.add(n.id);
        walk(n.children, gone);
      } else if (n.type === 'tabs')
        for (const t of n.tabs) {
          const gone = off || (t.visibleWhen !== undefined && !conditionHolds(p, t.visibleWhen, data, now));
          if (gone) hidden.add(t.id);
          walk(t.children, gone);
        }
    }
  };
  walk(form.layout, false);
  return hidden;
}
