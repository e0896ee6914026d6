import { validateKeyOrThrow } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { type AppRow, AppsRepository } from './apps.repository';

export interface AppDto {
  id: string;
  key: string;
  name: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

const toDto = (r: AppRow): AppDto => ({
  id: r.id,
  key: r.key,
  name: r.name,
  description: r.description,
  createdAt: storageToIso(r.created_at)!,
  updatedAt: storageToIso(r.updated_at)!,
});

@Injectable()
export class AppsService {
  constructor(
    private readonly repo: AppsRepository,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** Admins see every app; members the apps where they can open an entity or that they administer. */
  async list(ctx: RequestContext): Promise<AppDto[]> {
    const reach = await this.access.reach(ctx);
    return (await this.repo.list(ctx.actor.workspaceId)).filter((r) => !reach || reach.appIds.has(r.id)).map(toDto);
  }

  async getOrThrow(ctx: RequestContext, id: string): Promise<AppDto> {
    const row = await this.repo.find(ctx.actor.workspaceId, id);
    const reach = row ? await this.access.reach(ctx) : null;
    if (!row || (reach && !reach.appIds.has(row.id))) throw notFound('APP_NOT_FOUND', `App ${id}`);
    return toDto(row);
  }

  async create(ctx: RequestContext, body: unknown): Promise<AppDto> {
    this.access.requireWorkspaceAdminOrThrow(ctx);
    const input = new InputChecker(body).only(['key', 'name', 'description']);
    const key = input.string('key', { required: true, trim: false });
    const name = input.string('name', { required: true, max: 200 });
    const description = input.string('description', { max: 2000 }) ?? null;
    input.doneOrThrow();
    validateKeyOrThrow({ kind: 'app', key: key! });
    if (await this.repo.findByKey(ctx.actor.workspaceId, key!)) throw new AppError('DUPLICATE_KEY', `An app with key "${key}" already exists`, { key });
    const now = nowStorage();
    const row: AppRow = { id: newId(), workspace_id: ctx.actor.workspaceId, key: key!, name: name!, description, created_at: now, updated_at: now };
    try {
      await this.repo.insert(row);
    } catch (err) {
      if (await this.repo.findByKey(ctx.actor.workspaceId, key!)) throw new AppError('DUPLICATE_KEY', `An app with key "${key}" already exists`, { key });
      throw err;
    }
    await this.audit.write(ctx, {
      action: 'app.create',
      targetType: 'app',
      targetId: row.id,
      changes: { key: { from: null, to: row.key }, name: { from: null, to: row.name } },
    });
    return toDto(row);
  }

  async update(ctx: RequestContext, id: string, body: unknown): Promise<AppDto> {
    const before = await this.getOrThrow(ctx, id);
    await this.access.requireAppAdminOrThrow(ctx, id);
    const input = new InputChecker(body).only(['name', 'description']);
    const name = input.string('name', { max: 200, min: 1 });
    const description = input.string('description', { max: 2000 });
    input.doneOrThrow();
    await this.repo.update(ctx.actor.workspaceId, id, { name, description }, nowStorage());
    const after = await this.getOrThrow(ctx, id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of ['name', 'description'] as const) if (before[k] !== after[k]) changes[k] = { from: before[k], to: after[k] };
    await this.audit.write(ctx, { action: 'app.update', targetType: 'app', targetId: id, changes });
    return after;
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.getOrThrow(ctx, id);
    this.access.requireWorkspaceAdminOrThrow(ctx);
    await this.repo.softDelete(ctx.actor.workspaceId, id, nowStorage());
    await this.audit.write(ctx, { action: 'app.delete', targetType: 'app', targetId: id });
  }
}
