import { AppError } from '../../common/errors';
import type { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';

const MAX_IDS = 10_000;

/**
 * Members, departments, roles and app admins are managed by workspace admins only. An API
 * token narrowed to some apps cannot manage the workspace, even its admin's.
 */
export function requireWorkspaceAdminOrThrow(ctx: RequestContext, what: string): void {
  if (!ctx.actor.isAdmin) throw new AppError('FORBIDDEN', `Only workspace admins can ${what}`);
  if (ctx.actor.appIds) throw new AppError('FORBIDDEN', `An API token narrowed to apps cannot ${what}`);
}

/** A list of ids in a body (deduplicated), or undefined when absent; problems go to the checker. */
export function idList(input: InputChecker, key: string, opts: { required?: boolean } = {}): string[] | undefined {
  const v = input.raw(key);
  if (v === undefined) {
    if (opts.required) input.issues.push({ path: `/${key}`, code: 'required', message: `${key} is required` });
    return undefined;
  }
  if (!Array.isArray(v) || v.length > MAX_IDS) {
    input.issues.push({ path: `/${key}`, code: 'invalid_type', message: `${key} must be an array of at most ${MAX_IDS} ids` });
    return undefined;
  }
  const bad = v.findIndex((x) => typeof x !== 'string' || x.length === 0 || x.length > 64);
  if (bad >= 0) {
    input.issues.push({ path: `/${key}/${bad}`, code: 'invalid_type', message: `${key} must hold ids (non-empty strings)` });
    return undefined;
  }
  return [...new Set(v as string[])];
}

/** An id that may be null (clears the reference); undefined when absent. */
export function optionalId(input: InputChecker, key: string): string | null | undefined {
  const v = input.raw(key);
  if (v === undefined || v === null) return v as null | undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) {
    input.issues.push({ path: `/${key}`, code: 'invalid_type', message: `${key} must be an id or null` });
    return undefined;
  }
  return v;
}

/** Issues for ids of `list` that are not in `found`, as `path/index`. */
export function missingIdIssues(key: string, list: string[] | undefined | null, found: Set<string>, what: string) {
  return (list ?? []).flatMap((id, i) =>
    found.has(id) ? [] : [{ path: `/${key}/${i}`, code: 'not_found', message: `${what} ${id.slice(0, 64)} does not exist in this workspace` }],
  );
}

export type FieldDiff = Record<string, { from: unknown; to: unknown }>;

const norm = (v: unknown) => (Array.isArray(v) ? [...v].sort() : v === undefined ? null : v);

/** Field-level `{from, to}` of the keys whose values differ; arrays compare as sets. */
export function fieldDiff(before: Record<string, unknown>, after: Record<string, unknown>): FieldDiff {
  const out: FieldDiff = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const from = norm(before[key]);
    const to = norm(after[key]);
    if (JSON.stringify(from) !== JSON.stringify(to)) out[key] = { from, to };
  }
  return out;
}
