import type { ErrorSchema } from '@rjsf/utils';

/** The server's field issues (`path` a JSON pointer into the body) as rjsf errors on their fields; others on the form. */
export function errorSchemaOf(issues: readonly { path: string; message: string }[]): ErrorSchema {
  const out: Record<string, unknown> & { __errors?: string[] } = {};
  for (const issue of issues) {
    const parts = issue.path.split('/').filter(Boolean);
    let node = out as Record<string, unknown> & { __errors?: string[] };
    for (const part of parts) node = (node[part] ??= {}) as Record<string, unknown> & { __errors?: string[] };
    (node.__errors ??= []).push(issue.message);
  }
  return out as ErrorSchema;
}
