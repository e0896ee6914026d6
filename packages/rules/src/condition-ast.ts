import { assertConditionSafeOrThrow, pointer } from './condition-safety';
import { isIsoDate, isRelativeDateRange, type DateBounds, type RelativeDateRange } from './dates';
import { RulesError, RulesErrorCode } from './errors';

export type Scalar = string | number | boolean | null;
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** Leaf conditions all test one field, named by `key`; `path` points at the leaf in the input. */
export type LeafNode =
  | { kind: 'compare'; key: string; path: string; op: CompareOp; value: Scalar }
  | { kind: 'between'; key: string; path: string; low: Scalar; high: Scalar; inclusive: boolean }
  | { kind: 'in'; key: string; path: string; values: Scalar[] }
  | { kind: 'contains' | 'starts_with' | 'in_region'; key: string; path: string; value: Scalar; /** Bound to an HTML field: match its text. */ html?: true }
  | { kind: 'is_empty' | 'is_not_empty'; key: string; path: string }
  | { kind: 'date_range'; key: string; path: string; range: RelativeDateRange | DateBounds };

/** The supported json-logic subset, checked for shape but not yet against fields. */
export type ConditionNode =
  { kind: 'const'; value: boolean } | { kind: 'and' | 'or'; items: ConditionNode[] } | { kind: 'not'; item: ConditionNode } | LeafNode;

export const MAX_IN_VALUES = 1000;

/** Parses a json-logic condition of the supported subset; anything else is refused with a path. */
export function parseConditionOrThrow(condition: unknown): ConditionNode {
  assertConditionSafeOrThrow(condition);
  return parseNode(condition, '');
}

function parseNode(node: unknown, path: string): ConditionNode {
  if (typeof node === 'boolean') return { kind: 'const', value: node };
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    invalid('Expected a condition object', path);
  }
  const keys = Object.keys(node);
  if (keys.length !== 1) invalid('A condition object must have exactly one operation', path);
  const op = keys[0]!;
  const args: unknown = (node as Record<string, unknown>)[op];
  const at = pointer(path, op);
  switch (op) {
    case 'and':
    case 'or': {
      if (!Array.isArray(args) || args.length === 0) invalid(`"${op}" needs a non-empty list`, at);
      return { kind: op, items: args.map((item, i) => parseNode(item, pointer(at, i))) };
    }
    case '!': {
      if (!Array.isArray(args)) return { kind: 'not', item: parseNode(args, at) };
      if (args.length !== 1) invalid('"!" takes one condition', at);
      return { kind: 'not', item: parseNode(args[0], pointer(at, 0)) };
    }
    case '==':
    case '!=':
    case '>':
    case '>=':
      return parseCompare(op, args, at);
    case '<':
    case '<=':
      if (Array.isArray(args) && args.length === 3) return parseBetween(op, args, at);
      return parseCompare(op, args, at);
    case 'in':
      return parseIn(args, at);
    case 'contains':
    case 'starts_with':
    case 'in_region': {
      const [key, value] = varAndValueOrThrow(args, at, op);
      return { kind: op, key, path: at, value: nonNullOrThrow(value, key, op, pointer(at, 1)) };
    }
    case 'is_empty':
    case 'is_not_empty': {
      const list = Array.isArray(args) ? args : [args];
      if (list.length !== 1) invalid(`"${op}" takes one variable`, at);
      return { kind: op, key: varNameOrThrow(list[0], Array.isArray(args) ? pointer(at, 0) : at), path: at };
    }
    case 'date_range': {
      const [key, spec] = varAndValueOrThrow(args, at, op, true);
      return { kind: 'date_range', key, path: at, range: parseDateRange(spec, key, pointer(at, 1)) };
    }
    default:
      throw new RulesError(RulesErrorCode.INVALID_FILTER, `Unsupported operation "${op}"`, {
        path: at,
        operator: op,
      });
  }
}

function parseCompare(op: CompareOp, args: unknown, at: string): LeafNode {
  const [key, value] = varAndValueOrThrow(args, at, op);
  if (op === '==' || op === '!=') return { kind: 'compare', key, path: at, op, value: value as Scalar };
  return { kind: 'compare', key, path: at, op, value: nonNullOrThrow(value, key, op, pointer(at, 1)) };
}

function parseBetween(op: '<' | '<=', args: unknown[], at: string): LeafNode {
  const key = varNameOrThrow(args[1], pointer(at, 1));
  const low = nonNullOrThrow(scalarOrThrow(args[0], pointer(at, 0)), key, 'between', pointer(at, 0));
  const high = nonNullOrThrow(scalarOrThrow(args[2], pointer(at, 2)), key, 'between', pointer(at, 2));
  return { kind: 'between', key, path: at, low, high, inclusive: op === '<=' };
}

function parseIn(args: unknown, at: string): LeafNode {
  if (!Array.isArray(args) || args.length !== 2) invalid('"in" takes two arguments', at);
  if (isVar(args[0])) {
    const key = varNameOrThrow(args[0], pointer(at, 0));
    const list: unknown = args[1];
    if (!Array.isArray(list)) invalid('"in" needs a list of values after the variable', pointer(at, 1));
    if (list.length > MAX_IN_VALUES) {
      throw new RulesError(RulesErrorCode.FILTER_TOO_COMPLEX, `"in" takes at most ${MAX_IN_VALUES} values`, {
        path: pointer(at, 1),
        field: key,
      });
    }
    const values = list.map((v, i) => {
      const p = pointer(pointer(at, 1), i);
      return nonNullOrThrow(scalarOrThrow(v, p), key, 'in', p);
    });
    return { kind: 'in', key, path: at, values };
  }
  // {"in": ["sub", {"var": "k"}]}: json-logic's substring / membership test.
  const key = varNameOrThrow(args[1], pointer(at, 1));
  const value = nonNullOrThrow(scalarOrThrow(args[0], pointer(at, 0)), key, 'contains', pointer(at, 0));
  return { kind: 'contains', key, path: at, value };
}

function parseDateRange(spec: unknown, key: string, at: string): RelativeDateRange | DateBounds {
  if (isRelativeDateRange(spec)) return spec;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    invalidValue('Expected a relative range such as "this_month" or {"from", "to"} dates', key, at);
  }
  const bounds: DateBounds = { from: null, to: null };
  for (const [name, value] of Object.entries(spec)) {
    if (name !== 'from' && name !== 'to') invalid(`Unknown date range bound "${name}"`, pointer(at, name));
    if (value === null || value === undefined) continue;
    if (!isIsoDate(value)) invalidValue('Date range bounds must be dates written YYYY-MM-DD', key, pointer(at, name));
    bounds[name] = value;
  }
  if (bounds.from === null && bounds.to === null) invalidValue('A date range needs "from" or "to"', key, at);
  return bounds;
}

function varAndValueOrThrow(args: unknown, at: string, op: string, objectValue = false): [string, unknown] {
  if (!Array.isArray(args) || args.length !== 2) invalid(`"${op}" takes a variable and a value`, at);
  const key = varNameOrThrow(args[0], pointer(at, 0));
  return [key, objectValue ? args[1] : scalarOrThrow(args[1], pointer(at, 1))];
}

function isVar(node: unknown): boolean {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
  const keys = Object.keys(node);
  return keys.length === 1 && keys[0] === 'var';
}

function varNameOrThrow(node: unknown, at: string): string {
  if (!isVar(node)) invalid('Expected {"var": "<field>"}', at);
  const arg: unknown = (node as { var: unknown }).var;
  if (Array.isArray(arg)) {
    // Defaults ({"var": ["k", 0]}) would make memory and SQL disagree on missing values.
    if (arg.length !== 1) invalid('A variable takes only a field key', pointer(at, 'var'));
    return arg[0] as string;
  }
  return arg as string; // the name itself was checked by assertConditionSafeOrThrow
}

function scalarOrThrow(value: unknown, at: string): Scalar {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as Scalar;
  invalid('Expected a literal value (string, number, boolean or null)', at);
}

function nonNullOrThrow(value: unknown, key: string, operator: string, at: string): Scalar {
  if (value === null) invalidValue(`"${operator}" needs a value, not null`, key, at, operator);
  return value as Scalar;
}

function invalid(message: string, path: string): never {
  throw new RulesError(RulesErrorCode.INVALID_FILTER, message, { path });
}

function invalidValue(message: string, field: string, path: string, operator?: string): never {
  throw new RulesError(RulesErrorCode.INVALID_VALUE, message, { field, path, ...(operator ? { operator } : {}) });
}
