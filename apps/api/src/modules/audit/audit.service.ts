import { Injectable } from '@nestjs/common';
import { nowStorage } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import { type AuditEntry, AuditRepository } from './audit.repository';

export type AuditInput = Pick<AuditEntry, 'action' | 'targetType' | 'targetId'> & Partial<Pick<AuditEntry, 'entityId' | 'recordId' | 'changes'>>;

/** Writes audit entries for the acting member; pass the transaction so they commit with the change. */
@Injectable()
export class AuditService {
  constructor(readonly repo: AuditRepository) {}

  entry(ctx: RequestContext, input: AuditInput, at = nowStorage()): AuditEntry {
    return {
      workspaceId: ctx.actor.workspaceId,
      actorId: ctx.actor.kind === 'anonymous' ? null : ctx.actor.userId,
      actorKind: ctx.actor.kind === 'token' ? 'token' : ctx.actor.kind === 'anonymous' ? 'anonymous' : 'user',
      requestId: ctx.requestId || null,
      ip: ctx.ip || null,
      at,
      ...input,
    };
  }

  async write(ctx: RequestContext, input: AuditInput | AuditInput[], exec: Executor | null = null): Promise<void> {
    const at = nowStorage();
    await this.repo.insert(
      exec,
      (Array.isArray(input) ? input : [input]).map((i) => this.entry(ctx, i, at)),
    );
  }

  /** For events without a signed-in actor (failed logins). */
  async writeRaw(entries: AuditEntry[], exec: Executor | null = null): Promise<void> {
    await this.repo.insert(exec, entries);
  }
}
