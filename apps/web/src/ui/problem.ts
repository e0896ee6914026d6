import type { TFunction } from 'i18next';
import { ApiError, type ProblemFieldError } from '../api/client';

/**
 * The text to show for an error: a translated message for the codes the UI knows
 * (`problems.<CODE>` in the locale files), else the server's own detail.
 */
export function problemText(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) return t(`problems.${error.code}`, { defaultValue: error.message });
  if (error instanceof Error && error.message) return error.message;
  return t('problems.UNKNOWN');
}

/** `/fields/2/key` → `['fields', 2, 'key']`: a problem's JSON pointer as an antd Form name path. */
export function pointerToNamePath(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export interface FieldProblem {
  name: (string | number)[];
  errors: string[];
}

/**
 * Splits a problem's `errors` list into the ones a form can show beside a field (its first
 * path segment is one of `fields`) and the rest, which the caller shows above the form.
 * Accepts `field` (a dotted name) as well as `path` (a JSON pointer).
 */
export function splitFieldProblems({ error, fields }: { error: unknown; fields: readonly string[] }): { byField: FieldProblem[]; rest: string[] } {
  const byField = new Map<string, FieldProblem>();
  const rest: string[] = [];
  const list: (ProblemFieldError & { field?: string })[] = error instanceof ApiError ? error.errors : [];
  for (const item of list) {
    const name = typeof item.field === 'string' && item.field ? item.field.split('.') : pointerToNamePath(item.path);
    if (name.length === 0 || !fields.includes(String(name[0]))) {
      rest.push(item.message);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(item.message);
    byField.set(key, entry);
  }
  return { byField: [...byField.values()], rest };
}
