import { FORBIDDEN_KEYS, pointer } from '../condition-safety';
import { FormulaError, FormulaErrorCode, type FormulaPosition } from './errors';
import { FORMULA_FUNCTION_DEFINITIONS, isFormulaFunctionName } from './functions';
import { FORMULA_LIMITS } from './limits';
import { isFormulaOperator, OPERATOR_DEFINITIONS } from './operators';

/**
 * A formula is json-logic: literals, `{"var": "key"}` / `{"var": "subform.column"}` field
 * references, operators (`{"+": [a, b]}`) and functions under their upper-case names
 * (`{"IF": [c, a, b]}`), arguments always in an array.
 */
export type FormulaAst = null | boolean | number | string | FormulaNode;
export type FormulaNode = { readonly var: string } | { readonly [op: string]: readonly FormulaAst[] };

/** Where a node and each of its arguments were written; kept aside so the AST stays plain JSON. */
interface NodeSpans {
  text: string;
  self: { start: number; end: number };
  args: { start: number; end: number }[];
}

const spans = new WeakMap<object, NodeSpans>();

export function recordSpans(node: object, record: NodeSpans): void {
  spans.set(node, record);
}

/** Position of a node (index undefined) or of one of its arguments, when it was parsed here. */
export function positionOf(node: unknown, index?: number): FormulaPosition | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const record = spans.get(node);
  if (record === undefined) return undefined;
  const span = index === undefined ? record.self : record.args[index];
  return span === undefined ? undefined : positionAt(record.text, span.start, span.end);
}

/** Line and column (from 1) of a UTF-16 offset. */
export function positionAt(text: string, start: number, end: number = start + 1): FormulaPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < start && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { offset: start, line, column: start - lineStart + 1, length: Math.max(0, Math.min(end, text.length) - start) };
}

/** Keywords that can never be bare field keys. */
export const KEYWORDS: ReadonlySet<string> = new Set(['true', 'false', 'null']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Why a field key segment cannot be referenced, or undefined when it can. */
export function keyProblem(key: string): { code: FormulaErrorCode; message: string } | undefined {
  if (FORBIDDEN_KEYS.has(key)) return { code: FormulaErrorCode.FORMULA_FORBIDDEN, message: `"${key}" cannot be used as a field key` };
  if (!isIdentifier(key) || KEYWORDS.has(key.toLowerCase())) {
    return { code: FormulaErrorCode.FORMULA_UNKNOWN_FIELD, message: `"${key}" is not a field key (letters, digits and _)` };
  }
  return undefined;
}

/** The operator or function name of an operation node. */
export function operatorOf(node: FormulaNode): string {
  for (const key in node) return key;
  return '';
}

export function isVarNode(node: FormulaNode): node is { readonly var: string } {
  return Object.hasOwn(node, 'var');
}

export function argsOf(node: FormulaNode): readonly FormulaAst[] {
  return (node as Record<string, readonly FormulaAst[]>)[operatorOf(node)]!;
}

/** What an AST holds, learnt while checking that it is a well-formed formula. */
export interface FormulaAstInfo {
  /** Field keys and subform column paths in order of first use. */
  dependencies: readonly string[];
  nodes: number;
  depth: number;
}

const inspected = new WeakMap<object, FormulaAstInfo>();

interface Frame {
  value: unknown;
  path: string;
  parent: unknown;
  index: number | undefined;
  /** Depth of operations above this value. */
  level: number;
}

function fail(code: FormulaErrorCode, message: string, frame: Frame, extra: Record<string, unknown> = {}): never {
  const position = frame.index === undefined ? positionOf(frame.value) : positionOf(frame.parent, frame.index);
  throw new FormulaError(code, message, { path: frame.path, ...(position ? { position } : {}), ...extra });
}

/**
 * Checks that `ast` is a well-formed formula within the limits: plain JSON, known operators
 * and functions with a fitting number of arguments, safe field keys. Iterative, so hostile
 * nesting cannot overflow the stack. Results are cached per AST object (treat ASTs as immutable).
 */
export function inspectFormulaAstOrThrow(ast: unknown): FormulaAstInfo {
  if (typeof ast === 'object' && ast !== null) {
    const cached = inspected.get(ast);
    if (cached !== undefined) return cached;
  }
  const dependencies: string[] = [];
  const seen = new Set<string>();
  let nodes = 0;
  let depth = 0;
  const stack: Frame[] = [{ value: ast, path: '', parent: undefined, index: undefined, level: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, path, level } = frame;
    nodes += 1;
    if (nodes > FORMULA_LIMITS.maxNodes) {
      fail(FormulaErrorCode.FORMULA_TOO_COMPLEX, `A formula may have at most ${FORMULA_LIMITS.maxNodes} parts`, frame);
    }
    if (value === null || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) fail(FormulaErrorCode.FORMULA_PARSE, 'Numbers must be finite', frame);
      continue;
    }
    if (typeof value === 'string') {
      if (value.length > FORMULA_LIMITS.maxLength) {
        fail(FormulaErrorCode.FORMULA_TOO_COMPLEX, `Text in a formula may have at most ${FORMULA_LIMITS.maxLength} characters`, frame);
      }
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      fail(FormulaErrorCode.FORMULA_PARSE, 'Not a formula: expected a literal, {"var": key} or {"OPERATION": [arguments]}', frame);
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) fail(FormulaErrorCode.FORMULA_PARSE, 'Only plain JSON objects are allowed', frame);
    const keys = Object.keys(value);
    const forbidden = keys.find((key) => FORBIDDEN_KEYS.has(key));
    if (forbidden !== undefined) fail(FormulaErrorCode.FORMULA_FORBIDDEN, `The key "${forbidden}" is not allowed`, frame);
    if (keys.length !== 1) fail(FormulaErrorCode.FORMULA_PARSE, 'An operation must have exactly one key', frame);
    const op = keys[0]!;
    const args = (value as Record<string, unknown>)[op];
    if (op === 'var') {
      checkVar(args, frame);
      const key = args as string;
      if (!seen.has(key)) {
        seen.add(key);
        dependencies.push(key);
      }
      continue;
    }
    if (!Array.isArray(args)) fail(FormulaErrorCode.FORMULA_PARSE, `The arguments of "${op}" must be an array`, frame);
    checkOperation(op, args.length, frame);
    const nodeLevel = level + 1;
    if (nodeLevel > FORMULA_LIMITS.maxDepth) {
      fail(FormulaErrorCode.FORMULA_TOO_COMPLEX, `Formulas may be nested at most ${FORMULA_LIMITS.maxDepth} levels deep`, frame);
    }
    depth = Math.max(depth, nodeLevel);
    for (let i = args.length - 1; i >= 0; i -= 1) {
      stack.push({ value: args[i], path: pointer(pointer(path, op), i), parent: value, index: i, level: nodeLevel });
    }
  }
  const info: FormulaAstInfo = { dependencies, nodes, depth };
  if (typeof ast === 'object' && ast !== null) inspected.set(ast, info);
  return info;
}

function checkVar(key: unknown, frame: Frame): void {
  if (typeof key !== 'string') fail(FormulaErrorCode.FORMULA_PARSE, 'A field reference is written {"var": "key"}', frame);
  const segments = key.split('.');
  if (segments.length > 2) fail(FormulaErrorCode.FORMULA_UNKNOWN_FIELD, `"${key}": only subform columns may be reached with a dot`, frame);
  for (const segment of segments) {
    const problem = keyProblem(segment);
    if (problem) fail(problem.code, problem.message, frame, { field: key });
  }
}

function checkOperation(op: string, count: number, frame: Frame): void {
  if (isFormulaOperator(op)) {
    const definition = OPERATOR_DEFINITIONS[op];
    const ok = op === '-' ? count === 1 || count === 2 : definition.variadic ? count >= 2 : count === 2;
    if (!ok) fail(FormulaErrorCode.FORMULA_ARITY, `The operator "${op}" cannot take ${count} operands`, frame, { function: op });
    return;
  }
  if (!isFormulaFunctionName(op)) fail(FormulaErrorCode.FORMULA_UNKNOWN_FUNCTION, `Unknown function "${op}"`, frame, { function: op });
  const arityProblem = arityProblemOf(op, count);
  if (arityProblem) fail(FormulaErrorCode.FORMULA_ARITY, arityProblem, frame, { function: op });
}

/** Message when a function cannot take `count` arguments. */
export function arityProblemOf(name: string, count: number): string | undefined {
  if (!isFormulaFunctionName(name)) return undefined;
  const { minArgs, maxArgs, argsInPairs } = FORMULA_FUNCTION_DEFINITIONS[name];
  const pairsOk = !argsInPairs || count % 2 === 0;
  if (count >= minArgs && count <= maxArgs && pairsOk) return undefined;
  const expected = maxArgs === minArgs ? `${minArgs}` : maxArgs === Number.POSITIVE_INFINITY ? `at least ${minArgs}` : `${minArgs} to ${maxArgs}`;
  const pairs = argsInPairs ? ' (in condition, value pairs)' : '';
  return `${name} takes ${expected} argument${expected === '1' ? '' : 's'}${pairs}, not ${count}`;
}
