import type { RJSFSchema } from '@rjsf/utils';

/**
 * What the form sends: the values without the fields the server assigns (formula, serial and
 * other read-only fields, shown live but refused in a body).
 */
export function submitValues({ schema, values }: { schema: RJSFSchema; values: Record<string, unknown> }): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, { readOnly?: boolean } | boolean>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const p = props[k];
    if (typeof p === 'object' && p.readOnly) continue;
    if (v === undefined) continue;
    out[k] = v;
  }
  return out;
}

/** A submit that never reached the server (offline, DNS, refused connection) or that the server could not answer. */
export function isConnectionProblem(error: unknown): boolean {
  const e = error as { code?: string; status?: number } | null;
  return !!e && (e.code === 'NETWORK_ERROR' || e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504);
}
