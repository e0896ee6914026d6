import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { RecordWrite, Values } from '../records/write-batch';
import type { JournalRow } from './import-journal.repository';

/** Journal sequence of a row's write: the row's create or upsert, then its in-file links. */
export const journalSeq = (rowNumber: number, link: boolean) => rowNumber * 2 + (link ? 1 : 0);

/** The pre-image of an updated record: the stored values of the keys the write changed (subform rows without their ids, which the update replaced). */
export function preImageOf(c: CompiledEntity, r: RecordWrite): JournalRow['preImage'] {
  const values: Values = {};
  const current = (r.current ?? {}) as Values;
  for (const k of r.changed ?? []) {
    const f = c.byKey.get(k);
    if (!f) continue;
    const v = current[k] ?? null;
    values[k] = f.type === 'subform' && Array.isArray(v) ? v.map(({ id: _id, ...rest }: Values) => rest) : v;
  }
  return r.ownerBefore !== undefined ? { values, ownerId: r.ownerBefore } : { values };
}
