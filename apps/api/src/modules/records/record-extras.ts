import { childFieldsOf, referenceOf } from '@crm/schema';
import type { Executor } from '../../database/db';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { FieldMeta } from '../entities/entity-meta';
import { childColumns, childRowToValue, type Extras, type RecordDto } from './record-codec';
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

/**
 * Attachment values are stored as file ids; reads show `{ id, name, size, mime }`. One query
 * for every file of the page (subform rows included), none when there are no attachments.
 */
export async function attachFiles(repo: RecordsRepository, exec: Executor, c: CompiledEntity, records: RecordDto[]): Promise<void> {
  const lists: { owner: Record<string, unknown>; key: string }[] = [];
  for (const f of c.meta.fields) {
    if (referenceOf(f) === 'file') for (const rec of records) lists.push({ owner: rec, key: f.key });
    const children = childFieldsOf(f).filter((x) => referenceOf(x) === 'file');
    if (!children.length) continue;
    for (const rec of records) {
      for (const row of (rec[f.key] as Record<string, unknown>[] | null) ?? []) for (const ch of children) lists.push({ owner: row, key: ch.key });
    }
  }
  const ids = new Set<string>();
  for (const l of lists) for (const v of (l.owner[l.key] as unknown[] | null) ?? []) if (typeof v === 'string') ids.add(v);
  if (!ids.size) return;
  const files = await repo.existingSystemIds(exec, 'files', c.meta.workspaceId, [...ids]);
  for (const l of lists) {
    const v = l.owner[l.key] as unknown[] | null;
    if (!Array.isArray(v)) continue;
    l.owner[l.key] = v.map((id) => {
      const row = typeof id === 'string' ? files.get(id) : undefined;
      return row ? { id, name: row.name, size: Number(row.size), mime: row.mime } : id;
    });
  }
}
