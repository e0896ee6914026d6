import { childFieldsOf, type FieldDefinition, type FormulaResultType, getFieldTypeOrThrow } from '@crm/schema';
import { type FormulaFieldType, type FormulaScalarType, type FormulaType, formulaTypeOfValueKind, type ResolveLabel } from '../formula';
import { buildComputedPlanOrThrow, type ComputedPlan } from './computed-plan';
import { ComputedError, ComputedErrorCode } from './errors';
import { parseFormulaAstOrThrow, tagFormulaError, typeOfFormulaOrThrow } from './formula-port';

const RESULT_SCALAR: Record<FormulaResultType, FormulaScalarType> = { number: 'number', text: 'text', date: 'date', datetime: 'datetime', switch: 'boolean' };

/** Which formula results a result type accepts (text takes anything single; dates convert both ways). */
const ACCEPTS: Record<FormulaResultType, readonly FormulaType[]> = {
  number: ['number'],
  text: ['text', 'number', 'boolean', 'date', 'datetime'],
  date: ['date', 'datetime'],
  datetime: ['datetime', 'date'],
  switch: ['boolean'],
};

/** How a field looks to formulas: its value type, or a subform's columns. */
export function formulaTypeOfField(field: FieldDefinition): FormulaFieldType {
  if (field.type === 'formula') return RESULT_SCALAR[(field.settings.resultType as FormulaResultType | undefined) ?? 'number'] ?? 'any';
  if (field.type === 'rollup') return 'number';
  if (field.type === 'subform') {
    const columns: Record<string, FormulaScalarType | 'any'> = {};
    for (const child of childFieldsOf(field)) {
      const t = formulaTypeOfField(child);
      columns[child.key] = typeof t === 'string' && !t.endsWith('-list') && t !== 'any' ? (t as FormulaScalarType) : 'any';
    }
    return { subform: columns };
  }
  const def = getFieldTypeOrThrow(field.type);
  return formulaTypeOfValueKind(def.valueKind({ ...def.defaultSettings, ...field.settings })) ?? 'any';
}

/** `{label}` references: a field's label (or key) to its key; after `{Subform}.`, a column's. */
function labelResolver(fields: readonly FieldDefinition[]): ResolveLabel {
  const find = (list: readonly FieldDefinition[], label: string) => (list.find((f) => f.label === label) ?? list.find((f) => f.key === label))?.key;
  return (label, scope) => {
    if (!scope) return find(fields, label);
    const subform = fields.find((f) => f.key === scope.subform);
    return subform ? find(childFieldsOf(subform), label) : undefined;
  };
}

function prepareFormulaOrThrow(field: FieldDefinition, scope: Record<string, FormulaFieldType>, labels: ResolveLabel, name: string): void {
  const settings = field.settings as { expression: string; resultType?: FormulaResultType };
  const resultType = settings.resultType ?? 'number';
  try {
    const ast = parseFormulaAstOrThrow(settings.expression, labels);
    const type = typeOfFormulaOrThrow({ ast, fields: scope });
    if (type !== 'any' && type !== 'blank' && !ACCEPTS[resultType].includes(type)) {
      throw new ComputedError(ComputedErrorCode.FORMULA_TYPE, `Formula "${name}" gives ${type} but its result type is ${resultType}`, {
        field: name,
        resultType,
        formulaType: type,
      });
    }
    field.settings = { ...field.settings, ast };
  } catch (err) {
    throw tagFormulaError(err, name);
  }
}

/**
 * Design-time check of an entity's computed fields (the complete new field list): every
 * formula, also in subform rows, parses and type-checks against the fields it may read (a
 * record formula: the record's fields; a row formula: its row's columns), its result fits the
 * declared result type, and no formulas read each other in a loop. Fills `settings.ast` of
 * every formula in place. Throws FormulaError (with position and `field`) or ComputedError.
 */
export function prepareComputedFieldsOrThrow(args: { fields: FieldDefinition[] }): ComputedPlan {
  const scope: Record<string, FormulaFieldType> = {};
  for (const f of args.fields) scope[f.key] = formulaTypeOfField(f);
  const labels = labelResolver(args.fields);
  for (const f of args.fields) {
    if (f.type === 'formula') prepareFormulaOrThrow(f, scope, labels, f.key);
    if (f.type !== 'subform') continue;
    const children = childFieldsOf(f);
    const rowScope: Record<string, FormulaFieldType> = {};
    for (const child of children) rowScope[child.key] = formulaTypeOfField(child);
    const rowLabels = labelResolver(children);
    for (const child of children) if (child.type === 'formula') prepareFormulaOrThrow(child, rowScope, rowLabels, `${f.key}.${child.key}`);
  }
  return buildComputedPlanOrThrow({ fields: args.fields });
}
