import type { Db, Executor } from '../../database/db';
import { assertPhysicalName } from '../ddl/ddl-step';
import type { Values } from '../records/write-batch';

const CHUNK = 500;
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** What an all-or-nothing import wrote to one record: created (no pre-image) or updated (the changed fields before). */
export interface JournalRow {
  seq: number;
  recordId: number;
  preImage: { values: Values; ownerId?: string | null } | null;
}

/** The undo journal of all-or-nothing imports (`import_writes`, migration 1763900001700), and the purge of the records it names. */
export class ImportJournalRepository {
  constructor(readonly db: Db) {}

  /** Journal rows of one write, inside the write's own transaction. */
  async append(tx: Executor, importId: string, rows: JournalRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      await tx.run(
        `INSERT INTO import_writes (import_id, seq, record_id, pre_image) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}`,
        part.flatMap((r) => [importId, r.seq, r.recordId, r.preImage ? JSON.stringify(r.preImage) : null]),
      );
    }
  }

  /** Newest first. */
  async list(importId: string): Promise<JournalRow[]> {
    const rows = await this.db.query<{ seq: unknown; record_id: unknown; pre_image: string | null }>(
      'SELECT seq, record_id, pre_image FROM import_writes WHERE import_id = ? ORDER BY seq DESC',
      [importId],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      recordId: Number(r.record_id),
      preImage: r.pre_image ? (JSON.parse(r.pre_image) as JournalRow['preImage']) : null,
    }));
  }

  async remove(exec: Executor | null, importId: string, seqs: number[]): Promise<void> {
    if (!seqs.length) return;
    await (exec ?? this.db).run(`DELETE FROM import_writes WHERE import_id = ? AND seq IN (${placeholders(seqs.length)})`, [importId, ...seqs]);
  }

  async drop(exec: Executor | null, importId: string): Promise<void> {
    await (exec ?? this.db).run('DELETE FROM import_writes WHERE import_id = ?', [importId]);
  }

  /** Deletes records for good with their link and subform rows (`extras`: each table and whether it holds child rows). */
  async purgeRecords(tx: Executor, table: string, extras: { table: string; child: boolean }[], ids: number[]): Promise<void> {
    const inIds = `IN (${placeholders(ids.length)})`;
    for (const x of extras) await tx.run(`DELETE FROM ${assertPhysicalName(x.table)} WHERE ${x.child ? 'parent_id' : 'record_id'} ${inIds}`, ids);
    await tx.run(`DELETE FROM ${assertPhysicalName(table)} WHERE id ${inIds}`, ids);
  }
}
