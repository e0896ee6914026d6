import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import { EntitiesService } from '../entities/entities.service';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { EntityAccess } from '../access/access.service';
import { RecordsQueryService } from '../records/records-query.service';

/** Field types whose text the search looks into (the table's quick search uses the same). */
const SEARCHABLE = new Set(['text', 'textarea', 'email', 'phone', 'url', 'serial']);
const MAX_Q = 100;
const MAX_LIMIT = 20;

export interface SearchHit {
  id: number;
  title: string;
  /** The readable fields whose text matched. */
  matched: string[];
}

export interface SearchGroup {
  entityId: string;
  entityName: string;
  items: SearchHit[];
  /** More hits of this entity: send it back as `cursor` with `entityId`. */
  nextCursor: string | null;
}

export interface SearchQuery {
  q?: unknown;
  limit?: unknown;
  entityId?: unknown;
  cursor?: unknown;
}

/** The fields a member may search in an entity: text-like columns they may read. */
function searchableFields(c: CompiledEntity, acc: EntityAccess): string[] {
  return c.meta.fields.filter((f) => SEARCHABLE.has(f.type) && !!f.physical.column && acc.readable(f.key)).map((f) => f.key);
}

/** The key a hit shows: the display field when readable, else the first readable text field. */
function titleKeyOf(c: CompiledEntity, acc: EntityAccess): string | null {
  const display = c.meta.displayField;
  if (display && acc.readable(display)) return display;
  return c.meta.fields.find((f) => f.type === 'text' && acc.readable(f.key))?.key ?? null;
}

function parseQueryOrThrow(q: SearchQuery): { text: string; limit: number } {
  const text = typeof q.q === 'string' ? q.q.trim() : '';
  if (!text || text.length > MAX_Q)
    throw new AppError('INVALID_REQUEST', `q is the text to search for, 1 to ${MAX_Q} characters`, {
      errors: [{ path: '/q', code: 'invalid_value', message: `1..${MAX_Q} characters` }],
    });
  const raw = q.limit === undefined || q.limit === '' ? '5' : String(q.limit);
  const limit = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new AppError('INVALID_REQUEST', `limit must be a whole number from 1 to ${MAX_LIMIT}`, {
      errors: [{ path: '/limit', code: 'invalid_value', message: `1..${MAX_LIMIT}` }],
    });
  return { text, limit };
}

/**
 * Global search of an app: the text of the fields each member may read, in the records they may
 * view. Each entity is searched through the records read path (its scope SQL and field checks),
 * newest first, `limit` hits per entity; a hit carries only its id, title and which fields matched.
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly entities: EntitiesService,
    private readonly reads: RecordsQueryService,
  ) {}

  async search(ctx: RequestContext, appId: string, q: SearchQuery): Promise<{ groups: SearchGroup[] }> {
    const { text, limit } = parseQueryOrThrow(q);
    const visible = await this.entities.list(ctx, appId); // 404 when the app is out of reach
    const only = q.entityId === undefined || q.entityId === '' ? null : String(q.entityId);
    if (only !== null && !visible.some((e) => e.id === only)) throw notFound('ENTITY_NOT_FOUND', `Entity ${only.slice(0, 40)}`);
    if (q.cursor !== undefined && q.cursor !== '' && only === null) throw new AppError('INVALID_REQUEST', 'cursor needs the entityId it belongs to');
    const groups: SearchGroup[] = [];
    for (const e of visible) {
      if (only !== null && e.id !== only) continue;
      const group = await this.searchEntity(ctx, e.id, text, limit, only ? q.cursor : undefined);
      if (group?.items.length) groups.push(group);
    }
    return { groups };
  }

  private async searchEntity(ctx: RequestContext, entityId: string, text: string, limit: number, cursor: unknown): Promise<SearchGroup | null> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    if (!acc.can('view')) return null;
    const fields = searchableFields(c, acc);
    if (!fields.length) return null;
    const filter = { or: fields.map((key) => ({ contains: [{ var: key }, text] })) };
    const page = await this.reads.list(ctx, entityId, { filter, sort: '-id', limit, cursor });
    const titleKey = titleKeyOf(c, acc);
    const needle = text.toLowerCase();
    const items = page.items.map((r) => {
      const title = titleKey && r[titleKey] !== null && r[titleKey] !== undefined && r[titleKey] !== '' ? String(r[titleKey]) : `#${r.id}`;
      const matched = fields.filter((k) => typeof r[k] === 'string' && (r[k] as string).toLowerCase().includes(needle));
      return { id: r.id, title, matched };
    });
    return { entityId, entityName: c.meta.name, items, nextCursor: page.nextCursor };
  }
}
