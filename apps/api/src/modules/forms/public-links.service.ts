import { createHash, randomBytes } from 'node:crypto';
import { childFieldsOf, getFieldTypeOrThrow, PUBLIC_FILLABLE_TYPES } from '@crm/schema';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { AuditService } from '../audit/audit.service';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { FormsRepository, type PublicLinkRow } from './forms.repository';
import { FormsService } from './forms.service';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface PublicLinkDto {
  id: string;
  entityId: string;
  exposedFields: string[];
  ownerId: string | null;
  enabled: boolean;
  createdAt: string;
  rotatedAt: string | null;
  updatedAt: string;
}

function linkDto(r: PublicLinkRow): PublicLinkDto {
  return {
    id: r.id,
    entityId: r.entity_id,
    exposedFields: JSON.parse(r.exposed_fields) as string[],
    ownerId: r.owner_id,
    enabled: !!Number(r.enabled),
    createdAt: storageToIso(r.created_at)!,
    rotatedAt: storageToIso(r.rotated_at),
    updatedAt: storageToIso(r.updated_at)!,
  };
}

/** Public fill-in links (外链) of an entity's form, the admin side: create, rotate, expose fields, set the owner. */
@Injectable()
export class PublicLinksService {
  constructor(
    private readonly repo: FormsRepository,
    private readonly forms: FormsService,
    private readonly entities: EntityRuntime,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async getLink(ctx: RequestContext, entityId: string): Promise<PublicLinkDto> {
    await this.forms.designerOrThrow(ctx, entityId);
    const row = await this.repo.linkOfEntity(ctx.actor.workspaceId, entityId);
    if (!row) throw notFound('PUBLIC_LINK_NOT_FOUND', 'This form has no public link');
    return linkDto(row);
  }

  /** Creates the form's public link; the token is shown in this answer only (stored hashed). */
  async createLink(ctx: RequestContext, entityId: string, body: unknown): Promise<PublicLinkDto & { token: string; url: string }> {
    const c = await this.forms.designerOrThrow(ctx, entityId);
    const input = new InputChecker(body ?? {}).only(['exposedFields', 'ownerId', 'enabled']);
    const enabled = input.boolean('enabled') ?? true;
    input.doneOrThrow();
    const exposed = this.exposedOrThrow(c, input.raw('exposedFields'), true)!;
    const ownerId = await this.ownerOrThrow(ctx, input.raw('ownerId'));
    if (await this.repo.linkOfEntity(ctx.actor.workspaceId, entityId))
      throw new AppError('PUBLIC_LINK_EXISTS', 'This form already has a public link: rotate it for a new token');
    const token = randomBytes(32).toString('base64url');
    const at = nowStorage();
    const id = newId();
    await this.repo.insertLink({
      id,
      workspace_id: ctx.actor.workspaceId,
      entity_id: entityId,
      token_hash: sha256(token),
      exposed_fields: JSON.stringify(exposed),
      owner_id: ownerId ?? null,
      enabled: enabled ? 1 : 0,
      created_at: at,
      created_by: ctx.actor.userId,
      updated_at: at,
    });
    await this.audit.write(ctx, {
      action: 'form.link_create',
      targetType: 'public_link',
      targetId: id,
      entityId,
      changes: { exposedFields: { from: null, to: exposed }, enabled: { from: null, to: enabled } },
    });
    return { ...(await this.getLink(ctx, entityId)), token, url: this.url(token) };
  }

  /** A new token; the old one stops working at once. */
  async rotateLink(ctx: RequestContext, entityId: string): Promise<PublicLinkDto & { token: string; url: string }> {
    const link = await this.getLink(ctx, entityId);
    const token = randomBytes(32).toString('base64url');
    await this.repo.rotateLink(link.id, sha256(token), nowStorage());
    await this.audit.write(ctx, { action: 'form.link_rotate', targetType: 'public_link', targetId: link.id, entityId });
    return { ...(await this.getLink(ctx, entityId)), token, url: this.url(token) };
  }

  async updateLink(ctx: RequestContext, entityId: string, body: unknown): Promise<PublicLinkDto> {
    const link = await this.getLink(ctx, entityId);
    const c = await this.entities.getOrThrow(ctx.actor.workspaceId, entityId);
    const input = new InputChecker(body).only(['exposedFields', 'ownerId', 'enabled']);
    const enabled = input.boolean('enabled');
    input.doneOrThrow();
    const exposed = this.exposedOrThrow(c, input.raw('exposedFields'), false);
    const ownerRaw = input.raw('ownerId');
    const ownerId = ownerRaw === undefined ? link.ownerId : await this.ownerOrThrow(ctx, ownerRaw);
    const next = { exposedFields: exposed ?? link.exposedFields, ownerId: ownerId ?? null, enabled: enabled ?? link.enabled };
    await this.repo.updateLink(link.id, {
      exposed_fields: JSON.stringify(next.exposedFields),
      owner_id: next.ownerId,
      enabled: next.enabled ? 1 : 0,
      updated_at: nowStorage(),
    });
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of ['exposedFields', 'ownerId', 'enabled'] as const)
      if (JSON.stringify(link[k]) !== JSON.stringify(next[k])) changes[k] = { from: link[k], to: next[k] };
    await this.audit.write(ctx, { action: 'form.link_update', targetType: 'public_link', targetId: link.id, entityId, changes });
    return this.getLink(ctx, entityId);
  }

  private url(token: string): string {
    return `${(this.config.publicUrl ?? `http://localhost:${this.config.port}`).replace(/\/+$/, '')}/public/forms/${token}`;
  }

  /** Exposed fields: keys of active fields an anonymous submitter can fill in (subform children too). */
  private exposedOrThrow(c: CompiledEntity, raw: unknown, required: boolean): string[] | undefined {
    if (raw === undefined && !required) return undefined;
    const issues: { path: string; code: string; message: string }[] = [];
    if (!Array.isArray(raw) || raw.length === 0 || raw.length > 500) {
      issues.push({ path: '/exposedFields', code: 'invalid_type', message: 'exposedFields must list 1 to 500 field keys' });
    } else {
      raw.forEach((k, i) => {
        const f = typeof k === 'string' ? c.byKey.get(k) : undefined;
        const path = `/exposedFields/${i}`;
        if (!f) return issues.push({ path, code: 'unknown_field', message: `${JSON.stringify(String(k).slice(0, 64))} is not a field of this entity` });
        if (!getFieldTypeOrThrow(f.type).writable) return issues.push({ path, code: 'not_writable', message: `${f.label} is computed by the server` });
        // The registry says which types anonymous submitters can fill in; a subform only with such children (and no nested subform).
        const bad = [f, ...childFieldsOf(f)].find((x) => !PUBLIC_FILLABLE_TYPES.has(x.type) || (x !== f && x.type === 'subform'));
        if (bad) issues.push({ path, code: 'not_public', message: `${bad.label} (${bad.type}) cannot be filled in by anonymous submitters` });
        if (raw.indexOf(k) !== i) issues.push({ path, code: 'duplicate', message: `${String(k)} is listed twice` });
      });
    }
    if (issues.length)
      throw new AppError('VALIDATION_FAILED', `${issues.length} invalid value(s): ${issues.map((i) => i.path).join(', ')}`, { errors: issues });
    return raw as string[];
  }

  private async ownerOrThrow(ctx: RequestContext, raw: unknown): Promise<string | null | undefined> {
    if (raw === undefined || raw === null) return raw as null | undefined;
    if (typeof raw !== 'string' || !(await this.repo.memberExists(ctx.actor.workspaceId, raw))) {
      throw new AppError('VALIDATION_FAILED', 'ownerId must be an active member of this workspace', {
        errors: [{ path: '/ownerId', code: 'not_found', message: 'ownerId must be an active member of this workspace' }],
      });
    }
    return raw;
  }
}
