import {
  checkFormulaOrThrow,
  evaluateFormula,
  formulaDependencies,
  FormulaError,
  formulaTypeOfField,
  parseFormulaOrThrow,
  printFormula,
  registerFormulaOperations,
  type FormulaFieldType,
  type FormulaResult,
  type FormulaType,
  type ResolveLabel,
} from '@crm/rules';
import { childFieldsOf, type FieldDefinition } from '@crm/schema';

/**
 * The formula editor's brain, pure: the same parse and type check as the server
 * (packages/rules; the server's design check is prepareComputedFieldsOrThrow), giving either
 * the result type or the error with the range to underline, and a preview on sample values.
 */

/** A field a formula may read (an entity definition's field satisfies it). */
export type FormulaEditorField = Pick<FieldDefinition, 'key' | 'label' | 'type' | 'settings'>;

export interface FormulaProblem {
  code: string;
  message: string;
  /** UTF-16 offsets into the text; `to` > `from` except at the end of the text. */
  from: number;
  to: number;
}

export type FormulaAnalysis = { ok: true; ast: unknown; type: FormulaType; dependencies: string[] } | { ok: false; problem: FormulaProblem };

const asDefinition = (f: FormulaEditorField) => ({ required: false, unique: false, ...f, settings: f.settings ?? {} }) as FieldDefinition;

/** Label (or key) → key, and after `{Subform}.` a column's, exactly as the server resolves them. */
export function labelResolver(fields: readonly FormulaEditorField[]): ResolveLabel {
  const find = (list: readonly FormulaEditorField[], label: string) => (list.find((f) => f.label === label) ?? list.find((f) => f.key === label))?.key;
  return (label, scope) => {
    if (!scope) return find(fields, label);
    const subform = fields.find((f) => f.key === scope.subform);
    return subform ? find(childFieldsOf(asDefinition(subform)), label) : undefined;
  };
}

export function fieldTypesOf(fields: readonly FormulaEditorField[]): Record<string, FormulaFieldType> {
  const out: Record<string, FormulaFieldType> = {};
  for (const f of fields) out[f.key] = formulaTypeOfField(asDefinition(f));
  return out;
}

/**
 * The server stores form formulas in their canonical text, with field keys (`price * qty`); the
 * admin reads and writes labels. Canonical text (no `{`) that parses is shown with every field
 * it reads as `{label}`; text the admin typed with labels, or that does not parse, stays as it
 * is (its spacing and any half-typed part kept). Never throws.
 */
export function formulaWithLabels({ text, fields }: { text: string; fields: readonly FormulaEditorField[] }): string {
  if (!text.trim() || text.includes('{')) return text;
  try {
    const ast = parseFormulaOrThrow({ text, resolveLabel: labelResolver(fields) });
    const labelOf = (key: string, scope?: { subform: string }) => {
      const list = scope
        ? childFieldsOf(asDefinition(fields.find((f) => f.key === scope.subform) ?? { key: '', label: '', type: 'text', settings: {} }))
        : fields;
      return list.find((f) => f.key === key)?.label;
    };
    return printFormula({ ast, labelOf });
  } catch {
    return text;
  }
}

/** Parses and type-checks formula text against the fields; never throws. */
export function analyzeFormula({ text, fields }: { text: string; fields: readonly FormulaEditorField[] }): FormulaAnalysis {
  try {
    const ast = parseFormulaOrThrow({ text, resolveLabel: labelResolver(fields) });
    const type = checkFormulaOrThrow({ ast, fieldTypes: fieldTypesOf(fields) });
    return { ok: true, ast, type, dependencies: formulaDependencies({ ast }) };
  } catch (error) {
    return { ok: false, problem: problemOf(error, text) };
  }
}

/** A FormulaError (ours, or the server's problem details with `position`) as a range; the whole text when it has none. */
export function problemOf(error: unknown, text: string): FormulaProblem {
  if (error instanceof FormulaError) {
    const p = error.position;
    return { code: error.code, message: error.message, from: p ? p.offset : 0, to: p ? p.offset + p.length : text.length };
  }
  return { code: 'FORMULA_PARSE', message: error instanceof Error ? error.message : String(error), from: 0, to: text.length };
}

let registered = false;

/**
 * Evaluates a checked formula on sample values typed as text: numbers, yes/no and lists
 * (subform columns, comma separated) are converted by the field's formula type.
 */
export function previewFormula({
  ast,
  fields,
  samples,
  now = new Date(),
}: {
  ast: unknown;
  fields: readonly FormulaEditorField[];
  samples: Record<string, string>;
  now?: Date;
}): FormulaResult {
  if (!registered) {
    registerFormulaOperations();
    registered = true;
  }
  const types = fieldTypesOf(fields);
  const values: Record<string, unknown> = {};
  for (const [path, raw] of Object.entries(samples)) {
    const [key, column] = path.split('.') as [string, string | undefined];
    const type = types[key];
    if (type === undefined) continue;
    if (column !== undefined && typeof type === 'object') {
      const parts = raw.trim() === '' ? [] : raw.split(/[,，]/).map((x) => x.trim());
      const rows = (values[key] as Record<string, unknown>[] | undefined) ?? [];
      parts.forEach((part, i) => {
        rows[i] = { ...(rows[i] ?? {}), [column]: sampleValue(part, type.subform[column] ?? 'any') };
      });
      values[key] = rows;
    } else if (typeof type === 'string') values[key] = sampleValue(raw, type);
  }
  return evaluateFormula({ ast, values, now });
}

function sampleValue(raw: string, type: FormulaType | 'any'): unknown {
  if (raw.trim() === '') return null;
  if (type.endsWith('-list')) return raw.split(/[,，]/).map((x) => sampleValue(x.trim(), type.slice(0, -5) as FormulaType));
  if (type === 'number') return Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (type === 'boolean') return ['true', '1', 'yes', '是', 'y'].includes(raw.trim().toLowerCase());
  return raw;
}

/** What a formula's preview shows for a value: text for the screen, dates as written. */
export function formatPreview(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(formatPreview).join(', ');
  return String(value);
}
