import type { FieldDefinition } from '@crm/schema';
import { createContext, useContext } from 'react';

/**
 * What the form widgets need beyond rjsf's props: the entity the form writes (relation
 * pickers ask its `fields/:key/options` route), the field definitions (subform children,
 * row formulas) and the form's current values (a picker filter's `$form.<key>`).
 */
export interface FormWidgetContextValue {
  entityId?: string;
  fields: readonly FieldDefinition[];
  values: () => Record<string, unknown>;
}

const EMPTY: FormWidgetContextValue = { fields: [], values: () => ({}) };

export const FormWidgetContext = createContext<FormWidgetContextValue>(EMPTY);

export const useFormWidgetContext = () => useContext(FormWidgetContext);

/** The definition of the field a widget edits (rjsf's `name` is the field key). */
export function useFieldDefinition(key: string): FieldDefinition | undefined {
  return useFormWidgetContext().fields.find((f) => f.key === key);
}
