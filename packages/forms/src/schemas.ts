import { buildRecordSchema, childFieldsOf, type FieldDefinition, type FieldTypeKey, type JsonSchema } from '@crm/schema';
import { pickText } from './messages';
import type { FormDefinition, LayoutNode, Locale } from './types';
import { typeOf } from './vocabulary';

/** rjsf widget and options per field type. */
interface WidgetSpec {
  widget?: string;
  options?: (settings: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * The web app registers the custom widgets (member, department, relation, attachment). Every
 * field type has an entry (a missing one is a compile error); computed types render as
 * read-only text (`ui:options.computed`).
 */
export const WIDGETS = {
  text: { widget: 'text' },
  textarea: { widget: 'textarea' },
  number: { widget: 'updown', options: (s) => ({ precision: s.precision, unit: s.unit }) },
  money: { widget: 'updown', options: (s) => ({ currency: s.currency, precision: s.precision }) },
  date: { widget: 'date' },
  datetime: { widget: 'datetime' },
  switch: { widget: 'checkbox' },
  radio: { widget: 'radio' },
  checkbox: { widget: 'checkboxes' },
  select: { widget: 'select' },
  multiselect: { widget: 'select', options: () => ({ multiple: true }) },
  email: { widget: 'email' },
  phone: { widget: 'text', options: () => ({ inputType: 'tel' }) },
  url: { widget: 'uri' },
  member: { widget: 'member', options: (s) => ({ multiple: s.multiple }) },
  department: { widget: 'department', options: (s) => ({ multiple: s.multiple }) },
  relation: { widget: 'relation', options: (s) => ({ targetEntityId: s.targetEntityId, multiple: s.multiple }) },
  subform: { options: (s) => ({ orderable: true, maxRows: s.maxRows }) },
  attachment: { widget: 'attachment', options: (s) => ({ maxFiles: s.maxFiles, accept: s.accept }) },
  serial: { widget: 'text' },
  formula: { widget: 'text' },
  rollup: { widget: 'text' },
  richtext: { widget: 'richtext' },
  address: { widget: 'address', options: (s) => ({ level: s.level, detail: s.detail }) },
  location: { widget: 'location' },
  rating: { widget: 'rating', options: (s) => ({ max: s.max }) },
  image: { widget: 'image', options: (s) => ({ maxFiles: s.maxFiles }) },
  signature: { widget: 'signature' },
} satisfies Record<FieldTypeKey, WidgetSpec>;

const compact = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Keys in layout order (sections and tabs depth first), then the rest in entity order. */
export function formFieldOrder({ form, entityFields }: { form: FormDefinition; entityFields: readonly FieldDefinition[] }): string[] {
  const out: string[] = [];
  const walk = (nodes: LayoutNode[]) => {
    for (const n of nodes) {
      if (n.type === 'field') out.push(n.key);
      else if (n.type === 'section') walk(n.children);
      else if (n.type === 'tabs') for (const t of n.tabs) walk(t.children);
    }
  };
  walk(form.layout);
  const known = new Set(entityFields.map((f) => f.key));
  const placed = out.filter((k) => known.has(k));
  const seen = new Set(placed);
  return [...placed, ...entityFields.map((f) => f.key).filter((k) => !seen.has(k))];
}

/** The field's rjsf uiSchema: widget, option labels, help, placeholder, read-only, width. */
function fieldUi({
  field,
  form,
  locale,
  width,
}: {
  field: FieldDefinition;
  form: FormDefinition | null;
  locale: Locale;
  width?: string;
}): Record<string, unknown> {
  const { def, settings } = typeOf(field);
  const spec: WidgetSpec = WIDGETS[field.type];
  const cfg = form?.fields[field.key];
  const ui: Record<string, unknown> = {};
  if (spec.widget) ui['ui:widget'] = spec.widget;
  const options = Array.isArray(settings.options) ? (settings.options as { value: string; label: string }[]) : null;
  if (options) ui['ui:enumNames'] = options.map((o) => o.label);
  const help = pickText(cfg?.help, locale);
  const placeholder = pickText(cfg?.placeholder, locale);
  if (help) ui['ui:help'] = help;
  if (placeholder) ui['ui:placeholder'] = placeholder;
  if (cfg?.readOnly || !def.writable) ui['ui:readonly'] = true;
  const opts = compact({ ...(spec.options?.(settings) ?? {}), width, computed: def.writable ? undefined : true });
  if (Object.keys(opts).length) ui['ui:options'] = opts;
  if (field.type === 'subform') {
    const children = childFieldsOf(field);
    ui.items = {
      'ui:order': [...children.map((c) => c.key), '*'],
      ...Object.fromEntries(children.map((c) => [c.key, fieldUi({ field: c, form: null, locale })])),
    };
  }
  return ui;
}

/** The layout with titles and texts in one language, fields limited to `keys`, for a custom rjsf ObjectFieldTemplate. */
function localizedLayout(nodes: LayoutNode[], locale: Locale, keys: Set<string>): unknown[] {
  const out: unknown[] = [];
  for (const n of nodes) {
    if (n.type === 'field') {
      if (keys.has(n.key)) out.push(compact({ type: 'field', key: n.key, width: n.width }));
    } else if (n.type === 'section') {
      out.push(
        compact({
          type: 'section',
          id: n.id,
          title: pickText(n.title, locale),
          columns: n.columns ?? 1,
          collapsible: n.collapsible,
          visibleWhen: n.visibleWhen,
          children: localizedLayout(n.children, locale, keys),
        }),
      );
    } else if (n.type === 'tabs') {
      out.push({
        type: 'tabs',
        id: n.id,
        tabs: n.tabs.map((t) =>
          compact({ id: t.id, title: pickText(t.title, locale), visibleWhen: t.visibleWhen, children: localizedLayout(t.children, locale, keys) }),
        ),
      });
    } else if (n.type === 'divider') out.push(compact({ type: 'divider', id: n.id, title: pickText(n.title, locale) }));
    else out.push({ type: 'description', id: n.id, text: pickText(n.text, locale) ?? '' });
  }
  return out;
}

/** Widths of placed fields, by key. */
function widths(nodes: LayoutNode[], out = new Map<string, string>()): Map<string, string> {
  for (const n of nodes) {
    if (n.type === 'field' && n.width) out.set(n.key, n.width);
    else if (n.type === 'section') widths(n.children, out);
    else if (n.type === 'tabs') for (const t of n.tabs) widths(t.children, out);
  }
  return out;
}

/**
 * JSON Schema and @rjsf (v6) uiSchema of a form. The schema is the entity's record-create
 * schema (the one the server compiles with ajv) for the form's fields, annotated with titles and
 * static defaults; server-computed fields (serial, formulas) are `readOnly` annotations the
 * client leaves out of the body. The uiSchema has `ui:order` (layout order), per field
 * `ui:widget`, `ui:enumNames`, `ui:help`, `ui:placeholder`, `ui:readonly` and `ui:options.width`,
 * and at the root `ui:layout` (sections, tabs, columns, dividers, descriptions in `locale`) and
 * `ui:options.submitHint`. Pass `fieldKeys` to limit the form to some fields (public links).
 */
export function buildFormSchemas({
  entityFields,
  form,
  locale,
  fieldKeys,
}: {
  entityFields: readonly FieldDefinition[];
  form: FormDefinition;
  locale: Locale;
  fieldKeys?: Iterable<string>;
}): { schema: JsonSchema; uiSchema: Record<string, unknown> } {
  const only = fieldKeys ? new Set(fieldKeys) : null;
  const order = formFieldOrder({ form, entityFields }).filter((k) => !only || only.has(k));
  const byKey = new Map(entityFields.map((f) => [f.key, f]));
  const fields = order.map((k) => byKey.get(k)!);
  const base = buildRecordSchema({ fields, mode: 'create' });
  const properties: Record<string, JsonSchema> = {};
  for (const f of fields) {
    const prop = (base.properties as Record<string, JsonSchema>)[f.key];
    const d = form.fields[f.key]?.default;
    const annotated: JsonSchema = prop.readOnlyField ? { readOnly: true } : { ...prop };
    annotated.title = f.label;
    if (d?.kind === 'static') annotated.default = structuredClone(d.value);
    properties[f.key] = annotated;
  }
  const schema: JsonSchema = { ...base, properties };
  const w = widths(form.layout);
  const uiSchema: Record<string, unknown> = { 'ui:order': [...order, '*'] };
  for (const f of fields) uiSchema[f.key] = fieldUi({ field: f, form, locale, width: w.get(f.key) });
  uiSchema['ui:layout'] = localizedLayout(form.layout, locale, new Set(order));
  const submitHint = pickText(form.submitHint, locale);
  uiSchema['ui:options'] = compact({ submitHint, hiddenFieldPolicy: form.hiddenFieldPolicy });
  return { schema, uiSchema };
}
