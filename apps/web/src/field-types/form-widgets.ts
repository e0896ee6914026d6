import { WIDGETS as SERVER_WIDGETS } from '@crm/forms';
import type { FieldDefinition } from '@crm/schema';
import type { RegistryWidgetsType, UiSchema } from '@rjsf/utils';
import { fieldTypeUis } from './registry';

/** rjsf's own widget names, which the Ant Design theme serves. */
const THEME_WIDGETS = new Set(['text', 'textarea', 'updown', 'date', 'datetime', 'checkbox', 'radio', 'checkboxes', 'select', 'email', 'uri']);

/**
 * The form widgets of every field type, under two names: `ft_<type>` (what the designer's
 * preview asks for) and the name the server's uiSchema gives (`member`, `relation`, …), so
 * the staff forms render the server's uiSchema as it comes.
 */
export const FORM_WIDGETS: RegistryWidgetsType = {
  ...Object.fromEntries(Object.entries(fieldTypeUis).map(([type, ui]) => [`ft_${type}`, ui.Widget])),
  ...Object.fromEntries(
    Object.entries(SERVER_WIDGETS)
      .filter(([, spec]) => 'widget' in spec && spec.widget && !THEME_WIDGETS.has(spec.widget))
      .map(([type, spec]) => [(spec as { widget: string }).widget, fieldTypeUis[type as keyof typeof fieldTypeUis].Widget]),
  ),
  subform: fieldTypeUis.subform.Widget,
};

/**
 * The server's uiSchema with the subform table: a subform's uiSchema has no widget (rjsf
 * would draw its rows as nested fieldsets), the editable table replaces that.
 */
export function withSubformTables(uiSchema: UiSchema, fields: readonly FieldDefinition[]): UiSchema {
  const out: UiSchema = { ...uiSchema };
  for (const f of fields) if (f.type === 'subform') out[f.key] = { ...((out[f.key] as object) ?? {}), 'ui:widget': 'subform' };
  return out;
}
