import { pointer } from '../condition-safety';
import { argsOf, inspectFormulaAstOrThrow, isVarNode, operatorOf, positionOf, type FormulaAst } from './ast';
import { FormulaError, FormulaErrorCode } from './errors';
import { formulaFunctionOrUndefined, paramAt } from './functions';
import { isFormulaOperator, OPERATOR_DEFINITIONS, type TypeVerdict } from './operators';
import { describeParam, describeType, fitsParam, listOf, type FormulaFieldType, type FormulaType } from './types';

export interface CheckFormulaInput {
  ast: unknown;
  /** Every field the formula may read, by key. */
  fieldTypes: Readonly<Record<string, FormulaFieldType>>;
}

interface Site {
  parent: unknown;
  index: number | undefined;
  path: string;
}

/**
 * Design-time check of a formula against the fields it may read; returns the result type.
 * Throws FormulaError: FORMULA_UNKNOWN_FIELD, FORMULA_TYPE (e.g. text + date), and whatever
 * makes the AST no formula (FORMULA_UNKNOWN_FUNCTION, FORMULA_ARITY, FORMULA_TOO_COMPLEX,
 * FORMULA_FORBIDDEN). Errors carry the position when the AST was parsed in this process.
 */
export function checkFormulaOrThrow({ ast, fieldTypes }: CheckFormulaInput): FormulaType {
  inspectFormulaAstOrThrow(ast);
  return typeOf(ast as FormulaAst, fieldTypes, { parent: undefined, index: undefined, path: '' });
}

function fail(code: FormulaErrorCode, message: string, site: Site, node: unknown, extra: Record<string, unknown> = {}): never {
  const position = site.index === undefined ? positionOf(node) : positionOf(site.parent, site.index);
  throw new FormulaError(code, message, { path: site.path, ...(position ? { position } : {}), ...extra });
}

function typeOf(ast: FormulaAst, fieldTypes: CheckFormulaInput['fieldTypes'], site: Site): FormulaType {
  if (ast === null) return 'blank';
  if (typeof ast === 'boolean') return 'boolean';
  if (typeof ast === 'number') return 'number';
  if (typeof ast === 'string') return 'text';
  if (isVarNode(ast)) return referenceType(ast.var, fieldTypes, site, ast);
  const op = operatorOf(ast);
  const args = argsOf(ast);
  const types = args.map((arg, index) => typeOf(arg, fieldTypes, { parent: ast, index, path: pointer(pointer(site.path, op), index) }));
  const argSite = (index: number): Site => ({ parent: ast, index, path: pointer(pointer(site.path, op), index) });
  let verdict: TypeVerdict;
  if (isFormulaOperator(op)) {
    verdict = OPERATOR_DEFINITIONS[op].type(types);
  } else {
    const definition = formulaFunctionOrUndefined(op)!;
    types.forEach((type, index) => {
      const param = paramAt(definition, index);
      if (!fitsParam(type, param)) {
        fail(
          FormulaErrorCode.FORMULA_TYPE,
          `Argument ${index + 1} of ${op} must be ${describeParam(param)}, not ${describeType(type)}`,
          argSite(index),
          args[index],
          { function: op, expected: param, actual: type },
        );
      }
    });
    verdict = typeof definition.result === 'string' ? definition.result : definition.result(types);
  }
  if (typeof verdict === 'object') {
    const what = isFormulaOperator(op) ? `"${OPERATOR_DEFINITIONS[op].symbol}"` : op;
    fail(FormulaErrorCode.FORMULA_TYPE, `${what}: ${verdict.problem}`, argSite(verdict.argIndex), args[verdict.argIndex], { function: op });
  }
  return verdict;
}

function referenceType(path: string, fieldTypes: CheckFormulaInput['fieldTypes'], site: Site, node: unknown): FormulaType {
  const [key, column] = path.split('.') as [string, string | undefined];
  if (!Object.hasOwn(fieldTypes, key)) fail(FormulaErrorCode.FORMULA_UNKNOWN_FIELD, `Unknown field "${key}"`, site, node, { field: key });
  const type = fieldTypes[key]!;
  if (typeof type === 'string') {
    if (column !== undefined) fail(FormulaErrorCode.FORMULA_UNKNOWN_FIELD, `"${key}" is not a subform: "${path}" names nothing`, site, node, { field: path });
    return type;
  }
  if (column === undefined) {
    fail(FormulaErrorCode.FORMULA_TYPE, `"${key}" is a subform: name one of its columns, e.g. SUM(${key}.amount)`, site, node, { field: key });
  }
  if (!Object.hasOwn(type.subform, column))
    fail(FormulaErrorCode.FORMULA_UNKNOWN_FIELD, `The subform "${key}" has no column "${column}"`, site, node, { field: path });
  const columnType = type.subform[column]!;
  return columnType === 'any' ? 'any' : listOf(columnType);
}
