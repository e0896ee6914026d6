import { randomBytes, randomUUID } from 'node:crypto';
import { nowStorage } from '../../src/common/ids';
import { Db } from '../../src/database/db';
import { bumpAclVersion } from '../../src/modules/auth/acl-version.repository';
import { hashPassword } from '../../src/modules/auth/password';
import type { Client, TestApi } from './harness';

/**
 * Seeds the organisation (members, departments, roles, app admins) for the permission tests.
 *
 * Through the org endpoints (POST /api/members, /api/departments, /api/roles, PATCH
 * /api/members/:id, PATCH /api/departments/:id, PUT /api/apps/:appId/admins) as the workspace
 * admin when the server has them, so the tests also prove those endpoints move the ACL version;
 * otherwise, or with ORG_SEED=db, straight into the tables, bumping `workspaces.acl_version`
 * exactly as the endpoints do. A second workspace has no API: it is always seeded in the
 * database. Only this file touches the tables.
 */
export interface SeededMember {
  id: string;
  email: string;
  password: string;
  name: string;
  workspaceId: string;
}

export const MEMBER_PASSWORD = 'member-password-1';

export class OrgSeed {
  readonly db: Db;
  private hash: Promise<string> | null = null;

  private constructor(
    private readonly api: TestApi,
    readonly workspaceId: string,
    /** The workspace admin's client when seeding through the org endpoints; null: in the database. */
    private readonly admin: Client | null,
  ) {
    this.db = api.app.get(Db);
  }

  /** The seed for the bootstrap admin's workspace. */
  static async of(api: TestApi): Promise<OrgSeed> {
    const me = await api.admin.get('/api/auth/me');
    if (me.status !== 200) throw new Error(`me: ${me.status}`);
    const served = process.env.ORG_SEED !== 'db' && (await api.admin.get('/api/roles')).status === 200;
    return new OrgSeed(api, me.body.workspace.id, served ? api.admin : null);
  }

  get viaApi(): boolean {
    return this.admin !== null;
  }

  /** A second workspace (there is no API to create one): its row and a seed for it. */
  async workspace(name: string): Promise<OrgSeed> {
    const id = randomUUID();
    await this.db.run('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)', [id, name, nowStorage()]);
    return new OrgSeed(this.api, id, null);
  }

  private async call(method: string, path: string, body: unknown, status: number): Promise<any> {
    const res = await this.admin!.request(method, path, body);
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  private passwordHash(): Promise<string> {
    return (this.hash ??= hashPassword(MEMBER_PASSWORD));
  }

  async member(name: string, opts: { departments?: string[]; roles?: string[]; isAdmin?: boolean } = {}): Promise<SeededMember> {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(3).toString('hex')}@example.com`;
    if (this.admin) {
      const body = { name, email, password: MEMBER_PASSWORD, isAdmin: !!opts.isAdmin, departmentIds: opts.departments ?? [], roleIds: opts.roles ?? [] };
      const made = await this.call('POST', '/api/members', body, 201);
      return { id: made.member.id, email, password: MEMBER_PASSWORD, name, workspaceId: this.workspaceId };
    }
    const id = randomUUID();
    const now = nowStorage();
    await this.db.run(
      'INSERT INTO users (id, workspace_id, email, name, password_hash, is_admin, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [id, this.workspaceId, email, name, await this.passwordHash(), opts.isAdmin ? 1 : 0, 'active', now, now],
    );
    for (const d of opts.departments ?? []) await this.db.run('INSERT INTO department_members (department_id, user_id) VALUES (?, ?)', [d, id]);
    for (const r of opts.roles ?? []) await this.db.run('INSERT INTO role_members (role_id, user_id) VALUES (?, ?)', [r, id]);
    await this.bump();
    return { id, email, password: MEMBER_PASSWORD, name, workspaceId: this.workspaceId };
  }

  async department(name: string, parentId: string | null = null, headUserId: string | null = null): Promise<string> {
    if (this.admin) return (await this.call('POST', '/api/departments', { name, parentId, headUserId }, 201)).id;
    const id = randomUUID();
    await this.db.run('INSERT INTO departments (id, workspace_id, name, parent_id, head_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      this.workspaceId,
      name,
      parentId,
      headUserId,
      nowStorage(),
    ]);
    await this.bump();
    return id;
  }

  async setDepartmentHead(departmentId: string, userId: string | null): Promise<void> {
    if (this.admin) return void (await this.call('PATCH', `/api/departments/${departmentId}`, { headUserId: userId }, 200));
    await this.db.run('UPDATE departments SET head_user_id = ? WHERE id = ?', [userId, departmentId]);
    await this.bump();
  }

  async role(name: string): Promise<string> {
    if (this.admin) return (await this.call('POST', '/api/roles', { name }, 201)).id;
    const id = randomUUID();
    await this.db.run('INSERT INTO roles (id, workspace_id, name, created_at) VALUES (?, ?, ?, ?)', [id, this.workspaceId, name, nowStorage()]);
    await this.bump();
    return id;
  }

  /** Replaces the member's departments and/or roles (as PATCH /api/members/:id does). */
  async setMembership(userId: string, m: { departments?: string[]; roles?: string[] }): Promise<void> {
    if (this.admin) return void (await this.call('PATCH', `/api/members/${userId}`, { departmentIds: m.departments, roleIds: m.roles }, 200));
    if (m.departments) {
      await this.db.run('DELETE FROM department_members WHERE user_id = ?', [userId]);
      for (const d of m.departments) await this.db.run('INSERT INTO department_members (department_id, user_id) VALUES (?, ?)', [d, userId]);
    }
    if (m.roles) {
      await this.db.run('DELETE FROM role_members WHERE user_id = ?', [userId]);
      for (const r of m.roles) await this.db.run('INSERT INTO role_members (role_id, user_id) VALUES (?, ?)', [r, userId]);
    }
    await this.bump();
  }

  /** Replaces the app's admins (as PUT /api/apps/:appId/admins does). */
  async setAppAdmins(appId: string, userIds: string[]): Promise<void> {
    if (this.admin) return void (await this.call('PUT', `/api/apps/${appId}/admins`, { userIds }, 200));
    await this.db.run('DELETE FROM app_admins WHERE app_id = ?', [appId]);
    for (const u of userIds) await this.db.run('INSERT INTO app_admins (app_id, user_id) VALUES (?, ?)', [appId, u]);
    await this.bump();
  }

  /** active | disabled, flipped in the database under the server's feet (PATCH /api/members/:id is the API way). */
  async setStatusInDb(userId: string, status: 'active' | 'disabled'): Promise<void> {
    await this.db.run('UPDATE users SET status = ?, updated_at = ? WHERE id = ?', [status, nowStorage(), userId]);
    await this.bump();
  }

  async aclVersion(): Promise<number> {
    const rows = await this.db.query<{ v: number }>('SELECT acl_version AS v FROM workspaces WHERE id = ?', [this.workspaceId]);
    return Number(rows[0]?.v);
  }

  private bump(): Promise<void> {
    return bumpAclVersion(this.db, this.workspaceId);
  }

  /** A signed-in client for the member. */
  async login(m: SeededMember): Promise<Client> {
    const c = this.api.client();
    const res = await c.login(m.email, m.password);
    if (res.status !== 200) throw new Error(`login ${m.email}: ${res.status} ${JSON.stringify(res.body)}`);
    return c;
  }
}
