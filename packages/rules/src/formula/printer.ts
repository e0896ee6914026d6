import { argsOf, inspectFormulaAstOrThrow, isVarNode, operatorOf, type FormulaAst, type FormulaNode } from './ast';
import { isFormulaOperator, OPERATOR_DEFINITIONS, UNARY_MINUS_PRECEDENCE } from './operators';
import { numberText } from './runtime';

/** Label of a field key (of a column when `scope.subform` is set), or undefined to print the key. */
export type LabelOf = (key: string, scope?: { subform: string }) => string | undefined;

export interface PrintFormulaInput {
  ast: unknown;
  /** Prints `{label}` instead of keys where it returns a label. */
  labelOf?: LabelOf;
}

const PRIMARY = 9;

/**
 * Canonical text of a formula AST: single spaces around binary operators, upper-case function
 * names, `true`/`false`/`null`, JSON string escapes, the fewest parentheses that keep the tree.
 * parseFormulaOrThrow(printFormula(ast)) deep-equals ast. Throws FormulaError for an AST that
 * is not a formula.
 */
export function printFormula({ ast, labelOf }: PrintFormulaInput): string {
  inspectFormulaAstOrThrow(ast);
  // Recursion is safe: the AST was just checked to be at most FORMULA_LIMITS.maxDepth deep.
  return print(ast as FormulaAst, labelOf);
}

function print(ast: FormulaAst, labelOf: LabelOf | undefined): string {
  if (ast === null) return 'null';
  if (typeof ast === 'boolean') return ast ? 'true' : 'false';
  if (typeof ast === 'number') {
    // Plain decimals read better (0.0000001, not 1e-7) and name the same double; very long ones keep the exponent.
    const plain = numberText(ast);
    return plain.length <= 21 ? plain : String(ast);
  }
  if (typeof ast === 'string') return JSON.stringify(ast);
  if (isVarNode(ast)) return printReference(ast.var, labelOf);
  const op = operatorOf(ast);
  const args = argsOf(ast);
  if (!isFormulaOperator(op)) return `${op}(${args.map((arg) => print(arg, labelOf)).join(', ')})`;
  if (op === '-' && args.length === 1) {
    const operand = args[0]!;
    // -(5) keeps the operation apart from the literal -5; a looser operand needs parentheses.
    const wrap = typeof operand === 'number' || precedenceOf(operand) < UNARY_MINUS_PRECEDENCE;
    const text = print(operand, labelOf);
    return `-${wrap ? `(${text})` : text}`;
  }
  const definition = OPERATOR_DEFINITIONS[op];
  return args
    .map((arg, index) => {
      const text = print(arg, labelOf);
      return needsParentheses(ast, arg, index) ? `(${text})` : text;
    })
    .join(` ${definition.symbol} `);
}

function precedenceOf(ast: FormulaAst): number {
  if (typeof ast !== 'object' || ast === null || isVarNode(ast)) return PRIMARY;
  const op = operatorOf(ast);
  if (!isFormulaOperator(op)) return PRIMARY;
  if (op === '-' && argsOf(ast).length === 1) return UNARY_MINUS_PRECEDENCE;
  return OPERATOR_DEFINITIONS[op].precedence;
}

function needsParentheses(parent: FormulaNode, child: FormulaAst, index: number): boolean {
  const parentOp = operatorOf(parent);
  const parentPrecedence = precedenceOf(parent);
  const childPrecedence = precedenceOf(child);
  if (childPrecedence !== parentPrecedence) return childPrecedence < parentPrecedence;
  // Equal precedence: comparisons never chain; otherwise only a leftmost operand reads the
  // same without parentheses, and not when it would merge into a variadic chain.
  if (parentPrecedence === 1 || index > 0) return true;
  const childOp = operatorOf(child as FormulaNode);
  return childOp === parentOp && OPERATOR_DEFINITIONS[childOp as keyof typeof OPERATOR_DEFINITIONS].variadic;
}

function printReference(path: string, labelOf: LabelOf | undefined): string {
  const [key, column] = path.split('.') as [string, string | undefined];
  const head = printName(key, labelOf?.(key));
  if (column === undefined) return head;
  return `${head}.${printName(column, labelOf?.(column, { subform: key }))}`;
}

/** Keys are identifiers that are not keywords (checked by inspectFormulaAstOrThrow). */
function printName(key: string, label: string | undefined): string {
  if (label !== undefined && label !== '') return `{${label.replace(/[\\}]/g, (c) => `\\${c}`)}}`;
  return key;
}
