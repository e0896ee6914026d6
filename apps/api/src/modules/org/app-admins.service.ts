import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { bumpAclVersion } from '../auth/acl-version.repository';
import { AuditService } from '../audit/audit.service';
import { fieldDiff, idList, missingIdIssues, requireWorkspaceAdminOrThrow } from './org-rules';
import { OrgRepository } from './org.repository';

export interface AppAdminsDto {
  appId: string;
  admins: { id: string; name: string; email: string | null; username: string | null }[];
}

/** App admins manage everything of their app (design, permission groups); workspace admins name them. */
@Injectable()
export class AppAdminsService {
  constructor(
    private readonly org: OrgRepository,
    private readonly audit: AuditService,
  ) {}

  /** Workspace admins and the app's own admins read the list; to anyone else the app answers 404 (they may not even see it). */
  async get(ctx: RequestContext, appId: string): Promise<AppAdminsDto> {
    await this.appOrThrow(ctx, appId);
    if (!ctx.actor.isAdmin && !(await this.org.membershipsOf(ctx.actor.workspaceId, ctx.actor.userId)).adminAppIds.includes(appId))
      throw notFound('APP_NOT_FOUND', `App ${appId.slice(0, 64)}`);
    return { appId, admins: await this.org.appAdmins(null, appId) };
  }

  /** Replaces the app's admins with `userIds`. */
  async set(ctx: RequestContext, appId: string, body: unknown): Promise<AppAdminsDto> {
    requireWorkspaceAdminOrThrow(ctx, 'name app admins');
    const input = new InputChecker(body).only(['userIds']);
    const userIds = idList(input, 'userIds', { required: true });
    input.doneOrThrow();
    await this.appOrThrow(ctx, appId);
    const ws = ctx.actor.workspaceId;
    await this.org.transaction(async (tx) => {
      await bumpAclVersion(tx, ws);
      const issues = missingIdIssues('userIds', userIds, await this.org.existing(tx, 'users', ws, userIds!), 'Member');
      if (issues.length) throw new AppError('VALIDATION_FAILED', `${issues.length} unknown member(s)`, { errors: issues });
      const before = (await this.org.appAdmins(tx, appId)).map((a) => a.id);
      const changes = fieldDiff({ userIds: before }, { userIds });
      if (!Object.keys(changes).length) return;
      await this.org.setAppAdmins(tx, appId, userIds!);
      await this.audit.write(ctx, { action: 'app_admins.update', targetType: 'app', targetId: appId, changes }, tx);
    });
    return this.get(ctx, appId);
  }

  /** The app, in this workspace and (for a narrowed token) among the token's apps. */
  private async appOrThrow(ctx: RequestContext, appId: string): Promise<void> {
    if ((ctx.actor.appIds && !ctx.actor.appIds.includes(appId)) || !(await this.org.existingApps(ctx.actor.workspaceId, [appId])).size)
      throw notFound('APP_NOT_FOUND', `App ${appId.slice(0, 64)}`);
  }
}
