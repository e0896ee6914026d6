import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { AuditService } from '../audit/audit.service';
import { RecordsQueryService } from '../records/records-query.service';
import { checkViewConfig, VIEW_KINDS, type ViewConfig, type ViewKind } from './view-config';
import { type ViewRow, ViewsRepository } from './views.repository';

export interface ViewDto {
  id: string;
  entityId: string;
  name: string;
  kind: ViewKind;
  /** Shared with every member who can see the entity (made by an admin); otherwise the creator's own. */
  shared: boolean;
  ownerId: string | null;
  position: number;
  config: ViewConfig;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

const toDto = (r: ViewRow): ViewDto => ({
  id: r.id,
  entityId: r.entity_id,
  name: r.name,
  kind: r.kind as ViewKind,
  shared: r.owner_id === null,
  ownerId: r.owner_id,
  position: Number(r.position),
  config: JSON.parse(r.config) as ViewConfig,
  createdBy: r.created_by,
  createdAt: storageToIso(r.created_at)!,
  updatedAt: storageToIso(r.updated_at)!,
});

/**
 * Saved views: any member who can see an entity keeps their own; workspace and app admins also
 * share views with everyone who can see the entity. A view only remembers how to show records;
 * what it shows is still decided by the member's permissions on every read.
 */
@Injectable()
export class ViewsService {
  constructor(
    private readonly repo: ViewsRepository,
    private readonly reads: RecordsQueryService,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext, entityId: string): Promise<{ items: ViewDto[] }> {
    await this.reads.entityAccess(ctx, entityId);
    return { items: (await this.repo.listVisible(ctx.actor.workspaceId, entityId, ctx.actor.userId)).map(toDto) };
  }

  async create(ctx: RequestContext, entityId: string, body: unknown): Promise<ViewDto> {
    const { acc } = await this.reads.entityAccess(ctx, entityId);
    const input = new InputChecker(body).only(['name', 'kind', 'config', 'shared', 'position']);
    const name = input.string('name', { required: true, max: 200 });
    const kind = input.raw('kind') ?? 'table';
    if (!VIEW_KINDS.includes(kind as ViewKind)) input.issues.push({ path: '/kind', code: 'invalid_value', message: `kind is one of ${VIEW_KINDS.join(', ')}` });
    const config = checkViewConfig(input.raw('config'), kind as ViewKind, input.issues);
    const shared = input.boolean('shared') ?? false;
    const position = positionOf(input);
    input.doneOrThrow();
    if (shared && !acc.isAdmin) throw new AppError('FORBIDDEN', 'Only workspace and app admins share views', { action: 'share' });
    const now = nowStorage();
    const row: ViewRow = {
      id: newId(),
      workspace_id: ctx.actor.workspaceId,
      entity_id: entityId,
      owner_id: shared ? null : ctx.actor.userId,
      name: name!,
      kind: kind as ViewKind,
      config: JSON.stringify(config),
      position: position ?? 0,
      created_by: ctx.actor.userId,
      created_at: now,
      updated_at: now,
    };
    await this.repo.insert(row);
    await this.audit.write(ctx, { action: 'view.create', targetType: 'view', targetId: row.id, entityId, changes: { name: { from: null, to: row.name } } });
    return toDto(row);
  }

  async update(ctx: RequestContext, id: string, body: unknown): Promise<ViewDto> {
    const row = await this.changeableOrThrow(ctx, id);
    const { acc } = await this.reads.entityAccess(ctx, row.entity_id);
    const input = new InputChecker(body).only(['name', 'config', 'shared', 'position']);
    const name = input.string('name', { max: 200, min: 1 });
    const config = input.raw('config') === undefined ? undefined : checkViewConfig(input.raw('config'), row.kind as ViewKind, input.issues);
    const shared = input.boolean('shared');
    const position = positionOf(input);
    input.doneOrThrow();
    if (shared !== undefined && shared !== (row.owner_id === null) && !acc.isAdmin)
      throw new AppError('FORBIDDEN', 'Only workspace and app admins share views', { action: 'share' });
    const next = {
      name: name ?? row.name,
      config: config === undefined ? row.config : JSON.stringify(config),
      owner_id: shared === undefined ? row.owner_id : shared ? null : (row.owner_id ?? ctx.actor.userId),
      position: position ?? Number(row.position),
    };
    const now = nowStorage();
    await this.repo.update(ctx.actor.workspaceId, id, next, now);
    await this.audit.write(ctx, { action: 'view.update', targetType: 'view', targetId: id, entityId: row.entity_id });
    return toDto({ ...row, ...next, updated_at: now });
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    const row = await this.changeableOrThrow(ctx, id);
    await this.repo.remove(ctx.actor.workspaceId, id);
    await this.audit.write(ctx, {
      action: 'view.delete',
      targetType: 'view',
      targetId: id,
      entityId: row.entity_id,
      changes: { name: { from: row.name, to: null } },
    });
  }

  /** The member's own view, or a shared one when they are an admin of its entity; anything else is not found (or 403 for a shared view they can see). */
  private async changeableOrThrow(ctx: RequestContext, id: string): Promise<ViewRow> {
    const row = await this.repo.find(ctx.actor.workspaceId, id);
    if (!row || (row.owner_id !== null && row.owner_id !== ctx.actor.userId)) throw notFound('VIEW_NOT_FOUND', `View ${id.slice(0, 40)}`);
    const { acc } = await this.reads.entityAccess(ctx, row.entity_id).catch(() => {
      throw notFound('VIEW_NOT_FOUND', `View ${id.slice(0, 40)}`);
    });
    if (row.owner_id === null && !acc.isAdmin) throw new AppError('FORBIDDEN', 'Only workspace and app admins change shared views', { action: 'share' });
    return row;
  }
}

function positionOf(input: InputChecker): number | undefined {
  const p = input.raw('position');
  if (p === undefined) return undefined;
  if (!Number.isInteger(p) || (p as number) < 0 || (p as number) > 10_000) {
    input.issues.push({ path: '/position', code: 'invalid_value', message: 'position is a whole number from 0 to 10000' });
    return undefined;
  }
  return p as number;
}
