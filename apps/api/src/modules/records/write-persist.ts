import { formatSerial, getFieldTypeOrThrow, type Issue, sameJson, serialPeriod, toDbOf, typedField } from '@crm/schema';
import { AppError, notFound } from '../../common/errors';
import { nowStorage } from '../../common/ids';
import type { Executor } from '../../database/db';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { FieldMeta } from '../entities/entity-meta';
import { childColumns, storedColumns } from './record-codec';
import type { RecordWritesRepository } from './record-writes.repository';
import type { RecordsQueryService } from './records-query.service';
import type { RecordsRepository } from './records.repository';
import { BULK_LIMIT } from './write-normalise';
import { type TxBatch, type Values, validationError } from './write-batch';

/** A bulk edit found its records changed between reading and locking them: the service runs it again. */
export class StaleBatchError extends Error {}

/** Instants compare in storage form, so '…T10:00:00+02:00' equals the '…T08:00:00.000Z' read back. */
function sameValue(f: FieldMeta, a: unknown, b: unknown): boolean {
  return f.type === 'datetime' ? sameJson(toDbOf(f, a), toDbOf(f, b)) : sameJson(a, b);
}

/** The persist stage of records: rows, link rows and child rows, in the write's transaction. */
export class WritePersister {
  constructor(
    private readonly repo: RecordsRepository,
    private readonly writes: RecordWritesRepository,
    private readonly reads: RecordsQueryService,
  ) {}

  async persist(w: TxBatch): Promise<void> {
    if (w.kind === 'create') await this.create(w);
    else if (w.kind === 'update' && w.filter === undefined) await this.update(w);
    else if (w.kind === 'update') await this.bulkUpdate(w);
    else if (w.filter !== undefined) await this.bulkDelete(w);
    else await this.stateChange(w);
  }

  /** Serial numbers, then the rows (one multi-row insert for a bulk), link and child rows. */
  private async create(w: TxBatch): Promise<void> {
    const { tx, c, ctx } = w;
    const all = w.records.map((r) => r.values);
    const now = nowStorage();
    for (const f of c.meta.fields) {
      const t = typedField(f);
      if (t.type !== 'serial') continue;
      const date = new Date();
      const first = await this.writes.nextSerial(tx, f.id, serialPeriod({ settings: t.settings, date }), all.length);
      all.forEach((v, i) => (v[f.key] = formatSerial({ settings: t.settings, counter: first + i, date })));
    }
    const colFields = c.meta.fields.filter((f) => f.physical.column);
    // A public-link submission acts as nobody: no creator, and the link's owner (or none).
    const actorId = ctx.actor.kind === 'anonymous' ? null : ctx.actor.userId;
    const ownerOf = (i: number) => (w.records[i].ownerId !== undefined ? w.records[i].ownerId : w.defaultOwner !== undefined ? w.defaultOwner : actorId);
    const shared: [string, unknown][] = [
      ['version', 1],
      ['created_at', now],
      ['created_by', actorId],
      ['updated_at', now],
      ['updated_by', actorId],
    ];
    const columns = ['owner_id', 'form_version', ...colFields.map((f) => f.physical.column!)];
    // Each column's storage codec looked up once per batch, and one row array reused: insertMany consumes a row before asking for the next.
    const codecs = colFields.map((f) => ({ key: f.key, type: getFieldTypeOrThrow(f.type), settings: f.settings }));
    const row: unknown[] = new Array(2 + codecs.length);
    const rowOf = (i: number) => {
      const v = all[i];
      row[0] = ownerOf(i);
      row[1] = w.formVersion;
      for (let k = 0; k < codecs.length; k++) {
        const cc = codecs[k];
        const x = v[cc.key];
        row[k + 2] = x === null || x === undefined ? null : cc.type.toDb(x, cc.settings);
      }
      return row;
    };
    if (all.length === 1) {
      const [cols, vals] = [
        [...shared.map(([col]) => col), ...columns],
        [...shared.map(([, v]) => v), ...rowOf(0)],
      ];
      // The row as stored comes back with the INSERT where the database can (history needs it): one statement fewer.
      if (this.repo.db.insertReturning) {
        const row = await this.writes.insertReturning(tx, c.meta.table, cols, vals, storedColumns(c));
        Object.assign(w.records[0], { id: Number(row.id), inserted: row });
      } else w.records[0].id = await this.writes.insert(tx, c.meta.table, cols, vals);
    } else {
      const ids = await this.writes.insertMany(tx, c.meta.table, { shared, columns, count: all.length, rowOf });
      w.records.forEach((r, i) => (r.id = ids[i]));
    }
    await this.insertExtras(
      tx,
      c,
      w.records.map((r) => ({ id: r.id!, values: r.values })),
    );
  }

  private async insertExtras(tx: Executor, c: CompiledEntity, list: { id: number; values: Values }[]): Promise<void> {
    for (const f of c.meta.fields) {
      if (!f.physical.table) continue;
      if (f.type === 'subform') {
        const cols = childColumns(f);
        const childRows: unknown[][] = [];
        for (const { id, values } of list)
          ((values[f.key] as Values[] | null) ?? []).forEach((row, order) => childRows.push([id, order, ...cols.map((cc) => toDbOf(cc.def, row[cc.key]))]));
        await this.writes.insertRows(tx, f.physical.table, ['parent_id', 'row_order', ...cols.map((cc) => cc.column)], childRows);
      } else {
        const links: unknown[][] = [];
        for (const { id, values } of list) for (const t of new Set((values[f.key] as number[] | null) ?? [])) links.push([id, t]);
        await this.writes.insertRows(tx, f.physical.table, ['record_id', 'target_id'], links);
      }
    }
  }

  /** Compare-and-set on the version the client read, under the row's lock; unchanged values are not written. */
  private async update(w: TxBatch): Promise<void> {
    const { tx, c, ctx, acc } = w;
    const r = w.records[0];
    const id = r.id!;
    if (await this.updateUnlocked(w)) return;
    const row = await this.repo.findById(tx, c.meta.table, 'r.id, r.version, r.deleted_at, r.owner_id', id, { forUpdate: true });
    if (!row || row.deleted_at) throw notFound('RECORD_NOT_FOUND', `Record ${id}`);
    // Edit on every record (scope "all"): the row just locked, there and not deleted, is in scope; no second look.
    if (!(acc.can('edit') && acc.scopeSqlOrThrow('edit') === null)) await this.reads.assertInScopeOrThrow(tx, acc, 'edit', id);
    const conflict = async (message: string) => new AppError('VERSION_CONFLICT', message, { current: acc.project(await this.reads.readOrThrow(tx, c, id)) });
    if (Number(row.version) !== w.expectedVersion)
      throw await conflict(`Record ${id} is at version ${row.version}, not ${w.expectedVersion}: reload it and apply your change again`);
    const current = r.current!;
    const changed: Values = {};
    for (const [k, v] of Object.entries(r.values)) if (!sameValue(c.byKey.get(k)!, current[k], v)) changed[k] = v;
    const ownerChanged = r.ownerId !== undefined && r.ownerId !== row.owner_id;
    r.changed = Object.keys(changed);
    if (!r.changed.length && !ownerChanged) {
      w.unchanged = true;
      r.after = current;
      return;
    }
    if (ownerChanged) r.ownerBefore = (row.owner_id as string | null) ?? null;
    else r.ownerId = undefined;
    const sets: [string, unknown][] = [
      ['updated_at', nowStorage()],
      ['updated_by', ctx.actor.userId],
      ...(ownerChanged ? ([['owner_id', r.ownerId]] as [string, unknown][]) : []),
      ...(w.formVersion !== null ? ([['form_version', w.formVersion]] as [string, unknown][]) : []),
    ];
    for (const f of c.meta.fields) if (f.key in changed && f.physical.column) sets.push([f.physical.column, toDbOf(f, changed[f.key])]);
    if ((await this.writes.update(tx, c.meta.table, id, w.expectedVersion!, sets)) !== 1) throw await conflict(`Record ${id} changed meanwhile: reload it`);
    for (const f of c.meta.fields) if (f.key in changed && f.physical.table) await this.replaceExtra(tx, f, id, changed[f.key], current[f.key]);
    r.after = await this.reads.readOrThrow(tx, c, id);
  }

  /**
   * The update without the locking read first, when that read could only refuse: the write
   * starts from a read at the expected version (so the values compared are the stored ones while
   * the version holds), edits every record (scope "all") and leaves the owner. The `UPDATE`'s
   * compare-and-set (version, not deleted) then takes the row's lock itself; when it matches
   * nothing, false, and the locking read says why (not found, deleted, another version).
   */
  private async updateUnlocked(w: TxBatch): Promise<boolean> {
    const { tx, c, ctx, acc } = w;
    const r = w.records[0];
    const current = r.current;
    if (!current || Number(current.version) !== w.expectedVersion || r.ownerId !== undefined) return false;
    if (!(acc.can('edit') && acc.scopeSqlOrThrow('edit') === null)) return false;
    const changed: Values = {};
    for (const [k, v] of Object.entries(r.values)) if (!sameValue(c.byKey.get(k)!, current[k], v)) changed[k] = v;
    // Nothing to write: the locking read checks that the record is still there at that version.
    if (!Object.keys(changed).length) return false;
    const sets: [string, unknown][] = [
      ['updated_at', nowStorage()],
      ['updated_by', ctx.actor.userId],
      ...(w.formVersion !== null ? ([['form_version', w.formVersion]] as [string, unknown][]) : []),
    ];
    for (const f of c.meta.fields) if (f.key in changed && f.physical.column) sets.push([f.physical.column, toDbOf(f, changed[f.key])]);
    if ((await this.writes.update(tx, c.meta.table, r.id!, w.expectedVersion!, sets, true)) !== 1) return false;
    r.changed = Object.keys(changed);
    r.ownerId = undefined;
    for (const f of c.meta.fields) if (f.key in changed && f.physical.table) await this.replaceExtra(tx, f, r.id!, changed[f.key], current[f.key]);
    r.after = await this.reads.readOrThrow(tx, c, r.id!);
    return true;
  }

  /** The rows read before the transaction, locked now: any that changed meanwhile (or a new match) runs the edit again. */
  private async bulkUpdate(w: TxBatch): Promise<void> {
    const { tx, c, acc, ctx } = w;
    const locked = await this.reads.matchingRows(tx, c, acc, 'bulk_edit', w.filter ?? null, BULK_LIMIT, true);
    const read = new Map(w.records.map((r) => [r.id!, r.current!.version]));
    if (locked.length !== read.size || locked.some((row) => read.get(Number(row.id)) !== Number(row.version))) throw new StaleBatchError();
    if (!w.records.length) return;
    const ids = w.records.map((r) => r.id!);
    const fields = c.meta.fields.filter((f) => f.key in w.shared!);
    const sets: [string, unknown][] = [
      ['updated_at', nowStorage()],
      ['updated_by', ctx.actor.userId],
      ...fields.map((f) => [f.physical.column!, toDbOf(f, w.shared![f.key])] as [string, unknown]),
    ];
    await this.writes.updateMany(tx, c.meta.table, ids, sets);
    // Each record's own computed values (the compute stage put them beside the shared ones).
    const computed: { id: number; sets: Map<string, unknown> }[] = [];
    for (const r of w.records) {
      const s = new Map<string, unknown>();
      for (const [k, v] of Object.entries(r.values)) {
        const f = c.byKey.get(k);
        if (f?.physical.column && !(k in w.shared!) && !sameJson(r.current![k], v)) s.set(f.physical.column, toDbOf(f, v));
      }
      if (s.size) computed.push({ id: r.id!, sets: s });
    }
    await this.writes.updateColumns(tx, c.meta.table, computed, false);
    const after = new Map((await this.reads.rowsByIds(tx, c, ids)).map((rec) => [rec.id, rec]));
    for (const r of w.records) {
      r.after = after.get(r.id!)!;
      r.changed = Object.keys(r.values);
    }
  }

  /** Bulk delete: every record the filter matches in the member's delete scope, to the recycle bin. */
  private async bulkDelete(w: TxBatch): Promise<void> {
    const { tx, c, acc, ctx } = w;
    const rows = await this.reads.matchingRows(tx, c, acc, 'delete', w.filter ?? null, BULK_LIMIT, true);
    const ids = rows.map((r) => Number(r.id));
    if (ids.length) await this.writes.softDeleteMany(tx, c.meta.table, ids, nowStorage(), ctx.actor.userId);
    for (const id of ids) w.records.push({ prefix: '', id, values: {} });
  }

  /** One record to the recycle bin, back from it, or gone for good (only from the bin). */
  private async stateChange(w: TxBatch): Promise<void> {
    const { tx, c, acc, ctx } = w;
    const r = w.records[0];
    const id = r.id!;
    const inBin = w.kind !== 'delete';
    await this.reads.assertInScopeOrThrow(tx, acc, 'delete', id, inBin);
    const table = c.meta.table;
    const n =
      w.kind === 'delete'
        ? await this.writes.softDelete(tx, table, id, nowStorage(), ctx.actor.userId)
        : w.kind === 'restore'
          ? await this.writes.restore(tx, table, id, nowStorage(), ctx.actor.userId)
          : await this.writes.purge(tx, table, id);
    if (n !== 1 && w.kind === 'delete') throw notFound('RECORD_NOT_FOUND', `Record ${id}`);
    if (n !== 1) {
      if (await this.repo.findById(tx, table, 'r.id', id)) throw new AppError('NOT_IN_RECYCLE_BIN', `Record ${id} is not in the recycle bin`);
      throw notFound('RECORD_NOT_FOUND', `Record ${id}`);
    }
    if (w.kind === 'purge') for (const f of c.meta.fields) if (f.physical.table) await this.writes.deleteExtras(tx, f.physical.table, f.type === 'subform', id);
    if (w.kind === 'restore') r.after = await this.reads.readOrThrow(tx, c, id);
  }

  /** Replaces link targets, or child rows keeping the ids of rows sent back with their id. */
  private async replaceExtra(tx: Executor, f: FieldMeta, id: number, next: unknown, current: unknown): Promise<void> {
    const table = f.physical.table!;
    if (f.type !== 'subform') {
      await this.writes.replaceLinks(tx, table, id, [...new Set((next as number[] | null) ?? [])]);
      return;
    }
    const cols = childColumns(f);
    const rows = (next as Values[] | null) ?? [];
    const existing = new Set(((current as Values[] | null) ?? []).map((r) => Number(r.id)));
    const issues: Issue[] = [];
    const seen = new Set<number>();
    rows.forEach((r, i) => {
      if (r.id === undefined) return;
      const path = `/${f.key}/${i}/id`;
      if (!existing.has(Number(r.id))) issues.push({ path, code: 'not_found', message: `Row ${r.id} is not a row of this record` });
      // Two rows with one id would collapse into one: refuse rather than drop a row.
      else if (seen.has(Number(r.id))) issues.push({ path, code: 'duplicate', message: `Row ${r.id} is sent twice` });
      seen.add(Number(r.id));
    });
    if (issues.length) throw validationError(issues);
    const kept = new Set(rows.filter((r) => r.id !== undefined).map((r) => Number(r.id)));
    await this.writes.deleteChildRows(
      tx,
      table,
      id,
      [...existing].filter((x) => !kept.has(x)),
    );
    for (const [order, r] of rows.entries()) {
      const vals = cols.map((cc) => toDbOf(cc.def, r[cc.key]));
      if (r.id !== undefined)
        await this.writes.updateChildRow(tx, table, { parentId: id, rowId: Number(r.id), order, columns: cols.map((cc) => cc.column), values: vals });
      else await this.writes.insertRows(tx, table, ['parent_id', 'row_order', ...cols.map((cc) => cc.column)], [[id, order, ...vals]]);
    }
  }
}
