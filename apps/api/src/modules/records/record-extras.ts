import type { Executor } from '../../database/db';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { FieldMeta } from '../entities/entity-meta';
import { childColumns, childRowToValue, type Extras } from './record-codec';
import type { RecordsRepository } from './records.repository';

export const childColumnsOf = (f: FieldMeta) => childColumns(f).map((c) => c.column);

/** Link-table and child-table values for a page: one query per such field, never one per record. */
export async function loadExtras(repo: RecordsRepository, exec: Executor, c: CompiledEntity, ids: number[]): Promise<Extras> {
  const extras: Extras = new Map();
  if (!ids.length) return extras;
  for (const f of c.meta.fields) {
    if (!f.physical.table) continue;
    const byRecord = new Map<number, unknown>();
    if (f.type === 'subform') {
      const rows = await repo.childRows(exec, f.physical.table, childColumnsOf(f), ids);
      for (const r of rows) {
        const pid = Number(r.parent_id);
        const list = (byRecord.get(pid) as unknown[]) ?? [];
        list.push(childRowToValue(f, r));
        byRecord.set(pid, list);
      }
    } else {
      for (const [rid, targets] of await repo.linkTargets(exec, f.physical.table, ids)) byRecord.set(rid, targets);
    }
    extras.set(f.key, byRecord);
  }
  return extras;
}
