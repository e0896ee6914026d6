import { substituteFormValues } from '@crm/rules';
import { childFieldsOf } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import { Db } from '../../database/db';
import { AccessService } from '../access/access.service';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import type { FieldMeta } from '../entities/entity-meta';
import { parseFilterOrThrow, RecordsQueryService } from '../records/records-query.service';

export interface PickerQuery {
  q?: unknown;
  limit?: unknown;
  cursor?: unknown;
  values?: unknown;
  row?: unknown;
}

export interface PickerItem {
  id: number;
  /** The target's display field as text, or `#<id>` when it is empty or hidden from the member. */
  label: string;
  /** The display field and the relation's `displayFields`, those the member may read. */
  fields: Record<string, unknown>;
}

const MAX_PICKER_LIMIT = 50;
const MAX_VALUES_LENGTH = 20_000;

function formValuesOrThrow(raw: unknown, name: string): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let v = raw;
  if (typeof raw === 'string') {
    if (raw.length > MAX_VALUES_LENGTH) throw new AppError('INVALID_REQUEST', `${name} is longer than ${MAX_VALUES_LENGTH} characters`);
    try {
      v = JSON.parse(raw);
    } catch {
      throw new AppError('INVALID_REQUEST', `${name} must be a JSON object of the form's current values`);
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new AppError('INVALID_REQUEST', `${name} must be a JSON object of the form's current values`);
  return v as Record<string, unknown>;
}

/**
 * Relation pickers and related lists (关联查询). Both read the other entity through the
 * records list, so its permissions apply exactly as in a list: row scope, readable fields,
 * filters only on fields the member can see, keyset paging.
 */
@Injectable()
export class RelationsService {
  constructor(
    private readonly runtime: EntityRuntime,
    private readonly access: AccessService,
    private readonly reads: RecordsQueryService,
    private readonly db: Db,
  ) {}

  /**
   * Records a relation field may point at: contains-search on the target's display field,
   * the field's `filter` with `$form.<key>` / `$row.<key>` replaced by the current values,
   * within the member's view scope of the target.
   */
  async options(ctx: RequestContext, entityId: string, key: string, query: PickerQuery): Promise<{ items: PickerItem[]; nextCursor: string | null }> {
    const c = await this.runtime.getOrThrow(ctx.actor.workspaceId, entityId);
    const acc = await this.access.forVisibleEntityOrThrow(ctx, c);
    if (!acc.can('create') && !acc.can('edit')) acc.requireOrThrow('create');
    const field = this.relationFieldOrThrow(c, key);
    const target = await this.runtime.getOrThrow(ctx.actor.workspaceId, String(field.settings.targetEntityId));
    const tacc = await this.access.forEntity(ctx, target);
    if (!tacc.can('view'))
      throw new AppError('FORBIDDEN', `You may not view records of ${target.meta.name}, so "${key}" offers nothing to pick`, { field: key });
    const display = target.meta.displayField && target.byKey.has(target.meta.displayField) ? target.meta.displayField : null;
    const terms: unknown[] = [];
    const settingsFilter = field.settings.filter;
    if (settingsFilter)
      terms.push(
        substituteFormValues({ condition: settingsFilter, form: formValuesOrThrow(query.values, 'values'), row: formValuesOrThrow(query.row, 'row') }),
      );
    const q = typeof query.q === 'string' ? query.q.trim().slice(0, 200) : '';
    if (q) {
      if (!display) throw new AppError('INVALID_REQUEST', `${target.meta.name} has no display field to search`);
      terms.push({ contains: [{ var: display }, q] });
    }
    const limit = query.limit === undefined || query.limit === '' ? 20 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PICKER_LIMIT)
      throw new AppError('INVALID_REQUEST', `limit must be a whole number from 1 to ${MAX_PICKER_LIMIT}`);
    const sortable = display && target.resolveField(display)?.sortable && tacc.readable(display);
    const page = await this.reads.list(ctx, target.meta.id, {
      filter: terms.length ? (terms.length === 1 ? terms[0] : { and: terms }) : undefined,
      sort: sortable ? display! : undefined,
      limit,
      cursor: query.cursor,
    });
    const shown = [...new Set([...(display ? [display] : []), ...((field.settings.displayFields as string[] | undefined) ?? [])])].filter(
      (k) => target.byKey.has(k) && tacc.readable(k),
    );
    return {
      items: page.items.map((rec) => {
        const fields: Record<string, unknown> = {};
        for (const k of shown) fields[k] = rec[k] ?? null;
        const label =
          display && shown.includes(display) && rec[display] !== null && rec[display] !== undefined && rec[display] !== ''
            ? String(rec[display])
            : `#${rec.id}`;
        return { id: rec.id, label, fields };
      }),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Records of `sourceEntityId` whose relation `field` points at this record, paged like a
   * list, with the source's permissions. The record itself must be in the member's view scope.
   */
  async related(
    ctx: RequestContext,
    entityId: string,
    recordId: number,
    query: { entityId?: unknown; field?: unknown; limit?: unknown; cursor?: unknown; sort?: unknown; filter?: unknown },
  ) {
    const { acc } = await this.reads.entityAccess(ctx, entityId);
    if (typeof query.entityId !== 'string' || !query.entityId || typeof query.field !== 'string' || !query.field) {
      throw new AppError('INVALID_REQUEST', 'Send entityId (the entity that points here) and field (its relation field)');
    }
    await this.reads.assertInScopeOrThrow(this.db, acc, 'view', recordId);
    const source = await this.runtime.getOrThrow(ctx.actor.workspaceId, query.entityId);
    const f = source.byKey.get(query.field);
    if (!f || f.type !== 'relation' || f.settings.targetEntityId !== entityId) {
      throw new AppError('INVALID_REQUEST', `"${query.field.slice(0, 48)}" is not a relation of ${source.meta.name} to this entity`, {
        field: query.field.slice(0, 48),
      });
    }
    const pointsHere = f.settings.multiple ? { contains: [{ var: f.key }, recordId] } : { '==': [{ var: f.key }, recordId] };
    const extra = parseFilterOrThrow(query.filter);
    return this.reads.list(ctx, source.meta.id, {
      filter: extra ? { and: [pointsHere, extra] } : pointsHere,
      sort: query.sort,
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  /** `key`, or `subform.child` for a relation inside subform rows. */
  private relationFieldOrThrow(c: CompiledEntity, key: string): FieldMeta {
    const [top, child] = key.split('.', 2);
    const f = c.byKey.get(top);
    const field = f && child !== undefined ? (childFieldsOf(f).find((x) => x.key === child) as FieldMeta | undefined) : f;
    if (!field) throw notFound('FIELD_NOT_FOUND', `Field "${key.slice(0, 100)}"`);
    if (field.type !== 'relation') throw new AppError('INVALID_REQUEST', `Field "${key}" is not a relation`, { field: key });
    return field;
  }
}
