import { sameJson } from '@crm/schema';
import { nowStorage } from '../../common/ids';
import { type AuditEntry, BULK_CREATE, type IdRange } from '../audit/audit.repository';
import type { AuditService } from '../audit/audit.service';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { RecordDto } from './record-codec';
import type { RecordEvent, RecordEventType, RecordEvents } from './record-events';
import type { RecordsQueryService } from './records-query.service';
import type { RecordWrite, TxBatch, Values, WriteKind } from './write-batch';

type Changes = Record<string, { from: unknown; to: unknown }>;

const EVENT_OF: Record<WriteKind, RecordEventType> = {
  create: 'record.created',
  update: 'record.updated',
  delete: 'record.deleted',
  restore: 'record.restored',
  purge: 'record.purged',
};

/** Field-level changes; on create, empty values are not listed. */
export function diff(c: CompiledEntity, before: Values | null, after: Values, keys?: string[]): Changes {
  const out: Changes = {};
  const only = keys ? new Set(keys) : null;
  for (const f of c.meta.fields) {
    if (only && !only.has(f.key)) continue;
    const from = before ? before[f.key] : null;
    const to = after[f.key];
    if (!sameJson(from, to) && !(before === null && (to === null || (Array.isArray(to) && !to.length)))) out[f.key] = { from: from ?? null, to: to ?? null };
  }
  return out;
}

/** Ascending ids as runs of consecutive ids. */
export function idRanges(ids: number[]): IdRange[] {
  const out: IdRange[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && id === last.last + 1) last.last = id;
    else out.push({ first: id, last: id });
  }
  return out;
}

const isBulkCreate = (w: TxBatch) => w.kind === 'create' && (w.source === 'bulk' || w.source === 'import');

const sameKeys = (a: readonly string[], b: readonly string[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/**
 * The history stage of records: the audit log's record entries (one per record; a bulk import
 * one entry for all, with its id ranges), and the write's record events for its subscribers.
 */
export class WriteHistorian {
  constructor(
    private readonly audit: AuditService,
    private readonly reads: RecordsQueryService,
    private readonly events: RecordEvents,
  ) {}

  async history(w: TxBatch): Promise<void> {
    if (w.unchanged || !w.records.length) return;
    if (isBulkCreate(w)) return this.bulkCreate(w);
    const entries: AuditEntry[] = [];
    for (const r of w.records) {
      const changes = await this.changesOf(w, r);
      entries.push(this.entry(w, r.id!, changes));
      if (this.events.wanted) w.events.push(this.event(w, r, Object.keys(changes), changes));
    }
    await this.audit.repo.insert(w.tx, entries);
  }

  private async changesOf(w: TxBatch, r: RecordWrite): Promise<Changes> {
    const { c } = w;
    if (w.kind === 'create') {
      // The row as inserted (no participant's persist changes the new record's own row), else read back.
      r.after = r.inserted ? (await this.reads.hydrate(c, [r.inserted], w.tx))[0] : await this.reads.readOrThrow(w.tx, c, r.id!);
      return { ...diff(c, null, r.after), ...(r.ownerId ? { ownerId: { from: null, to: r.ownerId } } : {}) };
    }
    if (w.kind === 'update') {
      const owner: Changes = r.ownerId !== undefined ? { ownerId: { from: r.ownerBefore ?? null, to: r.ownerId } } : {};
      return { ...diff(c, r.current as RecordDto, r.after!, r.changed), ...owner };
    }
    return {};
  }

  /** One audit entry for the import, not one per record: the values are in the rows, and each record's history finds the entry through its id range. */
  private async bulkCreate(w: TxBatch): Promise<void> {
    const ids = w.records.map((r) => r.id!);
    const ranges = idRanges(ids);
    const entry = this.audit.entry(w.ctx, {
      action: BULK_CREATE,
      targetType: 'record',
      targetId: null,
      entityId: w.c.meta.id,
      changes: { count: ids.length, ids: ranges.map((r) => [r.first, r.last]) },
    });
    await this.audit.repo.insertForRanges(w.tx, entry, w.c.meta.id, ranges);
    if (!this.events.wanted) return;
    // One timestamp and one actor for the batch; each record's event names the fields it was given.
    const shared = this.event(w, w.records[0]!, [], undefined, nowStorage());
    const { byKey } = w.c;
    // Rows of one import mostly fill the same fields: a record's key list equal to the one before is that list (events are read, never changed).
    let previous: string[] = [];
    const keys: string[] = [];
    for (const r of w.records) {
      keys.length = 0;
      for (const k in r.values) {
        const v = r.values[k];
        if (v !== null && v !== undefined && !(Array.isArray(v) && !v.length) && byKey.has(k)) keys.push(k);
      }
      if (!sameKeys(keys, previous)) previous = keys.slice();
      // One literal of the event's fields (a spread copy grows its properties one by one).
      w.events.push({
        type: shared.type,
        workspaceId: shared.workspaceId,
        entityId: shared.entityId,
        entityVersion: shared.entityVersion,
        recordId: r.id!,
        actor: shared.actor,
        requestId: shared.requestId,
        source: shared.source,
        at: shared.at,
        changedKeys: previous,
      });
    }
  }

  private entry(w: TxBatch, recordId: number, changes: Changes): AuditEntry {
    const action = `record.${w.kind}`;
    return this.audit.entry(w.ctx, { action, targetType: 'record', targetId: String(recordId), entityId: w.c.meta.id, recordId, changes });
  }

  private event(w: TxBatch, r: RecordWrite, changedKeys: string[], changes?: Changes, at = nowStorage()): RecordEvent {
    const a = w.ctx.actor;
    return {
      type: EVENT_OF[w.kind],
      workspaceId: a.workspaceId,
      entityId: w.c.meta.id,
      entityVersion: w.c.meta.version,
      recordId: r.id!,
      actor: { kind: a.kind, userId: a.kind === 'anonymous' ? null : a.userId },
      requestId: w.ctx.requestId || null,
      source: w.source,
      at,
      changedKeys,
      ...(changes ? { changes } : {}),
    };
  }
}
