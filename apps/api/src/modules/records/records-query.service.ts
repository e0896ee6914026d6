import {
  compileFilterOrThrow,
  compileKeysetOrThrow,
  compileSortOrThrow,
  decodeCursorOrThrow,
  encodeCursor,
  orderBySql,
  RECORD_ID_KEY,
  type SortKey,
} from '@crm/rules';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { storageToIso } from '../../common/ids';
import type { Action } from '@crm/access';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import { AccessService, type EntityAccess } from '../access/access.service';
import { type AuditRow, AuditRepository, BULK_CREATE } from '../audit/audit.repository';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { attachFiles, loadExtras } from './record-extras';
import { type RecordDto, type Row, rowToRecord, selectList } from './record-codec';
import { RecordsRepository } from './records.repository';

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

/**
 * MySQL/MariaDB index hint for a list of live rows, sorted by id only (the default sort):
 * - when the filter pins an indexed field to one value at its top level, FORCE that field's
 *   (column, deleted_at) index: its entries are in id order within the value, so the page is a
 *   range read of exactly the rows it returns. Left alone, MariaDB picks `ref` on the value and
 *   walks every newer match to reach a deep cursor (1M rows, page 10,000: 200,000 entries, 1.4 s);
 * - otherwise IGNORE the single-column (deleted_at) index: nearly every row has deleted_at NULL,
 *   yet MariaDB intersects it with a field index and filesorts every match for ORDER BY id
 *   (page 1 of a filter matching 500k rows: seconds), or walks it instead of the primary key.
 */
export function listIndexHint(c: CompiledEntity, filter: unknown, sortKeys: readonly SortKey[]): string {
  if (sortKeys.length === 1 && sortKeys[0].key === RECORD_ID_KEY) {
    const index = pinnedFieldIndex(c, filter);
    if (index) return ` FORCE INDEX (${index})`;
  }
  return ` IGNORE INDEX (${c.meta.table}_deleted)`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Index of a field that the filter sets equal to a scalar at its top level (alone or in a top-level `and`). */
function pinnedFieldIndex(c: CompiledEntity, filter: unknown): string | null {
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

/** MySQL error 1176: a hinted index does not exist (dropped by a schema change a moment ago). */
const isMissingIndexError = (err: unknown) =>
  /ER_KEY_DOES_NOT_EXITS|doesn't exist in table/.test(String((err as { code?: string }).code ?? '') + String((err as Error).message ?? ''));

/** Reads: lists with filter, sort and keyset cursor; single records; counts; relation expansion. */
@Injectable()
export class RecordsQueryService {
  constructor(
    private readonly repo: RecordsRepository,
    private readonly runtime: EntityRuntime,
    private readonly access: AccessService,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Field-level history (kept after purge). Admins see all of it; members only of records in
   * their view scope, and only the fields they may read. A record from a bulk import shows its
   * creation from the import's one entry (`record.bulk_create`, see `creationOfImport`).
   */
  async history(ctx: RequestContext, entityId: string, recordId: number) {
    const { c, acc } = await this.entityAccess(ctx, entityId);
    const rows = await this.audit.recordHistory(entityId, recordId, 500);
    if (!rows.length || !acc.isAdmin) await this.assertInScopeOrThrow(this.repo.db, acc, 'view', recordId, true);
    const changesOf = (r: AuditRow) => JSON.parse(String(r.changes)) as Record<string, unknown>;
    const items = [];
    for (const [i, r] of rows.entries()) {
      const imported = r.action === BULK_CREATE;
      const changes = imported ? await this.creationOfImport(c, recordId, rows.slice(0, i).map(changesOf)) : changesOf(r);
      const visible: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(changes)) if (acc.readable(k)) visible[k] = v;
      items.push({
        id: Number(r.id),
        action: imported ? 'create' : r.action.replace(/^record\./, ''),
        ...(imported ? { bulkImport: { count: Number((changesOf(r) as { count?: number }).count ?? 0) } } : {}),
        actorId: r.actor_id,
        at: storageToIso(r.created_at),
        changes: visible,
        requestId: r.request_id,
      });
    }
    return { items };
  }

  /**
   * The `{ from: null, to }` changes of an imported record's creation, as a single create logs
   * them: its values now with every later logged change undone (newest first), so what is left
   * is each value as imported. Empty once the record is purged (the values left with it).
   */
  private async creationOfImport(c: CompiledEntity, recordId: number, later: Record<string, unknown>[]): Promise<Record<string, { from: null; to: unknown }>> {
    const row = await this.repo.findById(this.repo.db, c.meta.table, selectList(c), recordId);
    if (!row) return {};
    const values: Record<string, unknown> = { ...(await this.hydrate(c, [row], this.repo.db, true))[0] };
    for (const changes of later) {
      for (const [k, ch] of Object.entries(changes))
        if (k in values && ch && typeof ch === 'object' && 'from' in ch) values[k] = (ch as { from: unknown }).from;
    }
    const out: Record<string, { from: null; to: unknown }> = {};
    for (const f of c.meta.fields) {
      const v = values[f.key];
      if (v !== null && v !== undefined && !(Array.isArray(v) && !v.length)) out[f.key] = { from: null, to: v };
    }
    // The owner is logged when the import named one (it is the creator otherwise).
    if (values.ownerId && values.ownerId !== values.createdBy) out.ownerId = { from: null, to: values.ownerId };
    return out;
  }

  /** The entity and the member's access to it: every read path starts here. */
  async entityAccess(ctx: RequestContext, entityId: string): Promise<{ c: CompiledEntity; acc: EntityAccess }> {
    const c = await this.runtime.getOrThrow(ctx.actor.workspaceId, entityId);
    return { c, acc: await this.access.forEntity(ctx, c) };
  }

  /** WHERE terms of a list or count: live (or binned) rows, the member's scope for the action, the filter. */
  private whereOf(
    c: CompiledEntity,
    acc: EntityAccess,
    action: Action,
    rawFilter: unknown,
    bin: boolean,
  ): { where: string[]; params: unknown[]; filter: unknown } {
    const where: string[] = [bin ? 'r.deleted_at IS NOT NULL' : 'r.deleted_at IS NULL'];
    const params: unknown[] = [];
    const scope = acc.scopeSqlOrThrow(action);
    const filter = parseFilterOrThrow(rawFilter);
    acc.assertFilterReadableOrThrow(filter);
    const compiled = filter === null ? null : compileFilterOrThrow({ filter, resolveField: c.resolveField, dialect: this.repo.dialect, now: new Date() });
    for (const frag of [scope, compiled]) {
      if (!frag) continue;
      where.push(`(${frag.sql})`);
      params.push(...frag.params);
    }
    return { where, params, filter };
  }

  entityAccessOf(ctx: RequestContext, c: CompiledEntity): Promise<EntityAccess> {
    return this.access.forEntity(ctx, c);
  }

  async list(ctx: RequestContext, entityId: string, q: ListQuery, bin = false): Promise<Page> {
    const { c, acc } = await this.entityAccess(ctx, entityId);
    const limit = parseLimitOrThrow(q.limit);
    // The recycle bin shows what the member could restore: records in their delete scope.
    const { where, params, filter } = this.whereOf(c, acc, bin ? 'delete' : 'view', q.filter, bin);
    if (q.sort !== undefined && typeof q.sort !== 'string') throw new AppError('INVALID_SORT', 'sort must be text such as "-amount,name"');
    const sortKeys = compileSortOrThrow({ sort: (q.sort as string | undefined) ?? null, resolveField: c.resolveField });
    acc.assertReadableOrThrow(
      sortKeys.map((k) => k.key),
      'sort',
    );
    if (q.cursor !== undefined && q.cursor !== null && q.cursor !== '') {
      if (typeof q.cursor !== 'string') throw new AppError('INVALID_CURSOR', 'cursor must be the opaque text of nextCursor');
      const values = decodeCursorOrThrow({ cursor: q.cursor, sortKeys });
      const k = compileKeysetOrThrow({ sortKeys, cursorValues: values, dialect: this.repo.dialect });
      where.push(`(${k.sql})`);
      params.push(...k.params);
    }
    const expand = this.parseExpandOrThrow(c, q.expand);
    acc.assertReadableOrThrow(expand, 'expand');
    const sqlWith = (hint: string) =>
      `SELECT ${selectList(c)} FROM ${c.meta.table} r${hint} WHERE ${where.join(' AND ')} ORDER BY ${orderBySql(sortKeys)} LIMIT ${limit + 1}`;
    const hint = this.repo.dialect === 'mysql' && !bin ? listIndexHint(c, filter, sortKeys) : '';
    const rows = await this.repo.select(sqlWith(hint), params).catch((err: unknown) => {
      if (hint && isMissingIndexError(err)) return this.repo.select(sqlWith(''), params);
      throw err;
    });
    const page = rows.slice(0, limit);
    const items = await this.hydrate(c, page, this.repo.db, bin);
    if (expand.length) await this.expand(ctx, c, items, expand);
    let nextCursor: string | null = null;
    if (rows.length > limit) {
      const last = page[page.length - 1];
      const cursorRow: Record<string, unknown> = {};
      for (const k of sortKeys) cursorRow[k.key] = last[k.column.replace(/^r\./, '')];
      nextCursor = encodeCursor({ sortKeys, row: cursorRow });
    }
    return { items: items.map((r) => acc.project(r)), nextCursor };
  }

  /** Exact count up to `cap` (default 10 000): never a full COUNT(*) of a large table by accident. */
  async count(ctx: RequestContext, entityId: string, q: { filter?: unknown; cap?: unknown }): Promise<{ count: number; capped: boolean }> {
    const { c, acc } = await this.entityAccess(ctx, entityId);
    const cap = q.cap === undefined || q.cap === '' ? 10_000 : Number(q.cap);
    if (!Number.isInteger(cap) || cap < 1 || cap > 1_000_000) throw new AppError('INVALID_REQUEST', 'cap must be a whole number from 1 to 1000000');
    const { where, params } = this.whereOf(c, acc, 'view', q.filter, false);
    const rows = await this.repo.select(
      `SELECT COUNT(*) AS c FROM (SELECT 1 AS x FROM ${c.meta.table} r WHERE ${where.join(' AND ')} LIMIT ${cap + 1}) q`,
      params,
    );
    const n = Number(rows[0]?.c ?? 0);
    return { count: Math.min(n, cap), capped: n > cap };
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

  /** Rows a bulk change reaches: the filter within the action's scope, at most `limit`. */
  async matchingRows(exec: Executor, c: CompiledEntity, acc: EntityAccess, action: Action, filter: unknown, limit: number): Promise<Row[]> {
    const scope = acc.scopeSqlOrThrow(action);
    acc.assertFilterReadableOrThrow(filter);
    const where = ['r.deleted_at IS NULL'];
    const params: unknown[] = [];
    for (const frag of [
      scope,
      filter === null ? null : compileFilterOrThrow({ filter, resolveField: c.resolveField, dialect: this.repo.dialect, now: new Date() }),
    ]) {
      if (!frag) continue;
      where.push(`(${frag.sql})`);
      params.push(...frag.params);
    }
    const lock = exec.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const rows = await this.repo.select(
      `SELECT ${selectList(c)} FROM ${c.meta.table} r WHERE ${where.join(' AND ')} ORDER BY r.id LIMIT ${limit + 1}${lock}`,
      params,
      exec,
    );
    if (rows.length > limit) throw new AppError('INVALID_REQUEST', `The filter matches more than ${limit} records; narrow it and repeat`, { limit });
    return rows;
  }

  async rowsByIds(exec: Executor, c: CompiledEntity, ids: number[]): Promise<RecordDto[]> {
    if (!ids.length) return [];
    const rows = await this.repo.select(`SELECT ${selectList(c)} FROM ${c.meta.table} r WHERE r.id IN (${ids.map(() => '?').join(', ')})`, ids, exec);
    return this.hydrate(c, rows, exec);
  }

  /**
   * A record outside the member's scope for the action is "not found" (404), never a 403 that
   * would confirm it exists — unless the member can see it and only lacks this action (403).
   */
  async assertInScopeOrThrow(exec: Executor, acc: EntityAccess, action: Action, id: number, includeDeleted = false): Promise<void> {
    const inScope = async (a: Action) => {
      const scope = acc.scopeSqlOrThrow(a);
      const where = [`r.id = ?`, ...(includeDeleted ? [] : ['r.deleted_at IS NULL']), ...(scope ? [scope.sql] : [])];
      const rows = await this.repo.select(`SELECT r.id FROM ${acc.entity.meta.table} r WHERE ${where.join(' AND ')}`, [id, ...(scope?.params ?? [])], exec);
      return rows.length > 0;
    };
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
        const rows = await this.repo.select(
          `SELECT ${selectList(target)} FROM ${target.meta.table} r WHERE r.id IN (${list.map(() => '?').join(', ')}) AND r.deleted_at IS NULL${scope ? ` AND ${scope.sql}` : ''}`,
          [...list, ...(scope?.params ?? [])],
        );
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
