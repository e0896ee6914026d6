import { childFieldsOf, type FieldDefinition, getFieldTypeOrThrow, type Issue, mayReference, type ReferenceKind, referenceOf } from '@crm/schema';
import type { Executor } from '../../database/db';
import { type SqlFragment, scopeSql } from '../access/access.repository';
import type { CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import type { FieldMeta } from '../entities/entity-meta';
import type { RecordsRepository } from './records.repository';

/** One id a record's values refer to, with its path in the request body. */
export interface Ref {
  path: string;
  kind: ReferenceKind;
  /** relation: the target entity. */
  target?: string;
  id: string | number;
  /** file: the MIME patterns the field accepts (absent: any file). */
  fileTypes?: readonly string[];
}

function refsOfValue(field: FieldDefinition, value: unknown, path: string, out: Ref[]): void {
  if (value === null || value === undefined) return;
  const kind = referenceOf(field);
  if (kind) {
    const list = Array.isArray(value) ? value : [value];
    const fileTypes = kind === 'file' ? getFieldTypeOrThrow(field.type).fileTypes?.(field.settings) : undefined;
    list.forEach((v, i) => {
      const id = kind === 'file' && v && typeof v === 'object' ? (v as { id: string }).id : (v as string | number);
      out.push({
        path: Array.isArray(value) ? `${path}/${i}` : path,
        kind,
        target: kind === 'record' ? String(field.settings.targetEntityId) : undefined,
        id,
        ...(fileTypes?.length ? { fileTypes } : {}),
      });
    });
    return;
  }
  const children = childFieldsOf(field);
  if (!children.length || !Array.isArray(value)) return;
  value.forEach((row, i) => {
    if (!row || typeof row !== 'object') return;
    for (const child of children) refsOfValue(child, (row as Record<string, unknown>)[child.key], `${path}/${i}/${child.key}`, out);
  });
}

/** Every id the values refer to (records, members, departments, files), subform rows included. */
export function collectRefs(fields: readonly FieldMeta[], inputs: { values: Record<string, unknown>; pathPrefix: string }[], only?: ReferenceKind): Ref[] {
  const refs: Ref[] = [];
  const referring = fields.filter(mayReference);
  for (const input of inputs) for (const f of referring) if (f.key in input.values) refsOfValue(f, input.values[f.key], `${input.pathPrefix}/${f.key}`, refs);
  return only ? refs.filter((r) => r.kind === only) : refs;
}

/**
 * Checks that every referenced record, member and department exists in this workspace, with one
 * query per kind and target (never one per value). Files are the files module's (it registers
 * its own check into the references stage).
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
  targetScope?: (target: CompiledEntity) => Promise<SqlFragment | null>;
}): Promise<Issue[]> {
  const refs = collectRefs(args.fields, args.inputs).filter((r) => r.kind !== 'file');
  const issues: Issue[] = [];
  if (!refs.length) return issues;
  const groups = new Map<string, Ref[]>();
  for (const r of refs) {
    const k = `${r.kind}:${r.target ?? ''}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const [, group] of groups) {
    const { kind, target } = group[0];
    let found: Set<string>;
    if (kind === 'record') {
      let targetEntity: CompiledEntity | null = null;
      try {
        targetEntity = await args.runtime.getOrThrow(args.workspaceId, target!);
      } catch {
        targetEntity = null;
      }
      const ids = [...new Set(group.map((r) => Number(r.id)))];
      let scope: SqlFragment | null = null;
      if (targetEntity && args.targetScope) {
        try {
          scope = await args.targetScope(targetEntity);
        } catch {
          scope = scopeSql.anyOf([]); // no view on the target: nothing can be linked
        }
      }
      found = targetEntity ? new Set([...(await args.repo.existingIds(args.exec, targetEntity.meta.table, ids, scope))].map(String)) : new Set();
    } else {
      const table = kind === 'member' ? 'users' : 'departments';
      found = new Set((await args.repo.existingSystemIds(args.exec, table, args.workspaceId, [...new Set(group.map((r) => String(r.id)))])).keys());
    }
    for (const r of group) {
      if (!found.has(String(r.id))) issues.push({ path: r.path, code: 'not_found', message: `${kindLabel(kind)} ${r.id} does not exist` });
    }
  }
  return issues;
}

export const kindLabel = (k: ReferenceKind) => ({ record: 'Record', member: 'Member', department: 'Department', file: 'File' })[k];
