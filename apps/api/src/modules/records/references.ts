import type { FieldDefinition, Issue } from '@crm/schema';
import type { Executor } from '../../database/db';
import type { CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import type { FieldMeta } from '../entities/entity-meta';
import { childFields } from '../entities/field-planner';
import type { RecordsRepository } from './records.repository';

interface Ref {
  path: string;
  kind: 'relation' | 'users' | 'departments' | 'files';
  target?: string;
  id: string | number;
}

const REFERENCE_TYPES = new Set(['relation', 'member', 'department', 'attachment', 'subform']);
/** Only these field types hold ids of other things (a subform through its child fields). */
const mayReference = (f: FieldDefinition) => REFERENCE_TYPES.has(f.type);

function refsOfValue(field: FieldDefinition, value: unknown, path: string, out: Ref[]): void {
  if (value === null || value === undefined) return;
  const list = Array.isArray(value) ? value : [value];
  const kind =
    field.type === 'relation'
      ? 'relation'
      : field.type === 'member'
        ? 'users'
        : field.type === 'department'
          ? 'departments'
          : field.type === 'attachment'
            ? 'files'
            : null;
  if (kind) {
    list.forEach((v, i) => {
      const id = kind === 'files' && v && typeof v === 'object' ? (v as { id: string }).id : (v as string | number);
      out.push({
        path: Array.isArray(value) ? `${path}/${i}` : path,
        kind,
        target: kind === 'relation' ? String(field.settings.targetEntityId) : undefined,
        id,
      });
    });
    return;
  }
  if (field.type === 'subform' && Array.isArray(value)) {
    const children = childFields(field);
    value.forEach((row, i) => {
      if (!row || typeof row !== 'object') return;
      for (const child of children) refsOfValue(child, (row as Record<string, unknown>)[child.key], `${path}/${i}/${child.key}`, out);
    });
  }
}

/**
 * Checks that every referenced record, member, department and file exists in this workspace,
 * with one query per kind and target (never one per value). Returns the issues, and the file
 * metadata to store in attachment values.
 */
export async function checkReferences(args: {
  exec: Executor;
  repo: RecordsRepository;
  runtime: EntityRuntime;
  workspaceId: string;
  fields: FieldMeta[];
  inputs: { values: Record<string, unknown>; pathPrefix: string }[];
  /**
   * The member's view scope (alias r) on a relation's target entity: linking a record one may
   * not see is refused exactly like linking one that does not exist, so it cannot be probed.
   */
  targetScope?: (target: CompiledEntity) => Promise<{ sql: string; params: unknown[] } | null>;
}): Promise<{ issues: Issue[]; files: Map<string, Record<string, unknown>> }> {
  const refs: Ref[] = [];
  const fields = args.fields.filter(mayReference);
  for (const input of args.inputs) {
    for (const f of fields) if (f.key in input.values) refsOfValue(f, input.values[f.key], `${input.pathPrefix}/${f.key}`, refs);
  }
  const issues: Issue[] = [];
  const files = new Map<string, Record<string, unknown>>();
  if (!refs.length) return { issues, files };
  const groups = new Map<string, Ref[]>();
  for (const r of refs) {
    const k = `${r.kind}:${r.target ?? ''}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const [, group] of groups) {
    const { kind, target } = group[0];
    let found: Set<string>;
    if (kind === 'relation') {
      let targetEntity: CompiledEntity | null = null;
      try {
        targetEntity = await args.runtime.getOrThrow(args.workspaceId, target!);
      } catch {
        targetEntity = null;
      }
      const ids = [...new Set(group.map((r) => Number(r.id)))];
      let scope: { sql: string; params: unknown[] } | null = null;
      if (targetEntity && args.targetScope) {
        try {
          scope = await args.targetScope(targetEntity);
        } catch {
          scope = { sql: '1 = 0', params: [] }; // no view on the target: nothing can be linked
        }
      }
      found = targetEntity ? new Set([...(await args.repo.existingIds(args.exec, targetEntity.meta.table, ids, scope))].map(String)) : new Set();
    } else {
      const rows = await args.repo.existingSystemIds(args.exec, kind, args.workspaceId, [...new Set(group.map((r) => String(r.id)))]);
      if (kind === 'files') for (const [id, row] of rows) files.set(id, { id, name: row.name, size: Number(row.size), mime: row.mime });
      found = new Set(rows.keys());
    }
    for (const r of group) {
      if (!found.has(String(r.id))) issues.push({ path: r.path, code: 'not_found', message: `${kindLabel(kind)} ${r.id} does not exist` });
    }
  }
  return { issues, files };
}

const kindLabel = (k: Ref['kind']) => ({ relation: 'Record', users: 'Member', departments: 'Department', files: 'File' })[k];

/** Attachment values in the form reads return ({ id, name, size, mime }), so an unchanged list compares equal on update. */
export function attachFileMetadata(fields: FieldMeta[], values: Record<string, unknown>, files: Map<string, Record<string, unknown>>): void {
  const fix = (f: FieldDefinition, v: unknown): unknown =>
    Array.isArray(v) ? v.map((item) => files.get(typeof item === 'string' ? item : (item as { id: string }).id) ?? item) : v;
  for (const f of fields) {
    if (!(f.key in values)) continue;
    if (f.type === 'attachment') values[f.key] = fix(f, values[f.key]);
    if (f.type === 'subform' && Array.isArray(values[f.key])) {
      for (const row of values[f.key] as Record<string, unknown>[]) {
        for (const c of childFields(f)) if (c.type === 'attachment' && c.key in row) row[c.key] = fix(c, row[c.key]);
      }
    }
  }
}

/** Files held by attachment fields (subform rows included) of one record's values, with the top-level field holding them. */
export function fileIdsOf(fields: FieldMeta[], values: Record<string, unknown>): { fileId: string; fieldKey: string }[] {
  const out = new Map<string, { fileId: string; fieldKey: string }>();
  const take = (v: unknown, fieldKey: string) => {
    if (!Array.isArray(v)) return;
    for (const item of v) {
      const fileId = typeof item === 'string' ? item : String((item as { id?: unknown })?.id ?? '');
      if (fileId) out.set(`${fileId}:${fieldKey}`, { fileId, fieldKey });
    }
  };
  for (const f of fields) {
    if (!(f.key in values)) continue;
    if (f.type === 'attachment') take(values[f.key], f.key);
    if (f.type === 'subform' && Array.isArray(values[f.key])) {
      for (const row of values[f.key] as Record<string, unknown>[])
        for (const c of childFields(f)) if (c.type === 'attachment' && row && c.key in row) take(row[c.key], f.key);
    }
  }
  return [...out.values()];
}
