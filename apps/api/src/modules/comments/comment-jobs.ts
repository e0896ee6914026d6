import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../jobs/job-registry';
import type { JobContext } from '../jobs/jobs.types';
import { NotificationsService } from '../notifications/notifications.service';

export const MENTION_JOB = 'comments.mentioned';

interface MentionPayload {
  workspaceId: string;
  commentId: string;
  appId: string;
  entityId: string;
  recordId: number;
  authorId: string;
  to: string[];
}

/** The job an @mention asks for: one `mentioned` notification per member, inserted once however often the job runs. */
@Injectable()
export class CommentJobs implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(MENTION_JOB, (ctx) => this.mentioned(ctx), { maxAttempts: 10 });
  }

  private async mentioned(ctx: JobContext): Promise<void> {
    const p = ctx.payload as unknown as MentionPayload;
    const data = { commentId: p.commentId, appId: p.appId, entityId: p.entityId, recordId: p.recordId, authorId: p.authorId };
    await ctx.complete((tx) =>
      this.notifications.add(
        tx,
        p.to.map((memberId) => ({
          workspaceId: p.workspaceId,
          memberId,
          kind: 'mentioned',
          dedupeKey: `mention:${p.commentId}:${memberId}`,
          sourceType: 'record_comment',
          sourceId: p.commentId,
          data,
        })),
      ),
    );
  }
}
