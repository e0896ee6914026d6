/** Languages the forms speak; messages fall back to English. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** Text an admin writes once or per language: `"Note"` or `{ "en": "Note", "zh-CN": "备注" }`. */
export type LocalizedText = string | Partial<Record<Locale, string>>;

/** How wide a field is within its section's columns (a fraction of the row). */
export const FIELD_WIDTHS = ['1/4', '1/3', '1/2', '2/3', '3/4', 'full'] as const;
export type FieldWidth = (typeof FIELD_WIDTHS)[number];

/** One place on the form. Sections and tabs nest; fields, dividers and descriptions are leaves. */
export type LayoutNode = SectionNode | TabsNode | FieldNode | DividerNode | DescriptionNode;

export interface SectionNode {
  type: 'section';
  id: string;
  title?: LocalizedText;
  /** Columns of the section's grid (1–4; 1 by default). */
  columns?: number;
  collapsible?: boolean;
  /** The whole section (and every field in it) shows only while this json-logic condition holds. */
  visibleWhen?: unknown;
  children: LayoutNode[];
}

export interface TabsNode {
  type: 'tabs';
  id: string;
  tabs: { id: string; title: LocalizedText; visibleWhen?: unknown; children: LayoutNode[] }[];
}

export interface FieldNode {
  type: 'field';
  key: string;
  width?: FieldWidth;
}

export interface DividerNode {
  type: 'divider';
  id: string;
  title?: LocalizedText;
}

export interface DescriptionNode {
  type: 'description';
  id: string;
  text: LocalizedText;
}

/**
 * Where a new record's value comes from when the submitter leaves the field out:
 * - static: this value;
 * - formula: a formula over the form's values (see docs/formula-reference.md);
 * - linkage (数据联动): `valueField` of the newest record of `entityId` matching `condition`, a
 *   json-logic condition over that entity's fields whose values may be `"$form.<key>"` tokens
 *   standing for the current form's values.
 */
export type DefaultValue =
  { kind: 'static'; value: unknown } | { kind: 'formula'; formula: string } | { kind: 'linkage'; entityId: string; condition: unknown; valueField: string };

/** Per-field settings of a form (the field itself — type, label, required — lives on the entity). */
export interface FormFieldConfig {
  help?: LocalizedText;
  placeholder?: LocalizedText;
  default?: DefaultValue;
  /** 显隐规则: the field shows only while this json-logic condition over the form's values holds. */
  visibleWhen?: unknown;
  /** Submitters cannot change the value (it comes from the default, or stays as stored). */
  readOnly?: boolean;
  /** The field must be filled in while this json-logic condition holds (and the field shows). */
  requiredWhen?: unknown;
}

/** 校验规则: checked when the form is submitted; fails with its own message. */
export interface SubmitValidation {
  id: string;
  /** A json-logic condition that must hold… */
  condition?: unknown;
  /** …or a formula that must give a true value (exactly one of the two). */
  formula?: string;
  message: LocalizedText;
  /** The field the message is shown next to; the whole form when absent. */
  field?: string;
}

/**
 * What happens to the values of fields hidden by a visibility rule when a record is saved:
 * - keep: whatever was sent or stored stays;
 * - clear (the default): the value is emptied, so nothing the submitter could not see is saved;
 * - recalculate: the field gets its default value again (empty when it has none).
 */
export const HIDDEN_FIELD_POLICIES = ['keep', 'clear', 'recalculate'] as const;
export type HiddenFieldPolicy = (typeof HIDDEN_FIELD_POLICIES)[number];
export const DEFAULT_HIDDEN_FIELD_POLICY: HiddenFieldPolicy = 'clear';

/** A form definition as admins write it and as `normalizeFormOrThrow` returns it. */
export interface FormDefinition {
  /** Fields not placed in the layout follow at the end, in the entity's order. */
  layout: LayoutNode[];
  fields: Record<string, FormFieldConfig>;
  validations: SubmitValidation[];
  /** 提交提示: shown to the submitter after a successful submission. */
  submitHint?: LocalizedText;
  hiddenFieldPolicy: HiddenFieldPolicy;
}
