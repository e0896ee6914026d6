import { compileFilterOrThrow, evaluateFilter, type ResolveField, RulesError } from '@crm/rules';
import type { Issue } from '@crm/schema';

const CODE_BY_RULES_ERROR: Record<string, string> = {
  UNKNOWN_FIELD: 'unknown_field',
  INVALID_FILTER: 'invalid_rule',
  UNSUPPORTED_OPERATOR: 'unsupported_operator',
  INVALID_VALUE: 'invalid_value',
  FILTER_TOO_COMPLEX: 'too_complex',
};

/** A RulesError as an issue under `path` (the rule's place in the form definition). */
export function issueFromRulesError(err: RulesError, path: string): Issue {
  const at = path + (err.details.path ?? '');
  return { path: at, code: CODE_BY_RULES_ERROR[err.code] ?? 'invalid_rule', message: `${at}: ${err.message}` };
}

/**
 * Checks a json-logic condition against the fields it may name: safe (no prototype paths,
 * within the size and depth caps), of the supported subset, known fields, operators the
 * field supports, values of the field's kind. Returns the problems, never throws for bad input.
 */
export function conditionIssues({ condition, path, resolveField }: { condition: unknown; path: string; resolveField: ResolveField }): Issue[] {
  try {
    compileFilterOrThrow({ filter: condition, resolveField, dialect: 'sqlite', now: new Date(0) });
    return [];
  } catch (err) {
    if (err instanceof RulesError) return [issueFromRulesError(err, path)];
    throw err;
  }
}

/** Evaluates a checked condition over form values; blank values are null. */
export function conditionHolds({
  condition,
  values,
  now,
  resolveField,
}: {
  condition: unknown;
  values: Readonly<Record<string, unknown>>;
  now: Date;
  resolveField?: ResolveField;
}): boolean {
  return evaluateFilter({ filter: condition, record: values, now, resolveField });
}

export const FORM_TOKEN = /^\$form\.([a-z][a-z0-9_]{0,47})$/;

/** Keys of the current form a linkage condition reads through `"$form.<key>"` tokens. */
export function formTokenKeys(condition: unknown): string[] {
  const keys = new Set<string>();
  const stack: unknown[] = [condition];
  while (stack.length) {
    const node = stack.pop();
    if (typeof node === 'string') {
      const m = FORM_TOKEN.exec(node);
      if (m) keys.add(m[1]);
    } else if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === 'object') stack.push(...Object.values(node));
  }
  return [...keys];
}

/** A copy of the condition with every `"$form.<key>"` token replaced by `valueOf(key)`. */
export function substituteFormTokens({ condition, valueOf }: { condition: unknown; valueOf: (key: string) => unknown }): unknown {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const m = FORM_TOKEN.exec(node);
      return m ? valueOf(m[1]) : node;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v);
      return out;
    }
    return node;
  };
  return walk(condition);
}
