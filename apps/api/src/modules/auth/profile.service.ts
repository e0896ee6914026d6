import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { nowStorage } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { AuditService } from '../audit/audit.service';
import { AuthRepository } from './auth.repository';
import type { Me } from './auth.service';

/** The UI languages a profile may hold (the web app's locale files). */
export const PROFILE_LANGUAGES = ['zh-CN', 'en'] as const;

/** My profile: who I am, my display name and my UI language. */
@Injectable()
export class ProfileService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly audit: AuditService,
  ) {}

  async me(ctx: RequestContext): Promise<Me> {
    const a = ctx.actor;
    const profile = await this.repo.findProfile(a.userId);
    return {
      user: { id: a.userId, email: a.email, name: profile?.name ?? a.name, isAdmin: a.isAdmin, language: profile?.language ?? null },
      workspace: { id: a.workspaceId, name: a.workspaceName },
    };
  }

  /** PATCH /api/auth/me `{ name?, language? }` (language: one of PROFILE_LANGUAGES, or null to follow the browser). */
  async updateMe(ctx: RequestContext, body: unknown): Promise<Me> {
    if (ctx.actor.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'Sign in first');
    if (ctx.actor.readOnly) throw new AppError('FORBIDDEN', 'A read-only API token cannot change the profile');
    const input = new InputChecker(body).only(['name', 'language']);
    const name = input.string('name', { min: 1, max: 200 });
    const language = input.raw('language');
    if (language !== undefined && language !== null && !PROFILE_LANGUAGES.includes(language as never)) {
      input.issues.push({ path: '/language', code: 'invalid_option', message: `language must be one of ${PROFILE_LANGUAGES.join(', ')} or null` });
    }
    input.doneOrThrow();
    const before = await this.me(ctx);
    const patch = { name, language: language as string | null | undefined };
    await this.repo.transaction(async (tx) => {
      await this.repo.updateProfile(tx, ctx.actor.userId, patch, nowStorage());
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (name !== undefined && name !== before.user.name) changes.name = { from: before.user.name, to: name };
      if (patch.language !== undefined && patch.language !== before.user.language) changes.language = { from: before.user.language, to: patch.language };
      await this.audit.write(ctx, { action: 'member.profile_update', targetType: 'member', targetId: ctx.actor.userId, changes }, tx);
    });
    return this.me(ctx);
  }
}
