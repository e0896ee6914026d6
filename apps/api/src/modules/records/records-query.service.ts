import { compileFilterOrThrow, compileKeysetOrThrow, compileSortOrThrow, decodeCursorOrThrow, encodeCursor, orderBySql, RECORD_ID_KEY } from '@crm/rules';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import type { Action } from '@crm/access';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import { AccessService, type EntityAccess } from '../access/access.service';
import type { SqlFragment } from '../access/access.repository';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { attachFiles, loadExtras } from './record-extras';
import { type RecordDto, type Row, rowToRecord, selectList } from './record-codec';
import { listIndexHint, PROBE_COLUMN, RecordsRepository, recordsWhere } from './records.repository';
import { type RelatedPaths, relatedKeysOf, resolveRelatedPathsOrThrow, rowKeyOfColumn, sortSelectOf } from './related-paths';

export interface ListQuery {
  filter?: unknown;
  sort?: unknown;
  limit?: unknown;
  cursor?: unknown;
  expand?: unknown;
}

export interface Page {
  items: RecordDto[];
  nextCursor: string | null;
}

const MAX_LIMIT = 200;

export interface GroupsQuery {
  field?: unknown;
  sum?: unknown;
  filter?: unknown;
}

export interface GroupsAnswer {
  field: string;
  sumField: string | null;
  total: number;
  groups: { value: string | null; count: number; sum?: number }[];
}

const GROUPABLE = ['select', 'radio'];
const SUMMABLE = ['number', 'money', 'rollup', 'formula'];

function groupFieldOrThrow(c: CompiledEntity, raw: unknown, what: 'field' | 'sum', types: string[]) {
  const key = typeof raw === 'string' ? raw : '';
  const f = c.byKey.get(key);
  if (!f) throw new AppError('UNKNOWN_FIELD', `${what} names no field of ${c.meta.name}: "${key.slice(0, 64)}"`, { field: key.slice(0, 64) });
  const numericFormula = f.type !== 'formula' || ['number', 'money'].includes(String(f.settings.resultType ?? 'number'));
  if (!types.includes(f.type) || !f.physical.column || !numericFormula) {
    const need = what === 'field' ? 'a single-choice field (select or radio)' : 'a number, money, rollup or numeric formula field';
    throw new AppError('INVALID_REQUEST', `${what} must be ${need}; "${key}" is ${f.type}`, {
      errors: [{ path: `/${what}`, code: 'invalid_value', message: need }],
    });
  }
  return f;
}

/** Parses `filter` from a query string (JSON text) or a body (already an object). */
export function parseFilterOrThrow(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'string') {
    if (raw.length > 20_000) throw new AppError('FILTER_TOO_COMPLEX', 'The filter is longer than 20000 characters');
    try {
      return JSON.parse(raw);
    } catch {
      throw new AppError('INVALID_FILTER', 'filter is not valid JSON (expected a json-logic object)');
    }
  }
  return raw;
}

function parseLimitOrThrow(raw: unknown, fallback = 20): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT)
    throw new AppError('INVALID_REQUEST', `limit must be a whole number from 1 to ${MAX_LIMIT}`, {
      errors: [{ path: '/limit', code: 'invalid_value', message: `1..${MAX_LIMIT}` }],
    });
  return n;
}

export function parseRecordIdOrThrow(raw: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw notFound('RECORD_NOT_FOUND', `Record ${raw.slice(0, 40)}`);
  return Number(raw);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Index of a field that the filter sets equal to a scalar at its top level (alone or in a top-level `and`). */
export function pinnedFieldIndex(c: CompiledEntity, filter: unknown): string | null {
  if (!isPlainObject(filter)) return null;
  const terms = Object.keys(filter).length === 1 && Array.isArray(filter.and) ? (filter.and as unknown[]) : [filter];
  for (const term of terms) {
    if (!isPlainObject(term) || Object.keys(term).length !== 1 || !Array.isArray(term['==']) || term['=='].length !== 2) continue;
    const [a, b] = term['=='] as unknown[];
    const varOf = (v: unknown) => (isPlainObject(v) && Object.keys(v).length === 1 && typeof v.var === 'string' ? v.var : null);
    const key = varOf(a) ?? varOf(b);
    const value = varOf(a) !== null ? b : a;
    if (key === null || value === null || typeof value === 'object') continue;
    const f = c.byKey.get(key);
    if (f?.physical.column && f.physical.index) return f.physical.index;
  }
  return null;
}

/** The entity's default sort (entity settings); one that no longer fits (a field removed since) falls back to id. */
function defaultSortKeys(c: CompiledEntity): ReturnType<typeof compileSortOrThrow> {
  try {
    return compileSortOrThrow({ sort: c.meta.defaultSort ?? null, resolveField: c.resolveField });
  } catch {
    return compileSortOrThrow({ sort: null, resolveField: c.resolveField });
  }
}

/** Reads: lists with filter, sort and keyset cursor; single records; counts; relation expansion. */
@Injectable()
export class RecordsQueryService {
  constructor(
    private readonly repo: RecordsRepository,
    private readonly runtime: EntityRuntime,
    private readonly access: AccessService,
  ) {}

  /** The pool, for callers outside a transaction. */
  get db(): Executor {
    return this.repo.db;
  }

  /** The entity and the member's access to it (404 when they may not see it): every record route starts here. */
  async entityAccess(ctx: RequestContext, entityId: string): Promise<{ c: CompiledEntity; acc: EntityAccess<CompiledEntity> }> {
    const c = await this.runtime.getOrThrow(ctx.actor.workspaceId, entityId);
    return { c, acc: await this.access.forVisibleEntityOrThrow(ctx, c) };
  }

  /**
   * `entityAccess` with the entity as compiled last, its version unchecked (no statement), or
   * null when it is not compiled yet or the access check fails: for a caller that checks the
   * version in its own statement and else falls back to `entityAccess`.
   */
  async cachedAccessOrNull(ctx: RequestContext, entityId: string): Promise<{ c: CompiledEntity; acc: EntityAccess<CompiledEntity> } | null> {
    const c = this.runtime.peek(ctx.actor.workspaceId, entityId);
    if (!c) return null;
    return this.access.forVisibleEntityOrThrow(ctx, c).then(
      (acc) => ({ c, acc }),
      () => null,
    );
  }

  /** The WHERE of a list, count or bulk change: the member's scope for the action and the filter (its fields readable), then `extra` (a keyset). */
  private whereOf(
    c: CompiledEntity,
    acc: EntityAccess,
    action: Action,
    filter: unknown,
    bin: boolean,
    extra: SqlFragment | null = null,
    resolveField = c.resolveField,
  ): SqlFragment {
    const scope = acc.scopeSqlOrThrow(action);
    acc.assertFilterReadableOrThrow(filter);
    const compiled = filter === null ? null : compileFilterOrThrow({ filter, resolveField, dialect: this.repo.dialect, now: new Date() });
    return recordsWhere(bin, [scope, compiled, extra]);
  }

  /** `relation.field` keys of a filter and sort: checked under the target's permissions, with the joins they need. */
  private related(ctx: RequestContext, c: CompiledEntity, acc: EntityAccess, filter: unknown, sort: unknown): Promise<RelatedPaths> {
    return resolveRelatedPathsOrThrow(c, acc, relatedKeysOf(filter, sort), async (relKey) => {
      const target = await this.runtime.getOrThrow(ctx.actor.workspaceId, String(c.byKey.get(relKey)!.settings.targetEntityId));
      return { target, tacc: await this.access.forEntity(ctx, target) };
    });
  }

  entityAccessOf(ctx: RequestContext, c: CompiledEntity): Promise<EntityAccess<CompiledEntity>> {
    return this.access.forEntity(ctx, c);
  }

  /**
   * A page of records. With the entity compiled already, the page is read with the cached
   * metadata and its statement also answers the entity's current version (`versionProbe`): one
   * statement instead of the version lookup and the page (issue 9, item 8). When the version
   * moved, the page came back empty or anything failed, the page is read again the usual way —
   * version first — so the answer is always the one of the current metadata.
   */
  async list(ctx: RequestContext, entityId: string, q: ListQuery, bin = false): Promise<Page> {
    const cached = await this.cachedAccessOrNull(ctx, entityId);
    if (cached) {
      const page = await this.listWith(ctx, cached.c, cached.acc, q, bin, true).catch(() => null);
      if (page) return page;
    }
    const { c, acc } = await this.entityAccess(ctx, entityId);
    return (await this.listWith(ctx, c, acc, q, bin, false))!;
  }

  /** `probe`: the rows also carry the entity's version; null when it is not `c`'s (nothing of the page is used then). */
  private async listWith(
    ctx: RequestContext,
    c: CompiledEntity,
    acc: EntityAccess<CompiledEntity>,
    q: ListQuery,
    bin: boolean,
    probe: boolean,
  ): Promise<Page | null> {
    const limit = parseLimitOrThrow(q.limit);
    const filter = parseFilterOrThrow(q.filter);
    if (q.sort !== undefined && typeof q.sort !== 'string') throw new AppError('INVALID_SORT', 'sort must be text such as "-amount,name"');
    const rel = await this.related(ctx, c, acc, filter, q.sort);
    const sortKeys = q.sort === undefined ? defaultSortKeys(c) : compileSortOrThrow({ sort: q.sort as string, resolveField: rel.resolveField });
    acc.assertReadableOrThrow(
      sortKeys.map((k) => k.key),
      'sort',
    );
    let keyset: SqlFragment | null = null;
    if (q.cursor !== undefined && q.cursor !== null && q.cursor !== '') {
      if (typeof q.cursor !== 'string') throw new AppError('INVALID_CURSOR', 'cursor must be the opaque text of nextCursor');
      const values = decodeCursorOrThrow({ cursor: q.cursor, sortKeys });
      keyset = compileKeysetOrThrow({ sortKeys, cursorValues: values, dialect: this.repo.dialect });
    }
    // The recycle bin shows what the member could restore: records in their delete scope.
    const where = this.whereOf(c, acc, bin ? 'delete' : 'view', filter, bin, keyset, rel.resolveField);
    const expand = this.parseExpandOrThrow(c, q.expand);
    acc.assertReadableOrThrow(expand, 'expand');
    const byId = sortKeys.length === 1 && sortKeys[0].key === RECORD_ID_KEY;
    const hint = this.repo.dialect === 'mysql' && !bin ? listIndexHint(c, byId ? pinnedFieldIndex(c, filter) : null, byId) : '';
    const rows = await this.repo.findPage({
      table: c.meta.table,
      selectList: selectList(c) + sortSelectOf(sortKeys),
      where,
      orderBy: orderBySql(sortKeys),
      limit: limit + 1,
      hint,
      ...(probe ? { probe: this.runtime.versionProbe(c) } : {}),
      joins: rel.joins,
    });
    if (probe && !(rows.length ? Number(rows[0][PROBE_COLUMN]) === c.meta.version : await this.runtime.isCurrent(c))) return null;
    const page = rows.slice(0, limit);
    const items = await this.hydrate(c, page, this.repo.db, bin);
    if (expand.length) await this.expand(ctx, c, items, expand);
    let nextCursor: string | null = null;
    if (rows.length > limit) {
      const last = page[page.length - 1];
      const cursorRow: Record<string, unknown> = {};
      for (const k of sortKeys) cursorRow[k.key] = last[rowKeyOfColumn(k.column)];
      nextCursor = encodeCursor({ sortKeys, row: cursorRow });
    }
    return { items: items.map((r) => acc.project(r)), nextCursor };
  }

  /** Exact count up to `cap` (default 10 000): never a full COUNT(*) of a large table by accident. */
  async count(ctx: RequestContext, entityId: string, q: { filter?: unknown; cap?: unknown }): Promise<{ count: number; capped: boolean }> {
    const { c, acc } = await this.entityAccess(ctx, entityId);
    const cap = q.cap === undefined || q.cap === '' ? 10_000 : Number(q.cap);
    if (!Number.isInteger(cap) || cap < 1 || cap > 1_000_000) throw new AppError('INVALID_REQUEST', 'cap must be a whole number from 1 to 1000000');
    const filter = parseFilterOrThrow(q.filter);
    const rel = await this.related(ctx, c, acc, filter, undefined);
    const n = await this.repo.countCapped(c.meta.table, this.whereOf(c, acc, 'view', filter, false, null, rel.resolveField), cap, rel.joins);
    return { count: Math.min(n, cap), capped: n > cap };
  }

  /**
   * Counts (and a sum of a number field) per value of a single-choice field over the filter, in
   * the member's view scope: the kanban's columns and the table's group headers. Every option is
   * listed in the field's order (zero when empty), then records without a value (`value: null`).
   */
  async groups(ctx: RequestContext, entityId: string, q: GroupsQuery): Promise<GroupsAnswer> {
    const { c, acc } = await this.entityAccess(ctx, entityId);
    const field = groupFieldOrThrow(c, q.field, 'field', GROUPABLE);
    const sum = q.sum === undefined || q.sum === '' ? null : groupFieldOrThrow(c, q.sum, 'sum', SUMMABLE);
    acc.assertReadableOrThrow([field.key, ...(sum ? [sum.key] : [])], 'group');
    const filter = parseFilterOrThrow(q.filter);
    const rel = await this.related(ctx, c, acc, filter, undefined);
    const where = this.whereOf(c, acc, 'view', filter, false, null, rel.resolveField);
    const rows = await this.repo.groupCounts({
      table: c.meta.table,
      column: field.physical.column!,
      sumColumn: sum?.physical.column ?? null,
      where,
      joins: rel.joins,
    });
    const byValue = new Map(rows.map((r) => [r.v === null ? null : String(r.v), r]));
    const options = ((field.settings.options ?? []) as { value: string }[]).map((o) => o.value);
    const values: (string | null)[] = [...options, ...[...byValue.keys()].filter((k): k is string => k !== null && !options.includes(k)), null];
    const groups = values.map((value) => {
      const r = byValue.get(value);
      return { value, count: Number(r?.c ?? 0), ...(sum ? { sum: r?.s === null || r?.s === undefined ? 0 : Number(r.s) } : {}) };
    });
    return { field: field.key, sumField: sum?.key ?? null, total: groups.reduce((n, g) => n + g.count, 0), groups };
  }

  async getOrThrow(ctx: RequestContext, entityId: string, id: number, opts: { expand?: unknown; includeDeleted?: boolean } = {}): Promise<RecordDto> {
    const { c, acc } = await this.entityAccess(ctx, entityId);
    const expand = this.parseExpandOrThrow(c, opts.expand);
    acc.assertReadableOrThrow(expand, 'expand');
    await this.assertInScopeOrThrow(this.repo.db, acc, 'view', id, opts.includeDeleted ?? false);
    const rec = await this.readOrThrow(this.repo.db, c, id, opts.includeDeleted ?? false);
    if (expand.length) await this.expand(ctx, c, [rec], expand);
    return acc.project(rec);
  }

  /** Rows a bulk change reaches: the filter within the action's scope, at most `limit`; `lock` them inside a transaction. */
  async matchingRows(exec: Executor, c: CompiledEntity, acc: EntityAccess, action: Action, filter: unknown, limit: number, lock: boolean): Promise<Row[]> {
    const where = this.whereOf(c, acc, action, filter, false);
    const rows = await this.repo.findMatching(exec, { table: c.meta.table, selectList: selectList(c), where, limit: limit + 1, lock });
    if (rows.length > limit) throw new AppError('INVALID_REQUEST', `The filter matches more than ${limit} records; narrow it and repeat`, { limit });
    return rows;
  }

  async rowsByIds(exec: Executor, c: CompiledEntity, ids: number[]): Promise<RecordDto[]> {
    return this.hydrate(c, await this.repo.findByIds(exec, c.meta.table, selectList(c), ids), exec);
  }

  /**
   * A record outside the member's scope for the action is "not found" (404), never a 403 that
   * would confirm it exists — unless the member can see it and only lacks this action (403).
   */
  async assertInScopeOrThrow(exec: Executor, acc: EntityAccess<CompiledEntity>, action: Action, id: number, includeDeleted = false): Promise<void> {
    const inScope = (a: Action) => this.repo.inScope(exec, acc.entity.meta.table, id, includeDeleted, acc.scopeSqlOrThrow(a));
    if (!acc.can(action)) {
      if (action !== 'view' && acc.can('view') && (await inScope('view'))) acc.requireOrThrow(action);
      throw notFound('RECORD_NOT_FOUND', `Record ${id}`);
    }
    if (await inScope(action)) return;
    if (action !== 'view' && acc.can('view') && (await inScope('view'))) {
      throw new AppError('FORBIDDEN', `You may not ${action === 'edit' ? 'edit' : 'delete'} this record`, { action });
    }
    throw notFound('RECORD_NOT_FOUND', `Record ${id}`);
  }

  /** One record with its link and child values, on the given executor (inside a transaction too). */
  async readOrThrow(exec: Executor, c: CompiledEntity, id: number, includeDeleted = false): Promise<RecordDto> {
    const row = await this.repo.findById(exec, c.meta.table, selectList(c), id);
    if (!row || (!includeDeleted && row.deleted_at !== null && row.deleted_at !== undefined)) throw notFound('RECORD_NOT_FOUND', `Record ${id}`);
    return (await this.hydrate(c, [row], exec, includeDeleted))[0];
  }

  /** Several records by id with their link and child values (deleted ones too when asked), in a constant number of queries; a missing id is left out. */
  async readMany(exec: Executor, c: CompiledEntity, ids: readonly number[], includeDeleted = true): Promise<Map<number, RecordDto>> {
    const rows = await this.repo.findByIds(exec, c.meta.table, selectList(c), [...ids], includeDeleted ? undefined : { scope: null });
    const out = new Map<number, RecordDto>();
    for (const rec of await this.hydrate(c, rows, exec, includeDeleted)) out.set(Number(rec.id), rec);
    return out;
  }

  async hydrate(c: CompiledEntity, rows: Row[], exec: Executor, withDeleted = false): Promise<RecordDto[]> {
    const extras = await loadExtras(
      this.repo,
      exec,
      c,
      rows.map((r) => Number(r.id)),
    );
    const records = rows.map((r) => rowToRecord(c, r, extras, withDeleted));
    await attachFiles(this.repo, exec, c, records);
    return records;
  }

  private parseExpandOrThrow(c: CompiledEntity, raw: unknown): string[] {
    if (raw === undefined || raw === null || raw === '') return [];
    const keys = Array.isArray(raw) ? raw : String(raw).split(',');
    if (keys.length > 10) throw new AppError('INVALID_REQUEST', 'expand at most 10 relations');
    return keys.map((k) => {
      const key = String(k).trim();
      const f = c.byKey.get(key);
      if (!f) throw new AppError('UNKNOWN_FIELD', `Cannot expand unknown field "${key.slice(0, 64)}"`, { field: key.slice(0, 64) });
      if (f.type !== 'relation') throw new AppError('INVALID_REQUEST', `Field "${key}" is not a relation and cannot be expanded`, { field: key });
      return key;
    });
  }

  /** A few queries per expanded relation for the whole page; missing or deleted targets expand to null. */
  private async expand(ctx: RequestContext, c: CompiledEntity, items: RecordDto[], keys: string[]): Promise<void> {
    for (const key of keys) {
      const f = c.byKey.get(key)!;
      const target = await this.runtime.getOrThrow(ctx.actor.workspaceId, String(f.settings.targetEntityId));
      // The target's own permissions apply: no view, no expansion; out-of-scope targets expand to null.
      const tacc = await this.access.forEntity(ctx, target);
      if (!tacc.can('view')) throw new AppError('FORBIDDEN', `You may not view records of ${target.meta.name}, so "${key}" cannot be expanded`, { field: key });
      const scope = tacc.scopeSqlOrThrow('view');
      const ids = new Set<number>();
      for (const it of items) for (const v of ([] as unknown[]).concat(it[key] ?? [])) ids.add(Number(v));
      const byId = new Map<number, RecordDto>();
      if (ids.size) {
        const list = [...ids];
        const rows = await this.repo.findByIds(this.repo.db, target.meta.table, selectList(target), list, { scope });
        // Hydrated like any read (link values, subform rows, file metadata): a constant number of queries per page.
        for (const rec of await this.hydrate(target, rows, this.repo.db)) byId.set(rec.id, tacc.project(rec));
      }
      for (const it of items) {
        const v = it[key];
        const expanded = (it.expand ??= {}) as Record<string, unknown>;
        expanded[key] = Array.isArray(v) ? v.map((id) => byId.get(Number(id))).filter(Boolean) : v == null ? null : (byId.get(Number(v)) ?? null);
      }
    }
  }
}
