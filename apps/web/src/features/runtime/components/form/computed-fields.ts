import type { RJSFSchema, UiSchema } from '@rjsf/utils';

const ANY = ['string', 'number', 'integer', 'boolean', 'array', 'object', 'null'] as const;

/**
 * Server-assigned fields (formula, rollup, serial) come as `{ readOnly: true }` with no type,
 * which rjsf cannot draw: they get any type and the computed-value widget, so the value the
 * form's rules compute as the member types shows in place.
 */
export function withComputedFields({ schema, uiSchema }: { schema: RJSFSchema; uiSchema: UiSchema }): { schema: RJSFSchema; uiSchema: UiSchema } {
  const props = (schema.properties ?? {}) as Record<string, RJSFSchema | boolean>;
  const nextProps: Record<string, RJSFSchema | boolean> = {};
  const ui: UiSchema = { ...uiSchema };
  for (const [k, p] of Object.entries(props)) {
    if (typeof p === 'object' && p.readOnly && p.type === undefined && !p.anyOf && !p.oneOf && !p.$ref) {
      nextProps[k] = { ...p, type: [...ANY] };
      ui[k] = { ...((ui[k] as object) ?? {}), 'ui:widget': 'ft_formula' };
    } else nextProps[k] = p;
  }
  return { schema: { ...schema, properties: nextProps }, uiSchema: ui };
}
