import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';

export interface OrgSnapshotRows {
  aclVersion: number;
  members: { id: string; is_admin: number }[];
  roles: { role_id: string; user_id: string }[];
  departments: { id: string; parent_id: string | null; head_user_id: string | null; name: string }[];
  departmentMembers: { department_id: string; user_id: string }[];
}

/** The organisation as assignee rules read it (members, roles, departments, heads): the workflow module's only SQL over org tables. */
@Injectable()
export class WorkflowOrgRepository {
  constructor(readonly db: Db) {}

  async aclVersion(workspaceId: string, exec: Executor = this.db): Promise<number | null> {
    const rows = await exec.query<{ v: number }>('SELECT acl_version AS v FROM workspaces WHERE id = ?', [workspaceId]);
    return rows.length ? Number(rows[0].v) : null;
  }

  /** Four queries, whatever the size of the organisation. */
  async snapshot(workspaceId: string, aclVersion: number): Promise<OrgSnapshotRows> {
    const [members, roles, departments, departmentMembers] = await Promise.all([
      this.db.query<{ id: string; is_admin: number }>("SELECT id, is_admin FROM users WHERE workspace_id = ? AND status = 'active' ORDER BY id", [workspaceId]),
      this.db.query<{ role_id: string; user_id: string }>(
        'SELECT rm.role_id, rm.user_id FROM role_members rm JOIN roles r ON r.id = rm.role_id WHERE r.workspace_id = ? ORDER BY rm.role_id, rm.user_id',
        [workspaceId],
      ),
      this.db.query<{ id: string; parent_id: string | null; head_user_id: string | null; name: string }>(
        'SELECT id, parent_id, head_user_id, name FROM departments WHERE workspace_id = ? ORDER BY name, id',
        [workspaceId],
      ),
      this.db.query<{ department_id: string; user_id: string }>(
        'SELECT dm.department_id, dm.user_id FROM department_members dm JOIN departments d ON d.id = dm.department_id WHERE d.workspace_id = ? ORDER BY dm.department_id, dm.user_id',
        [workspaceId],
      ),
    ]);
    return { aclVersion, members, roles, departments, departmentMembers };
  }

  /** Admins of the app (they administer its workflows besides the workspace admins). */
  async appAdmins(appId: string): Promise<string[]> {
    const rows = await this.db.query<{ user_id: string }>('SELECT user_id FROM app_admins WHERE app_id = ? ORDER BY user_id', [appId]);
    return rows.map((r) => r.user_id);
  }
}
