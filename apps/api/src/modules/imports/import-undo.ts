import { nowStorage } from '../../common/ids';
import type { CompiledAccess } from '@crm/access';
import { EntityAccess } from '../access/access.service';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { RecordEvent, RecordEvents } from '../records/record-events';
import type { RecordsQueryService } from '../records/records-query.service';
import { newBatch } from '../records/write-batch';
import type { RecordWritePipeline } from '../records/write-pipeline';
import type { ImportJournalRepository, JournalRow } from './import-journal.repository';
import type { WriteTarget } from './import-writer';

const CHUNK = 500;

/** The import's own undo: every record in scope, deletable and editable, every field writable (it only puts back what it wrote). */
function undoAccess(c: CompiledEntity, userId: string, dialect: 'mysql' | 'sqlite'): EntityAccess<CompiledEntity> {
  const compiled: CompiledAccess = { isAdmin: false, can: () => true, scope: () => 'all', readable: 'all', writable: () => 'all' };
  return new EntityAccess(c, compiled, { userId, departmentIds: [], departmentTree: [] }, dialect);
}

/**
 * Undoes what an all-or-nothing import wrote (docs/import-export.md, "All or nothing"), newest
 * first: updated records get their pre-image back through the record pipeline (validation,
 * history and events as any edit), created ones are purged in chunks — their rows, link and
 * subform rows and journal rows in one transaction, with `record.purged` events. Each journal
 * row goes with its undo, so a run after a crash undoes only what is left.
 */
export class ImportUndo {
  constructor(
    private readonly pipeline: RecordWritePipeline,
    private readonly reads: RecordsQueryService,
    private readonly events: RecordEvents,
    private readonly journal: ImportJournalRepository,
  ) {}

  /** Undoes everything; returns the messages of restores the pipeline refused (their records keep the import's values). */
  async undo(t: WriteTarget): Promise<string[]> {
    const rows = await this.journal.list(t.importId);
    const created = new Set(rows.filter((r) => !r.preImage).map((r) => r.recordId));
    const failures: string[] = [];
    for (const r of rows) {
      if (!r.preImage) continue;
      // A record this import created is purged below; its link updates need no restore.
      if (!created.has(r.recordId)) failures.push(...(await this.restore(t, r)));
      await this.journal.remove(null, t.importId, [r.seq]);
    }
    const purge = rows.filter((r) => !r.preImage);
    for (let i = 0; i < purge.length; i += CHUNK) await this.purge(t, purge.slice(i, i + CHUNK));
    await this.journal.drop(null, t.importId);
    return failures;
  }

  private async restore(t: WriteTarget, r: JournalRow): Promise<string[]> {
    const [stored] = await this.reads.rowsByIds(this.reads.db, t.c, [r.recordId]);
    if (!stored) return [];
    const input = { ...r.preImage!.values, ...(r.preImage!.ownerId !== undefined ? { ownerId: r.preImage!.ownerId } : {}), version: stored.version };
    const acc = undoAccess(t.c, t.ctx.actor.userId, this.reads.db.dialect);
    const w = newBatch({
      kind: 'update',
      source: 'import',
      ctx: t.ctx,
      c: t.c,
      acc,
      owned: true,
      expectedVersion: stored.version,
      records: [{ prefix: '', id: r.recordId, input, values: {} }],
    });
    try {
      await this.pipeline.run(w);
      return [];
    } catch (err) {
      return [`record ${r.recordId}: ${err instanceof Error ? err.message : String(err)}`];
    }
  }

  private async purge(t: WriteTarget, rows: JournalRow[]): Promise<void> {
    const ids = rows.map((r) => r.recordId);
    const a = t.ctx.actor;
    const events: RecordEvent[] = ids.map((recordId) => ({
      type: 'record.purged',
      workspaceId: a.workspaceId,
      entityId: t.c.meta.id,
      entityVersion: t.c.meta.version,
      recordId,
      actor: { kind: a.kind, userId: a.kind === 'anonymous' ? null : a.userId },
      requestId: t.ctx.requestId || null,
      source: 'import',
      at: nowStorage(),
      changedKeys: [],
    }));
    const extras = t.c.meta.fields.filter((f) => f.physical.table).map((f) => ({ table: f.physical.table!, child: f.type === 'subform' }));
    await this.journal.db.transaction(async (tx) => {
      await this.journal.purgeRecords(tx, t.c.meta.table, extras, ids);
      await this.journal.remove(
        tx,
        t.importId,
        rows.map((r) => r.seq),
      );
      await this.events.inTransaction(tx, events);
    });
    await this.events.afterCommit(events);
  }
}
