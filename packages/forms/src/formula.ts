import {
  checkFormulaOrThrow,
  evaluateFormula,
  FormulaError,
  type FormulaFieldType,
  formulaDependencies,
  formulaTypeOfValueKind,
  parseFormulaOrThrow,
  printFormula,
} from '@crm/rules';
import { childFieldsOf, type FieldDefinition, isFieldTypeKey } from '@crm/schema';
import { typeOf } from './vocabulary';

/** What forms need of the formula language (packages/rules): check at design time, evaluate at run time. */
export interface FormulaSupport {
  /**
   * Parse and type problems of a formula over these fields (labels may stand for keys; the
   * message gives line and column), or its canonical text (keys) and the fields it reads.
   */
  check(args: { formula: string; fields: readonly FieldDefinition[] }): { text: string; dependencies: string[] } | { error: { code: string; message: string } };
  /** Parses once; the evaluator throws on a run-time error (division by zero, over budget…). */
  compile(args: { formula: string; fields: readonly FieldDefinition[] }): (args: { values: Readonly<Record<string, unknown>>; now: Date }) => unknown;
}

/** How each field appears to the formula type checker; subforms with their columns. */
function fieldTypesOf(fields: readonly FieldDefinition[]): Record<string, FormulaFieldType> {
  const out: Record<string, FormulaFieldType> = {};
  for (const f of fields) {
    if (!isFieldTypeKey(f.type)) continue;
    const { def, settings } = typeOf(f);
    const kind = def.valueKind(settings);
    if (kind === 'object-list') {
      const columns: Record<string, 'number' | 'text' | 'boolean' | 'date' | 'datetime' | 'any'> = {};
      for (const child of childFieldsOf(f)) {
        const t = isFieldTypeKey(child.type) ? formulaTypeOfValueKind(typeOf(child).def.valueKind(typeOf(child).settings)) : undefined;
        columns[child.key] = typeof t === 'string' && !t.endsWith('-list') ? (t as 'number') : 'any';
      }
      out[f.key] = { subform: columns };
      continue;
    }
    const t = formulaTypeOfValueKind(kind);
    if (t) out[f.key] = t;
  }
  return out;
}

function resolveLabelOf(fields: readonly FieldDefinition[]) {
  return (label: string, scope?: { subform: string }) => {
    if (scope) {
      const parent = fields.find((f) => f.key === scope.subform);
      return (parent ? childFieldsOf(parent) : []).find((c) => c.label === label)?.key;
    }
    return fields.find((f) => f.label === label)?.key;
  };
}

const SUPPORT: FormulaSupport = {
  check({ formula, fields }) {
    try {
      const ast = parseFormulaOrThrow({ text: formula, resolveLabel: resolveLabelOf(fields) });
      checkFormulaOrThrow({ ast, fieldTypes: fieldTypesOf(fields) });
      return { text: printFormula({ ast }), dependencies: [...new Set(formulaDependencies({ ast }).map((d) => d.split('.')[0]))] };
    } catch (err) {
      if (err instanceof FormulaError) return { error: { code: err.code, message: err.message } };
      throw err;
    }
  },
  compile({ formula, fields }) {
    const ast = parseFormulaOrThrow({ text: formula, resolveLabel: resolveLabelOf(fields) });
    return ({ values, now }) => {
      const res = evaluateFormula({ ast, values, now });
      if (!res.ok) throw new Error(res.message);
      return res.value;
    };
  },
};

/** The formula language of packages/rules, as forms use it. */
export function formulaSupport(): FormulaSupport | null {
  return SUPPORT;
}
