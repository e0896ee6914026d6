import { AppError } from '../../common/errors';
import type { Actor, RequestContext } from '../../common/request-context';
import type { ImportRow, ImportsRepository } from './imports.repository';

/**
 * The request context a background import or export acts in: the member who started it, as
 * they are now (still active; the workspace's current ACL version, so permission changes apply).
 */
export async function actorContextOrThrow(repo: ImportsRepository, row: ImportRow, locale: 'en' | 'zh-CN'): Promise<RequestContext> {
  const actor = JSON.parse(row.actor ?? 'null') as Actor | null;
  const live = actor && (await repo.activeMember(row.workspace_id, actor.userId));
  if (!actor || !live) throw new AppError('FORBIDDEN', `The member who started this ${row.kind} is no longer active`);
  return { requestId: `${row.kind}:${row.id}`, ip: '', locale, actor: { ...actor, aclVersion: live.aclVersion, isAdmin: live.isAdmin } };
}
