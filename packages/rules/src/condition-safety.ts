import { RulesError, RulesErrorCode } from './errors';

export const CONDITION_LIMITS = {
  /** Nesting of operations; an operation's argument list does not add a level. */
  maxDepth: 12,
  /** Objects and arrays in the whole condition. */
  maxNodes: 300,
  /** Scalars in the whole condition (bounds the number of SQL parameters). */
  maxScalars: 5000,
  maxStringLength: 1000,
} as const;

/** Keys that reach Object.prototype when used as a property path. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether `name` may be used as a field key in `{"var": name}` or a sort. */
export function isSafeVarName(name: unknown): name is string {
  return typeof name === 'string' && VAR_NAME.test(name) && !FORBIDDEN_KEYS.has(name);
}

/**
 * A field key, or a related record's field through a relation: `account.name` (one level).
 * Whoever resolves the fields decides whether a path is known; most resolvers know none.
 */
export function isSafeFieldPath(name: unknown): name is string {
  if (typeof name !== 'string') return false;
  const parts = name.split('.');
  return parts.length <= 2 && parts.every(isSafeVarName);
}

/** JSON pointer segment escaping (RFC 6901). */
export function pointer(path: string, segment: string | number): string {
  return `${path}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

interface Pending {
  value: unknown;
  depth: number;
  path: string;
  /** The value is the argument list of an operation. */
  argList: boolean;
}

/**
 * Refuses conditions that are not plain JSON, reach prototypes, name fields badly, or are
 * too large or deep to evaluate safely. Iterative, so hostile nesting cannot overflow the stack.
 */
export function assertConditionSafeOrThrow(condition: unknown): void {
  const stack: Pending[] = [{ value: condition, depth: 0, path: '', argList: false }];
  let nodes = 0;
  let scalars = 0;
  while (stack.length > 0) {
    const { value, depth, path, argList } = stack.pop()!;
    if (value === null || typeof value === 'boolean') {
      scalars += 1;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) invalid('Numbers must be finite', path);
      scalars += 1;
    } else if (typeof value === 'string') {
      if (value.length > CONDITION_LIMITS.maxStringLength) {
        tooComplex(`Strings may have at most ${CONDITION_LIMITS.maxStringLength} characters`, path);
      }
      scalars += 1;
    } else if (Array.isArray(value)) {
      const level = argList ? depth : depth + 1;
      nodes += 1;
      checkSize(nodes, level, path);
      for (let i = value.length - 1; i >= 0; i -= 1) {
        stack.push({ value: value[i], depth: level, path: pointer(path, i), argList: false });
      }
    } else if (typeof value === 'object') {
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) invalid('Only plain JSON objects are allowed', path);
      const level = depth + 1;
      nodes += 1;
      checkSize(nodes, level, path);
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      for (const key of keys) {
        if (FORBIDDEN_KEYS.has(key)) invalid(`The key "${key}" is not allowed`, pointer(path, key));
        if (key.length > CONDITION_LIMITS.maxStringLength) tooComplex('Key too long', path);
      }
      if (keys.includes('var')) assertVarName(record.var, pointer(path, 'var'));
      for (let i = keys.length - 1; i >= 0; i -= 1) {
        const key = keys[i]!;
        stack.push({ value: record[key], depth: level, path: pointer(path, key), argList: true });
      }
    } else {
      invalid('Only JSON values are allowed', path);
    }
    if (scalars > CONDITION_LIMITS.maxScalars) {
      tooComplex(`A condition may hold at most ${CONDITION_LIMITS.maxScalars} values`, path);
    }
  }
}

function assertVarName(arg: unknown, path: string): void {
  const name = Array.isArray(arg) ? arg[0] : arg;
  if (!isSafeFieldPath(name)) {
    invalid('A variable must name a field (letters, digits and _ not starting with a digit), or relation.field', path);
  }
}

function checkSize(nodes: number, depth: number, path: string): void {
  if (depth > CONDITION_LIMITS.maxDepth) {
    tooComplex(`Conditions may be nested at most ${CONDITION_LIMITS.maxDepth} levels deep`, path);
  }
  if (nodes > CONDITION_LIMITS.maxNodes) {
    tooComplex(`A condition may have at most ${CONDITION_LIMITS.maxNodes} parts`, path);
  }
}

function invalid(message: string, path: string): never {
  throw new RulesError(RulesErrorCode.INVALID_FILTER, message, { path });
}

function tooComplex(message: string, path: string): never {
  throw new RulesError(RulesErrorCode.FILTER_TOO_COMPLEX, message, { path });
}
