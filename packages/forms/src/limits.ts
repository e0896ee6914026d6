/** Size caps of a form definition, checked at design time. */
export const FORM_LIMITS = {
  /** Characters of the definition as JSON. */
  maxJsonLength: 200_000,
  /** Layout nodes (sections, tabs, fields, dividers, descriptions) in all. */
  maxLayoutNodes: 1000,
  /** Nesting of sections and tabs. */
  maxLayoutDepth: 6,
  maxValidations: 100,
  /** Characters of one formula. */
  maxFormulaLength: 2000,
  /** Characters of one help text, placeholder, title, description or message (per language). */
  maxTextLength: 2000,
  /** Characters of a layout node id or validation id. */
  maxIdLength: 64,
} as const;
