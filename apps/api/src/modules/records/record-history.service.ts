import { Injectable } from '@nestjs/common';
import { storageToIso } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import { type AuditRow, AuditRepository, BULK_CREATE } from '../audit/audit.repository';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import { selectList } from './record-codec';
import { RecordsQueryService } from './records-query.service';
import { RecordsRepository } from './records.repository';

/** A record's change history: the record entries of the audit log, read with the member's permissions. */
@Injectable()
export class RecordHistoryService {
  constructor(
    private readonly repo: RecordsRepository,
    private readonly reads: RecordsQueryService,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Field-level history (kept after purge). Admins see all of it; members only of records in
   * their view scope, and only the fields they may read. A record from a bulk import shows its
   * creation from the import's one entry (`record.bulk_create`, see `creationOfImport`).
   */
  async history(ctx: RequestContext, entityId: string, recordId: number) {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    const rows = await this.audit.recordHistory(entityId, recordId, 500);
    if (!rows.length || !acc.isAdmin) await this.reads.assertInScopeOrThrow(this.repo.db, acc, 'view', recordId, true);
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
    const values: Record<string, unknown> = { ...(await this.reads.hydrate(c, [row], this.repo.db, true))[0] };
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
}
