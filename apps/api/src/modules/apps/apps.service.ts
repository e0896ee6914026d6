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
  icon: string | null;
  color: string | null;
  position: number;
  createdAt: string;
  updatedAt: string;
  /** Only in the trash. */
  deletedAt?: string;
  /** Whether the caller may change the app's design (workspace admin or admin of this app): the web app shows its admin menus. */
  canDesign: boolean;
}

type Reach = Awaited<ReturnType<AccessService['reach']>>;
const designable = (reach: Reach, id: string) => !reach || reach.adminAppIds.has(id);

const toDto = (r: AppRow, canDesign: boolean): AppDto => ({
  id: r.id,
  key: r.key,
  name: r.name,
  description: r.description,
  icon: r.icon,
  color: r.color,
  position: Number(r.position),
  createdAt: storageToIso(r.created_at)!,
  updatedAt: storageToIso(r.updated_at)!,
  ...(r.deleted_at ? { deletedAt: storageToIso(r.deleted_at)! } : {}),
  canDesign,
});

/** An icon name of the web app's set (kebab-case), and a colour as `#rrggbb`. */
export const APP_ICON_PATTERN = '^[a-z][a-z0-9-]{0,31}$';
export const APP_COLOR_PATTERN = '^#[0-9a-fA-F]{6}$';

function looks(input: InputChecker, key: 'icon' | 'color', pattern: string): string | null | undefined {
  const raw = input.raw(key);
  if (raw === null) return null;
  const value = input.string(key, { max: 32, trim: false });
  if (value !== undefined && !new RegExp(pattern).test(value)) {
    input.issues.push({ path: `/${key}`, code: 'pattern', message: key === 'icon' ? 'icon must be an icon name (a-z, 0-9, -)' : 'color must be #rrggbb' });
  }
  return value;
}

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
    return (await this.repo.list(ctx.actor.workspaceId)).filter((r) => !reach || reach.appIds.has(r.id)).map((r) => toDto(r, designable(reach, r.id)));
  }

  async getOrThrow(ctx: RequestContext, id: string): Promise<AppDto> {
    const row = await this.repo.find(ctx.actor.workspaceId, id);
    const reach = row ? await this.access.reach(ctx) : null;
    if (!row || (reach && !reach.appIds.has(row.id))) throw notFound('APP_NOT_FOUND', `App ${id}`);
    return toDto(row, designable(reach, row.id));
  }

  async create(ctx: RequestContext, body: unknown): Promise<AppDto> {
    this.access.requireWorkspaceAdminOrThrow(ctx);
    const input = new InputChecker(body).only(['key', 'name', 'description', 'icon', 'color']);
    const key = input.string('key', { required: true, trim: false });
    const name = input.string('name', { required: true, max: 200 });
    const description = input.string('description', { max: 2000 }) ?? null;
    const icon = looks(input, 'icon', APP_ICON_PATTERN) ?? null;
    const color = looks(input, 'color', APP_COLOR_PATTERN) ?? null;
    input.doneOrThrow();
    validateKeyOrThrow({ kind: 'app', key: key! });
    if (await this.repo.findByKey(ctx.actor.workspaceId, key!)) throw new AppError('DUPLICATE_KEY', `An app with key "${key}" already exists`, { key });
    const now = nowStorage();
    const row: AppRow = {
      id: newId(),
      workspace_id: ctx.actor.workspaceId,
      key: key!,
      name: name!,
      description,
      icon,
      color,
      position: 0,
      created_at: now,
      updated_at: now,
    };
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
    return toDto(row, true);
  }

  async update(ctx: RequestContext, id: string, body: unknown): Promise<AppDto> {
    const before = await this.getOrThrow(ctx, id);
    await this.access.requireAppAdminOrThrow(ctx, id);
    const input = new InputChecker(body).only(['name', 'description', 'icon', 'color']);
    const name = input.string('name', { max: 200, min: 1 });
    const description = input.string('description', { max: 2000 });
    const icon = looks(input, 'icon', APP_ICON_PATTERN);
    const color = looks(input, 'color', APP_COLOR_PATTERN);
    input.doneOrThrow();
    await this.repo.update(ctx.actor.workspaceId, id, { name, description, icon, color }, nowStorage());
    const after = await this.getOrThrow(ctx, id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of ['name', 'description', 'icon', 'color'] as const) if (before[k] !== after[k]) changes[k] = { from: before[k], to: after[k] };
    await this.audit.write(ctx, { action: 'app.update', targetType: 'app', targetId: id, changes });
    return after;
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.getOrThrow(ctx, id);
    this.access.requireWorkspaceAdminOrThrow(ctx);
    await this.repo.softDelete(ctx.actor.workspaceId, id, nowStorage());
    await this.audit.write(ctx, { action: 'app.delete', targetType: 'app', targetId: id });
  }

  /** PUT /api/apps/order `{ appIds }`: the workspace home's order; every live app exactly once. */
  async reorder(ctx: RequestContext, body: unknown): Promise<AppDto[]> {
    this.access.requireWorkspaceAdminOrThrow(ctx);
    const input = new InputChecker(body).only(['appIds']);
    const ids = input.raw('appIds');
    const live = (await this.repo.list(ctx.actor.workspaceId)).map((r) => r.id);
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) {
      input.issues.push({ path: '/appIds', code: 'invalid_type', message: 'appIds must be an array of app ids' });
    } else {
      const unknown = ids.filter((x) => !live.includes(x));
      const missing = live.filter((x) => !ids.includes(x));
      if (unknown.length || missing.length || new Set(ids).size !== ids.length) {
        const parts = [unknown.length ? `unknown: ${unknown.join(', ')}` : '', missing.length ? `missing: ${missing.join(', ')}` : ''].filter(Boolean);
        input.issues.push({ path: '/appIds', code: 'not_a_permutation', message: `appIds must list every app once (${parts.join('; ') || 'duplicates'})` });
      }
    }
    input.doneOrThrow();
    await this.repo.setOrder(ctx.actor.workspaceId, ids as string[]);
    await this.audit.write(ctx, {
      action: 'app.reorder',
      targetType: 'workspace',
      targetId: ctx.actor.workspaceId,
      changes: { order: { from: live, to: ids } },
    });
    return this.list(ctx);
  }

  /** The trash (workspace admins): deleted apps, restorable. */
  async trash(ctx: RequestContext): Promise<AppDto[]> {
    this.access.requireWorkspaceAdminOrThrow(ctx);
    return (await this.repo.listDeleted(ctx.actor.workspaceId)).map((r) => toDto(r, true));
  }

  async restore(ctx: RequestContext, id: string): Promise<AppDto> {
    this.access.requireWorkspaceAdminOrThrow(ctx);
    if (!(await this.repo.findDeleted(ctx.actor.workspaceId, id))) throw notFound('APP_NOT_FOUND', `No app ${id} in the trash`);
    await this.repo.restore(ctx.actor.workspaceId, id);
    await this.audit.write(ctx, { action: 'app.restore', targetType: 'app', targetId: id });
    return this.getOrThrow(ctx, id);
  }

  /** An app in the trash (workspace admins), for purging it. */
  async deletedOrThrow(ctx: RequestContext, id: string): Promise<AppDto> {
    this.access.requireWorkspaceAdminOrThrow(ctx);
    const row = await this.repo.findDeleted(ctx.actor.workspaceId, id);
    if (!row) throw notFound('APP_NOT_FOUND', `No app ${id} in the trash`);
    return toDto(row, true);
  }

  /** Removes the app's row once its entities are purged (AppPurgeService, above this module, does that). */
  async forgetDeleted(ctx: RequestContext, app: AppDto): Promise<void> {
    await this.repo.purge(ctx.actor.workspaceId, app.id);
    await this.audit.write(ctx, {
      action: 'app.purge',
      targetType: 'app',
      targetId: app.id,
      changes: { key: { from: app.key, to: null }, name: { from: app.name, to: null } },
    });
  }

  /** The app's navigation as stored (JSON, or null); NavigationService shapes it. */
  async storedNavigation(ctx: RequestContext, id: string): Promise<string | null> {
    await this.getOrThrow(ctx, id);
    return this.repo.navigation(ctx.actor.workspaceId, id);
  }

  async storeNavigation(ctx: RequestContext, id: string, navigation: string, now: string): Promise<void> {
    await this.repo.setNavigation(ctx.actor.workspaceId, id, navigation, now);
  }
}
