import type { FilterField, ResolveField } from '@crm/rules';
import {
  buildRecordSchema,
  compileBlanksToNull,
  compileRecordSchema,
  createAjv,
  type FieldTypeDefinition,
  getFieldTypeOrThrow,
  type JsonSchema,
} from '@crm/schema';
import { Injectable } from '@nestjs/common';
import type { ValidateFunction } from 'ajv';
import { BoundedCache } from '../../common/bounded-cache';
import { notFound } from '../../common/errors';
import type { Executor } from '../../database/db';
import type { SqlFragment } from '../access/access.repository';
import type { EntityMeta, FieldMeta } from './entity-meta';
import { MetadataRepository } from './metadata.repository';

/** Everything derived from one metadata version of an entity, compiled once and cached. */
export interface CompiledEntity {
  meta: EntityMeta;
  byKey: Map<string, FieldMeta>;
  createSchema: JsonSchema;
  validateCreate: ValidateFunction;
  validateUpdate: ValidateFunction;
  /** '' of any field becomes null, in place (for a body the write owns; see RecordsService.validateOrThrow). */
  blanksToNull: (body: Record<string, unknown>) => Record<string, unknown>;
  resolveField: ResolveField;
}

const DATE_OPS = ['==', '!=', '<', '<=', '>', '>=', 'between', 'date_range', 'is_empty', 'is_not_empty'] as const;
const isoToStorage = (v: unknown) => (typeof v === 'string' ? new Date(v).toISOString().replace('T', ' ').replace('Z', '') : v);

const SYSTEM_FILTER_FIELDS: Record<string, FilterField> = {
  id: { key: 'id', type: 'number', valueKind: 'id', operators: ['==', '!=', '<', '<=', '>', '>=', 'in', 'between'], column: 'r.id', sortable: true },
  createdAt: { key: 'createdAt', type: 'datetime', valueKind: 'datetime', operators: DATE_OPS, column: 'r.created_at', sortable: true, toDb: isoToStorage },
  updatedAt: { key: 'updatedAt', type: 'datetime', valueKind: 'datetime', operators: DATE_OPS, column: 'r.updated_at', sortable: true, toDb: isoToStorage },
  createdBy: {
    key: 'createdBy',
    type: 'member',
    valueKind: 'string',
    operators: ['==', '!=', 'in', 'is_empty', 'is_not_empty'],
    column: 'r.created_by',
    sortable: false,
  },
  updatedBy: {
    key: 'updatedBy',
    type: 'member',
    valueKind: 'string',
    operators: ['==', '!=', 'in', 'is_empty', 'is_not_empty'],
    column: 'r.updated_by',
    sortable: false,
  },
  ownerId: {
    key: 'ownerId',
    type: 'member',
    valueKind: 'string',
    operators: ['==', '!=', 'in', 'is_empty', 'is_not_empty'],
    column: 'r.owner_id',
    sortable: false,
  },
};

/** The filter view of one field (exported for the condition property test). */
export function filterFieldOf(f: FieldMeta): FilterField | undefined {
  const type = getFieldTypeOrThrow(f.type) as FieldTypeDefinition<Record<string, unknown>>;
  const storage = type.storage(f.settings);
  const base = { key: f.key, type: f.type, valueKind: type.valueKind(f.settings), operators: type.operatorsFor(f.settings), sortable: type.sortable };
  if (storage.kind === 'link-table')
    return { ...base, column: 'r.id', link: { table: f.physical.table!, recordColumn: 'record_id', targetColumn: 'target_id' } };
  if (storage.kind !== 'column' || !f.physical.column) return undefined;
  const scalar = ['decimal', 'boolean', 'datetime'].includes(storage.column.kind);
  return { ...base, column: `r.${f.physical.column}`, ...(scalar ? { toDb: (v: unknown) => type.toDb(v, f.settings) } : {}) };
}

/**
 * Serves compiled entities by (id, version). Each request pays one indexed lookup of the
 * version (a list embeds it in its own statement: `peek` + `versionProbe`); when another node
 * changes the schema the version moves and we recompile.
 */
@Injectable()
export class EntityRuntime {
  /** How many times validators were compiled (tests assert none happen per request). */
  static compiles = 0;
  private readonly cache = new BoundedCache<string, CompiledEntity>(500);

  constructor(private readonly repo: MetadataRepository) {}

  /**
   * The compiled entity last served, without checking its version: for a read that checks it
   * in its own statement (`versionProbe`) and falls back to `getOrThrow` when it moved.
   */
  peek(workspaceId: string, entityId: string): CompiledEntity | null {
    const hit = this.cache.get(entityId);
    return hit && hit.meta.workspaceId === workspaceId ? hit : null;
  }

  /** Whether `c` is still the entity's current version (one indexed lookup). */
  async isCurrent(c: CompiledEntity): Promise<boolean> {
    return (await this.repo.entityVersion(c.meta.workspaceId, c.meta.id)) === c.meta.version;
  }

  /** The version of the entity as a subquery to embed in a statement (see MetadataRepository.versionProbe). */
  versionProbe(c: CompiledEntity): SqlFragment {
    return this.repo.versionProbe(c.meta.workspaceId, c.meta.id);
  }

  /**
   * The compiled entity when its current version was read by the caller in a statement of its
   * own (a workflow instance read carries it): a cached compile of that version answers without
   * a look-up; null means the entity is gone; anything else asks as `getOrThrow` does.
   */
  async atVersionOrThrow(workspaceId: string, entityId: string, version: number | null | undefined): Promise<CompiledEntity> {
    if (version === null) throw notFound('ENTITY_NOT_FOUND', `Entity ${entityId}`);
    const hit = version === undefined ? undefined : this.cache.get(entityId);
    if (hit && hit.meta.version === version && hit.meta.workspaceId === workspaceId) return hit;
    return this.getOrThrow(workspaceId, entityId);
  }

  /** `exec`: read the metadata in this transaction (needed inside one on SQLite). */
  async getOrThrow(workspaceId: string, entityId: string, exec?: Executor): Promise<CompiledEntity> {
    const version = await this.repo.entityVersion(workspaceId, entityId, exec);
    if (version === null) throw notFound('ENTITY_NOT_FOUND', `Entity ${entityId}`);
    const hit = this.cache.get(entityId);
    if (hit && hit.meta.version === version && hit.meta.workspaceId === workspaceId) return hit;
    const meta = await this.repo.loadEntity(workspaceId, entityId, exec);
    if (!meta) throw notFound('ENTITY_NOT_FOUND', `Entity ${entityId}`);
    const compiled = compile(meta);
    this.cache.set(entityId, compiled);
    return compiled;
  }
}

function compile(meta: EntityMeta): CompiledEntity {
  EntityRuntime.compiles++;
  const ajv = createAjv();
  const createSchema = buildRecordSchema({ fields: meta.fields, mode: 'create' });
  const updateSchema = buildRecordSchema({ fields: meta.fields, mode: 'update' });
  const byKey = new Map(meta.fields.map((f) => [f.key, f]));
  const filterFields = new Map<string, FilterField>();
  for (const f of meta.fields) {
    const ff = filterFieldOf(f);
    if (ff) filterFields.set(f.key, ff);
  }
  return {
    meta,
    byKey,
    createSchema,
    validateCreate: compileRecordSchema(ajv, createSchema),
    validateUpdate: compileRecordSchema(ajv, updateSchema),
    blanksToNull: compileBlanksToNull(meta.fields.map((f) => f.key)),
    resolveField: (key) => (Object.prototype.hasOwnProperty.call(SYSTEM_FILTER_FIELDS, key) ? SYSTEM_FILTER_FIELDS[key] : filterFields.get(key)),
  };
}
