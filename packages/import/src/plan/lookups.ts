import { matchKey } from '../text';
import { departmentPath, memberToken } from '../coerce/tokens';

/** A member as the directory knows them. */
export interface MemberRef {
  id: string;
  name: string;
  email?: string | null;
}

/** A department with the names of its path from the top, itself last (['总部', '销售部']). */
export interface DepartmentRef {
  id: string;
  name: string;
  path: string[];
}

/** A record found by a field's value; `version` for updates (upsert). */
export interface RecordRef {
  id: number;
  /** The value of the field searched, as the API returns it. */
  key: string | number;
  version?: number;
}

/**
 * What an import asks the API, in batches (one call per column and chunk of rows, never one
 * per row). Text is compared ignoring case and width by this package, so a lookup may return
 * more than what is equal (a case-insensitive collation's matches); what it leaves out is not
 * found.
 */
export interface ImportLookups {
  /** Active members of the workspace whose email is one of `emails` or name one of `names`. */
  members(args: { emails: string[]; names: string[] }): Promise<MemberRef[]>;
  /** Departments whose name is one of `names`. */
  departments(args: { names: string[] }): Promise<DepartmentRef[]>;
  /**
   * Live records of `entityId` whose `field` holds one of `values` (API values: text, numbers,
   * 'YYYY-MM-DD'…); `field` undefined means the entity's title field, 'id' the record id.
   */
  records(args: { entityId: string; field: string | undefined; values: (string | number)[] }): Promise<RecordRef[]>;
}

/** What one written value named: nothing, one thing, or several (ambiguous). */
export interface Resolution {
  ids: (string | number)[];
  /** How each candidate is shown (for an ambiguous value's choices). */
  labels: string[];
  version?: number;
}

const NONE: Resolution = { ids: [], labels: [] };
/** Values kept per kind of lookup; past it the cache starts again (memory stays bounded). */
const CACHE_LIMIT = 50_000;

/** A lookup scope: members, departments, or one entity's records by one field. */
export type LookupScope = { kind: 'member' } | { kind: 'department' } | { kind: 'record'; entityId: string; field: string | undefined };

const scopeKey = (s: LookupScope): string => (s.kind === 'record' ? `record\u0000${s.entityId}\u0000${s.field ?? ''}` : s.kind);

/** The key a written value is cached and compared under. */
export function valueKey(value: string | number): string {
  return typeof value === 'number' ? String(value) : matchKey(value);
}

function memberResolutions(tokens: string[], found: MemberRef[]): Map<string, Resolution> {
  const out = new Map<string, Resolution>();
  for (const token of tokens) {
    const t = memberToken(token);
    const hits = found.filter((m) => ('email' in t ? !!m.email && matchKey(m.email) === matchKey(t.email) : matchKey(m.name) === matchKey(t.name)));
    out.set(valueKey(token), { ids: hits.map((m) => m.id), labels: hits.map((m) => (m.email ? `${m.name} <${m.email}>` : m.name)) });
  }
  return out;
}

function departmentResolutions(tokens: string[], found: DepartmentRef[]): Map<string, Resolution> {
  const out = new Map<string, Resolution>();
  for (const token of tokens) {
    const path = departmentPath(token).map(matchKey);
    const hits = found.filter((d) => {
      const own = d.path.map(matchKey);
      return path.length > 0 && path.length <= own.length && path.every((p, i) => own[own.length - path.length + i] === p);
    });
    out.set(valueKey(token), { ids: hits.map((d) => d.id), labels: hits.map((d) => d.path.join('/')) });
  }
  return out;
}

function recordResolutions(tokens: (string | number)[], found: RecordRef[]): Map<string, Resolution> {
  const out = new Map<string, Resolution>();
  for (const token of tokens) {
    const key = valueKey(token);
    const hits = found.filter((r) => valueKey(r.key) === key);
    out.set(key, {
      ids: hits.map((r) => r.id),
      labels: hits.map((r) => `#${r.id} ${String(r.key)}`),
      ...(hits.length === 1 && hits[0]!.version !== undefined ? { version: hits[0]!.version } : {}),
    });
  }
  return out;
}

/**
 * Resolves written values through the lookups with a bounded cache: `want` queues values,
 * `flush` asks once per scope for everything queued, `get` answers from the cache. Lookups
 * see at most a chunk's distinct values per call.
 */
export class Resolver {
  private readonly caches = new Map<string, Map<string, Resolution>>();
  private readonly pending = new Map<string, { scope: LookupScope; values: Map<string, string | number> }>();

  constructor(private readonly lookups: ImportLookups) {}

  want(scope: LookupScope, value: string | number): void {
    const key = scopeKey(scope);
    const vkey = valueKey(value);
    if (this.caches.get(key)?.has(vkey)) return;
    let queue = this.pending.get(key);
    if (!queue) this.pending.set(key, (queue = { scope, values: new Map() }));
    queue.values.set(vkey, value);
  }

  /** One lookup call per scope with queued values. */
  async flush(): Promise<void> {
    const queues = [...this.pending.values()];
    this.pending.clear();
    await Promise.all(queues.map((q) => this.resolve(q.scope, [...q.values.values()])));
  }

  get(scope: LookupScope, value: string | number): Resolution {
    return this.caches.get(scopeKey(scope))?.get(valueKey(value)) ?? NONE;
  }

  /** Called before each chunk: a cache past its limit starts again (never within a chunk, whose values it holds). */
  beginChunk(): void {
    for (const [key, cache] of this.caches) if (cache.size > CACHE_LIMIT) this.caches.delete(key);
  }

  /** Forgets what was found (after records were written, so in-file references now resolve). */
  reset(): void {
    this.caches.clear();
  }

  private async resolve(scope: LookupScope, values: (string | number)[]): Promise<void> {
    let found: Map<string, Resolution>;
    if (scope.kind === 'member') {
      const tokens = values.map(String);
      const parsed = tokens.map(memberToken);
      const emails = [...new Set(parsed.flatMap((t) => ('email' in t ? [t.email] : [])))];
      const names = [...new Set(parsed.flatMap((t) => ('name' in t ? [t.name] : [])))];
      found = memberResolutions(tokens, await this.lookups.members({ emails, names }));
    } else if (scope.kind === 'department') {
      const tokens = values.map(String);
      const names = [...new Set(tokens.map((t) => departmentPath(t).at(-1)).filter((n): n is string => !!n))];
      found = departmentResolutions(tokens, await this.lookups.departments({ names }));
    } else {
      found = recordResolutions(values, await this.lookups.records({ entityId: scope.entityId, field: scope.field, values }));
    }
    const key = scopeKey(scope);
    let cache = this.caches.get(key);
    if (!cache) this.caches.set(key, (cache = new Map()));
    for (const [k, r] of found) cache.set(k, r);
  }
}
