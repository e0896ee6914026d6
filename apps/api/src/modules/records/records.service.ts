import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import type { EntityAccess } from '../access/access.service';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { RecordDto } from './record-codec';
import { parseFilterOrThrow, RecordsQueryService } from './records-query.service';
import { newBatch, StaleEntityError, type Values, type WriteBatch, type WriteKind, type WriteSource } from './write-batch';
import { StaleBatchError } from './write-persist';
import { RecordWritePipeline } from './write-pipeline';

export const MAX_BULK = 5000;
/** A bulk edit whose records keep changing under it is tried this many times, then refused. */
const BULK_EDIT_TRIES = 3;

/**
 * Record writes. Each method checks what the member may do, describes the write as a batch and
 * runs it through the one pipeline (RecordWritePipeline): the stages and their order are the
 * same for all of them.
 */
@Injectable()
export class RecordsService {
  constructor(
    private readonly reads: RecordsQueryService,
    private readonly pipeline: RecordWritePipeline,
  ) {}

  /**
   * `opts` serves public fill-in links: the link's own access (create only, exposed fields) and
   * owner (null or a configured member) instead of a member's.
   */
  async create(
    ctx: RequestContext,
    entityId: string,
    body: unknown,
    opts: { access?: EntityAccess<CompiledEntity>; ownerId?: string | null; source?: WriteSource } = {},
  ): Promise<RecordDto> {
    // The entity as compiled last, its version checked in the write's first statement (with the
    // published form's): one statement fewer (issue 9, item 8). When it moved, the write starts
    // again the usual way; nothing of it ran.
    const cached = opts.access ? null : await this.reads.cachedAccessOrNull(ctx, entityId);
    if (cached?.acc.can('create')) {
      try {
        return await this.createWith(ctx, cached, body, opts, true);
      } catch (err) {
        if (!(err instanceof StaleEntityError)) throw err;
      }
    }
    const { c, acc } = opts.access ? { c: opts.access.entity, acc: opts.access } : await this.reads.entityAccess(ctx, entityId);
    acc.requireOrThrow('create');
    return this.createWith(ctx, { c, acc }, body, opts, false);
  }

  private async createWith(
    ctx: RequestContext,
    { c, acc }: { c: CompiledEntity; acc: EntityAccess<CompiledEntity> },
    body: unknown,
    opts: { access?: EntityAccess<CompiledEntity>; ownerId?: string | null; source?: WriteSource },
    verifyVersion: boolean,
  ): Promise<RecordDto> {
    const w = newBatch({
      kind: 'create',
      source: opts.source ?? (opts.access ? 'public-form' : 'api'),
      ctx,
      c,
      acc,
      owned: true,
      defaultOwner: opts.ownerId,
      verifyVersion,
      records: [{ prefix: '', input: body, values: {} }],
    });
    await this.pipeline.run(w);
    return acc.project(w.records[0].after!);
  }

  /** All or nothing: every row is checked first; one transaction writes them all. */
  async bulkCreate(ctx: RequestContext, entityId: string, body: unknown): Promise<{ ids: number[] }> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    acc.requireOrThrow('import');
    const records = (body as { records?: unknown } | null)?.records;
    if (!body || typeof body !== 'object' || !Array.isArray(records)) throw new AppError('INVALID_REQUEST', 'Send { "records": [ ... ] }');
    if (records.length === 0) return { ids: [] };
    if (records.length > MAX_BULK) throw new AppError('INVALID_REQUEST', `At most ${MAX_BULK} records per bulk request, got ${records.length}`);
    const w = newBatch({ kind: 'create', source: 'bulk', ctx, c, acc, records: records.map((input, i) => ({ prefix: `/records/${i}`, input, values: {} })) });
    await this.pipeline.run(w);
    return { ids: w.records.map((r) => r.id!) };
  }

  async update(ctx: RequestContext, entityId: string, id: number, body: unknown): Promise<RecordDto> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    await this.reads.assertInScopeOrThrow(this.reads.db, acc, 'edit', id);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('INVALID_REQUEST', 'The request body must be a JSON object');
    const expectedVersion = (body as Values).version as number;
    const w = newBatch({ kind: 'update', source: 'api', ctx, c, acc, owned: true, expectedVersion, records: [{ prefix: '', id, input: body, values: {} }] });
    await this.pipeline.run(w);
    return acc.project(w.records[0].after!);
  }

  async remove(ctx: RequestContext, entityId: string, id: number): Promise<void> {
    await this.single(ctx, entityId, id, 'delete');
  }

  async restore(ctx: RequestContext, entityId: string, id: number): Promise<RecordDto> {
    const w = await this.single(ctx, entityId, id, 'restore');
    return w.acc.project(w.records[0].after!);
  }

  /** Gone for good (only from the recycle bin); its history stays. */
  async purge(ctx: RequestContext, entityId: string, id: number): Promise<void> {
    await this.single(ctx, entityId, id, 'purge');
  }

  /**
   * Restore or purge several records of the recycle bin, each on its own (one refused record
   * does not hold back the others): the ids done, and why each other one was refused.
   */
  async binBulk(ctx: RequestContext, entityId: string, body: unknown, kind: 'restore' | 'purge'): Promise<BinBulkAnswer> {
    const ids = binIdsOrThrow(body);
    await this.reads.entityAccess(ctx, entityId);
    const done: number[] = [];
    const failed: BinBulkAnswer['failed'] = [];
    for (const id of ids) {
      try {
        await this.single(ctx, entityId, id, kind);
        done.push(id);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        failed.push({ id, code: err.code, detail: err.message });
      }
    }
    return { ids: done, failed };
  }

  private async single(ctx: RequestContext, entityId: string, id: number, kind: WriteKind): Promise<WriteBatch> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    const w = newBatch({ kind, source: 'api', ctx, c, acc, records: [{ prefix: '', id, values: {} }] });
    await this.pipeline.run(w);
    return w;
  }

  /**
   * Bulk edit: the same values on every record the filter matches within the member's
   * bulk-edit scope (at most 10 000; a match-all filter reaches only what the scope allows).
   */
  async bulkUpdate(ctx: RequestContext, entityId: string, body: unknown): Promise<{ updated: number; ids: number[] }> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    // No bulk-edit action at all: say so (403 FORBIDDEN), rather than naming every value as not writable.
    acc.requireOrThrow('bulk_edit');
    const { filter, values } = bulkBodyOrThrow(body, true);
    for (let attempt = 1; ; attempt++) {
      const w = newBatch({ kind: 'update', source: 'bulk', ctx, c, acc, filter, shared: { ...values! }, records: [] });
      try {
        await this.pipeline.run(w);
        const ids = w.records.map((r) => r.id!);
        return { updated: ids.length, ids };
      } catch (err) {
        if (!(err instanceof StaleBatchError)) throw err;
        if (attempt >= BULK_EDIT_TRIES) throw new AppError('VERSION_CONFLICT', 'The records changed while the bulk edit ran; try again');
      }
    }
  }

  /** Bulk delete to the recycle bin, within the member's delete scope. */
  async bulkDelete(ctx: RequestContext, entityId: string, body: unknown): Promise<{ deleted: number; ids: number[] }> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    const { filter } = bulkBodyOrThrow(body, false);
    const w = newBatch({ kind: 'delete', source: 'bulk', ctx, c, acc, filter, records: [] });
    await this.pipeline.run(w);
    const ids = w.records.map((r) => r.id!);
    return { deleted: ids.length, ids };
  }
}

export interface BinBulkAnswer {
  ids: number[];
  failed: { id: number; code: string; detail: string }[];
}

const MAX_BIN_BULK = 200;

/** `{ ids: [...] }`: 1 to 200 distinct record ids. */
function binIdsOrThrow(body: unknown): number[] {
  const ids = (body as { ids?: unknown } | null)?.ids;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_BIN_BULK || !ids.every((x) => Number.isInteger(x) && (x as number) > 0))
    throw new AppError('INVALID_REQUEST', `Send { "ids": [...] } with 1 to ${MAX_BIN_BULK} record ids`, {
      errors: [{ path: '/ids', code: 'invalid_value', message: `1 to ${MAX_BIN_BULK} whole numbers above 0` }],
    });
  return [...new Set(ids as number[])];
}

/** `{ filter, values? }` where filter is a json-logic condition, or `{ all: true }` to mean every record in scope. */
function bulkBodyOrThrow(body: unknown, withValues: boolean): { filter: unknown; values?: Values } {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new AppError('INVALID_REQUEST', 'Send { "filter": {...}' + (withValues ? ', "values": {...} }' : ' }'));
  const b = body as { filter?: unknown; all?: unknown; values?: unknown };
  const filter = parseFilterOrThrow(b.filter);
  if (filter === null && b.all !== true)
    throw new AppError('INVALID_REQUEST', 'A bulk change needs a filter, or "all": true to mean every record you may change');
  if (filter !== null && b.all === true) throw new AppError('INVALID_REQUEST', 'Send either a filter or "all": true, not both');
  if (withValues && (!b.values || typeof b.values !== 'object' || Array.isArray(b.values) || !Object.keys(b.values).length)) {
    throw new AppError('INVALID_REQUEST', 'values must be an object with at least one field');
  }
  return { filter, values: withValues ? (b.values as Values) : undefined };
}
