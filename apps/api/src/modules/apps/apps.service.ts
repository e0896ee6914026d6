import { validateKeyOrThrow } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { type AppRow, AppsRepository } from './apps.repository';

export interface AppDto {
  id: string;
  key: string;
  name: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

const toDto = (r: AppRow): AppDto => ({ id: r.id, key: r.key, name: r.name, description: r.description, createdAt: storageToIso(r.created_at)!, updatedAt: storageToIso(r.updated_at)! });

@Injectable()
export class AppsService {
  constructor(private readonly repo: AppsRepository) {}

  async list(ctx: RequestContext): Promise<AppDto[]> {
    return (await this.repo.list(ctx.actor.workspaceId)).map(toDto);
  }

  async getOrThrow(ctx: RequestContext, id: string): Promise<AppDto> {
    const row = await this.repo.find(ctx.actor.workspaceId, id);
    if (!row) throw notFound('APP_NOT_FOUND', `App ${id}`);
    return toDto(row);
  }

  async create(ctx: RequestContext, body: unknown): Promise<AppDto> {
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
    return toDto(row);
  }

  async update(ctx: RequestContext, id: string, body: unknown): Promise<AppDto> {
    await this.getOrThrow(ctx, id);
    const input = new InputChecker(body).only(['name', 'description']);
    const name = input.string('name', { max: 200, min: 1 });
    const description = input.string('description', { max: 2000 });
    input.doneOrThrow();
    await this.repo.update(ctx.actor.workspaceId, id, { name, description }, nowStorage());
    return this.getOrThrow(ctx, id);
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.getOrThrow(ctx, id);
    await this.repo.softDelete(ctx.actor.workspaceId, id, nowStorage());
  }
}
