import type { Executor } from '../../database/db';
import { sessionCache } from './session-cache';

/**
 * Moves the workspace's ACL version. Every change to members, departments, roles, app admins
 * or permission groups calls this in its transaction; each request reads the version with its
 * session, so compiled permissions on every node are rebuilt on the next request.
 */
export async function bumpAclVersion(exec: Executor, workspaceId: string): Promise<void> {
  await exec.run('UPDATE workspaces SET acl_version = acl_version + 1 WHERE id = ?', [workspaceId]);
  sessionCache.clearWith(exec);
}
