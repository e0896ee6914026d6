import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { AuditService } from '../audit/audit.service';
import { hashSecret, TOKEN_PREFIX } from '../auth/auth.service';
import { idList, missingIdIssues } from '../org/org-rules';
import { OrgRepository } from '../org/org.repository';
import { type ApiTokenRow, TokensRepository } from './tokens.repository';

export interface TokenDto {
  id: string;
  name: string;
  userId: string;
  /** null: every app the member can reach. */
  appIds: string[] | null;
  readOnly: boolean;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const toDto = (r: ApiTokenRow): TokenDto => ({
  id: r.id,
  name: r.name,
  userId: r.user_id,
  appIds: r.app_ids ? (JSON.parse(r.app_ids) as string[]) : null,
  readOnly: !!Number(r.read_only),
  createdAt: storageToIso(r.created_at)!,
  expiresAt: storageToIso(r.expires_at),
  lastUsedAt: storageToIso(r.last_used_at),
  revokedAt: storageToIso(r.revoked_at),
});

/**
 * API tokens for integrations: they act as the member who made them (optionally narrowed to
 * some apps and/or read-only; the session guard applies both), shown once, stored hashed.
 */
@Injectable()
export class TokensService {
  constructor(
    private readonly repo: TokensRepository,
    private readonly org: OrgRepository,
    private readonly audit: AuditService,
  ) {}

  /** Made in a signed-in session only: a token could otherwise mint a wider one than itself. */
  async create(ctx: RequestContext, body: unknown): Promise<TokenDto & { token: string }> {
    if (ctx.actor.kind !== 'session') throw new AppError('FORBIDDEN', 'API tokens are created in a signed-in session, not with another token');
    const input = new InputChecker(body).only(['name', 'appIds', 'readOnly', 'expiresAt']);
    const name = input.string('name', { required: true, max: 100 });
    const appIds = input.raw('appIds') === null ? undefined : idList(input, 'appIds');
    const readOnly = input.boolean('readOnly') ?? false;
    const expiresRaw = input.string('expiresAt', { max: 40 });
    if (appIds && !appIds.length)
      input.issues.push({ path: '/appIds', code: 'too_short', message: 'appIds must name at least one app (leave it out for every app)' });
    let expiresAt: string | null = null;
    if (expiresRaw !== undefined) {
      const d = new Date(expiresRaw);
      if (!/^\d{4}-\d{2}-\d{2}/.test(expiresRaw) || Number.isNaN(d.getTime()))
        input.issues.push({ path: '/expiresAt', code: 'invalid_format', message: 'expiresAt must be an ISO 8601 date-time' });
      else if (d.getTime() <= Date.now()) input.issues.push({ path: '/expiresAt', code: 'invalid_value', message: 'expiresAt must be in the future' });
      else expiresAt = nowStorage(d);
    }
    input.doneOrThrow();
    if (appIds?.length) {
      const issues = missingIdIssues('appIds', appIds, await this.org.existingApps(ctx.actor.workspaceId, appIds), 'App');
      if (issues.length) throw new AppError('VALIDATION_FAILED', `${issues.length} unknown app(s)`, { errors: issues });
    }
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const row: ApiTokenRow = {
      id: newId(),
      workspace_id: ctx.actor.workspaceId,
      user_id: ctx.actor.userId,
      name: name!,
      app_ids: appIds ? JSON.stringify(appIds) : null,
      read_only: readOnly ? 1 : 0,
      created_at: nowStorage(),
      last_used_at: null,
      expires_at: expiresAt,
      revoked_at: null,
    };
    await this.repo.transaction(async (tx) => {
      await this.repo.insert(tx, { ...row, token_hash: hashSecret(token) });
      const { id: _id, userId: _u, lastUsedAt: _l, revokedAt: _r, ...shown } = toDto(row);
      const changes = Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, { from: null, to: v }]));
      await this.audit.write(ctx, { action: 'token.create', targetType: 'token', targetId: row.id, changes }, tx);
    });
    return { ...toDto(row), token };
  }

  /** My tokens (revoked ones included, with revokedAt); admins may list another member's with `userId`. Never the secret. */
  async list(ctx: RequestContext, userId: string | undefined): Promise<TokenDto[]> {
    this.notNarrowedOrThrow(ctx);
    const of = userId ?? ctx.actor.userId;
    if (of !== ctx.actor.userId) {
      if (!ctx.actor.isAdmin) throw new AppError('FORBIDDEN', "Only workspace admins can list another member's tokens");
      if (!(await this.repo.userExists(ctx.actor.workspaceId, of))) throw notFound('MEMBER_NOT_FOUND', `Member ${of.slice(0, 64)}`);
    }
    return (await this.repo.listOf(ctx.actor.workspaceId, of)).map(toDto);
  }

  /** Revokes at once (the next request with it is refused). Another member's token is not found, unless an admin asks. */
  async revoke(ctx: RequestContext, id: string): Promise<void> {
    this.notNarrowedOrThrow(ctx);
    const row = await this.repo.find(ctx.actor.workspaceId, id);
    if (!row || (row.user_id !== ctx.actor.userId && !ctx.actor.isAdmin)) throw notFound('TOKEN_NOT_FOUND', `API token ${id.slice(0, 64)}`);
    await this.repo.transaction(async (tx) => {
      const now = nowStorage();
      if (!(await this.repo.revoke(tx, id, now))) return;
      await this.audit.write(
        ctx,
        { action: 'token.revoke', targetType: 'token', targetId: id, changes: { revokedAt: { from: null, to: storageToIso(now) }, ownerId: row.user_id } },
        tx,
      );
    });
  }

  /** Tokens are workspace-wide credentials: a token narrowed to apps neither lists nor revokes them. */
  private notNarrowedOrThrow(ctx: RequestContext): void {
    if (ctx.actor.appIds) throw new AppError('FORBIDDEN', 'An API token narrowed to apps cannot manage API tokens');
  }
}
