import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { DepartmentsService } from '../src/modules/org/departments.service';
import { OrgRepository } from '../src/modules/org/org.repository';
import { ADMIN, type Client, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

const PASSWORD = 'member-password-1';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const unique = (p: string) => `${p}${randomBytes(4).toString('hex')}`;

let api: TestApi;
let db: Db;

beforeAll(async () => {
  api = await startApi();
  db = api.app.get(Db);
});
afterAll(async () => api?.close());

/** Invites a member with a password and signs them in. */
async function member(opts: { isAdmin?: boolean; departmentIds?: string[]; roleIds?: string[] } = {}): Promise<{ id: string; email: string; client: Client }> {
  const email = `${unique('m')}@example.com`;
  const res = await api.admin.post('/api/members', { email, name: `Member ${email}`, password: PASSWORD, ...opts });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const client = api.client();
  expect((await client.login(email, PASSWORD)).status).toBe(200);
  return { id: res.body.member.id, email, client };
}

async function adminId(): Promise<string> {
  return (await api.admin.get('/api/auth/me')).body.user.id;
}

async function auditOf(action: string, targetId?: string): Promise<any[]> {
  const res = await api.admin.get(`/api/audit?action=${encodeURIComponent(action)}&limit=500${targetId ? `&targetId=${targetId}` : ''}`);
  expect(res.status).toBe(200);
  return res.body.items;
}

const aclVersion = async () => Number((await db.query<{ v: number }>('SELECT acl_version AS v FROM workspaces'))[0].v);

describe('members: invite', () => {
  it('with a password: active at once, signs in by email or username, listed with nothing secret', async () => {
    const email = `${unique('pw')}@Example.com`;
    const username = unique('user');
    const res = await api.admin.post('/api/members', { email: `  ${email} `, username, name: 'Pat Active', password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      member: { email: email.toLowerCase(), username, name: 'Pat Active', isAdmin: false, status: 'active', departments: [], roles: [] },
      inviteUrl: null,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash|scrypt/i);
    expect((await api.client().login(email.toLowerCase(), PASSWORD)).status).toBe(200);
    const byName = api.client();
    expect((await byName.login(username, PASSWORD)).status).toBe(200);
    expect((await byName.get('/api/auth/me')).body.user).toMatchObject({ id: res.body.member.id, isAdmin: false });
    const list = await api.admin.get('/api/members');
    expect(list.body.items.find((m: any) => m.id === res.body.member.id)).toMatchObject({ status: 'active', username });
    expect(JSON.stringify(list.body)).not.toMatch(/password_hash|scrypt/);
    const stored = (await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = ?', [res.body.member.id]))[0];
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(stored.password_hash).not.toContain(PASSWORD);
  });

  it('refuses duplicates, bad input and a short password', async () => {
    const email = `${unique('dup')}@example.com`;
    expect((await api.admin.post('/api/members', { email, name: 'A', password: PASSWORD })).status).toBe(201);
    expect(expectProblem(await api.admin.post('/api/members', { email: email.toUpperCase(), name: 'B', password: PASSWORD }), 409, 'MEMBER_EXISTS').field).toBe(
      'email',
    );
    expectProblem(await api.admin.post('/api/members', { email: ADMIN.email, name: 'Admin twin' }), 409, 'MEMBER_EXISTS');
    const none = expectProblem(await api.admin.post('/api/members', { name: 'Nobody' }), 400, 'VALIDATION_FAILED');
    expect(none.errors).toContainEqual(expect.objectContaining({ path: '/email', code: 'required' }));
    const bad = expectProblem(
      await api.admin.post('/api/members', { email: 'not-an-email', username: 'a@b', name: 'X', password: 'short', isAdmin: 'yes', extra: 1 }),
      400,
      'VALIDATION_FAILED',
    );
    expect(bad.errors.map((e: any) => e.path).sort()).toEqual(['/email', '/extra', '/isAdmin', '/password', '/username']);
    const unknownDept = expectProblem(
      await api.admin.post('/api/members', { email: `${unique('x')}@example.com`, name: 'X', departmentIds: ['nope'] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(unknownDept.errors).toEqual([expect.objectContaining({ path: '/departmentIds/0', code: 'not_found' })]);
    expect((await api.admin.get('/api/members')).body.items.filter((m: any) => m.email === email)).toHaveLength(1);
  });

  it('without a password: invited, a one-use link (stored hashed, 7 days) lets them set one', async () => {
    const email = `${unique('inv')}@example.com`;
    const res = await api.admin.post('/api/members', { email, name: 'Ivy Invited' });
    expect(res.status).toBe(201);
    expect(res.body.member.status).toBe('invited');
    const url: string = res.body.inviteUrl;
    expect(url).toMatch(new RegExp(`^http://localhost:${api.config.port}/invite/[A-Za-z0-9_-]{43}$`));
    const token = url.split('/').pop()!;
    const days = (Date.parse(res.body.inviteExpiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    // Only the hash is stored.
    const rows = await db.query<{ token_hash: string; kind: string }>('SELECT token_hash, kind FROM user_tokens WHERE user_id = ?', [res.body.member.id]);
    expect(rows).toEqual([{ token_hash: sha256(token), kind: 'invite' }]);
    // Not yet a way in.
    expectProblem(await api.client().login(email, PASSWORD), 401, 'INVALID_CREDENTIALS');
    // The invite link is not a reset link, and the password rules hold.
    expectProblem(await api.client().post('/api/auth/reset', { token, password: PASSWORD }), 400, 'INVALID_TOKEN');
    expectProblem(await api.client().post('/api/auth/invite/accept', { token, password: 'short' }), 400, 'VALIDATION_FAILED');

    const accepted = await api.client().post('/api/auth/invite/accept', { token, password: PASSWORD });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ userId: res.body.member.id, email, username: null });
    expect((await api.admin.get(`/api/members/${res.body.member.id}`)).body.status).toBe('active');
    const c = api.client();
    expect((await c.login(email, PASSWORD)).status).toBe(200);
    // Second use refused, and it did not change the password.
    expectProblem(await api.client().post('/api/auth/invite/accept', { token, password: 'another-password' }), 400, 'INVALID_TOKEN');
    expect((await api.client().login(email, PASSWORD)).status).toBe(200);
    expectProblem(await api.client().post('/api/auth/invite/accept', { token: 'forged', password: PASSWORD }), 400, 'INVALID_TOKEN');
    const audit = await auditOf('auth.invite_accepted', res.body.member.id);
    expect(audit[0]).toMatchObject({ actorId: res.body.member.id, changes: { status: { from: 'invited', to: 'active' } } });
  });

  it('an expired invite is refused, and a username-only member can be invited', async () => {
    const username = unique('late');
    const res = await api.admin.post('/api/members', { username, name: 'Late Larry' });
    expect(res.status).toBe(201);
    expect(res.body.member).toMatchObject({ email: null, username, status: 'invited' });
    const token = res.body.inviteUrl.split('/').pop();
    await db.run("UPDATE user_tokens SET expires_at = '2001-01-01 00:00:00.000' WHERE user_id = ?", [res.body.member.id]);
    expectProblem(await api.client().post('/api/auth/invite/accept', { token, password: PASSWORD }), 400, 'INVALID_TOKEN');
    expect((await api.admin.get(`/api/members/${res.body.member.id}`)).body.status).toBe('invited');
    // An admin issues a fresh link (reset-password works for invited members too).
    const again = await api.admin.post(`/api/members/${res.body.member.id}/reset-password`, {});
    expect(again.status).toBe(200);
    expect((await api.client().post('/api/auth/reset', { token: again.body.resetUrl.split('/').pop(), password: PASSWORD })).status).toBe(200);
    expect((await api.client().login(username, PASSWORD)).status).toBe(200);
  });
});

describe('members: change, disable, reset', () => {
  it('list and get show departments and roles; PATCH records a field-level diff', async () => {
    const dept = (await api.admin.post('/api/departments', { name: unique('Sales ') })).body;
    const role = (await api.admin.post('/api/roles', { name: unique('Closer ') })).body;
    const m = await member();
    const before = await aclVersion();
    const res = await api.admin.patch(`/api/members/${m.id}`, { name: 'Renamed', departmentIds: [dept.id], roleIds: [role.id], isAdmin: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', departments: [{ id: dept.id, name: dept.name }], roles: [{ id: role.id, name: role.name }] });
    expect(await aclVersion()).toBeGreaterThan(before);
    const listed = (await api.admin.get('/api/members')).body.items.find((x: any) => x.id === m.id);
    expect(listed).toMatchObject({ departments: [{ id: dept.id }], roles: [{ id: role.id }] });
    // Members may read the directory.
    expect((await m.client.get('/api/members')).status).toBe(200);
    const [entry] = await auditOf('member.update', m.id);
    expect(entry.changes).toEqual({
      name: { from: `Member ${m.email}`, to: 'Renamed' },
      departmentIds: { from: [], to: [dept.id] },
      roleIds: { from: [], to: [role.id] },
    });
    expect(entry.actorId).toBe(await adminId());
    expectProblem(await api.admin.patch(`/api/members/${m.id}`, { status: 'invited' }), 400, 'VALIDATION_FAILED');
    expectProblem(await api.admin.patch(`/api/members/${m.id}`, { roleIds: ['missing'] }), 400, 'VALIDATION_FAILED');
    expectProblem(await api.admin.patch('/api/members/00000000-0000-0000-0000-000000000000', { name: 'x' }), 404, 'MEMBER_NOT_FOUND');
  });

  it('an admin cannot demote or disable themselves; the workspace keeps an admin', async () => {
    const me = await adminId();
    expectProblem(await api.admin.patch(`/api/members/${me}`, { isAdmin: false }), 409, 'ADMIN_REQUIRED');
    expectProblem(await api.admin.patch(`/api/members/${me}`, { status: 'disabled' }), 409, 'ADMIN_REQUIRED');
    expect((await api.admin.get(`/api/members/${me}`)).body).toMatchObject({ isAdmin: true, status: 'active' });
    // Another admin can be demoted, and can demote this one.
    const other = await member({ isAdmin: true });
    expect((await other.client.patch(`/api/members/${other.id}`, { isAdmin: false })).status).toBe(409);
    expect((await api.admin.patch(`/api/members/${other.id}`, { isAdmin: false })).body.isAdmin).toBe(false);
    expect((await other.client.get('/api/auth/me')).body.user.isAdmin).toBe(false);
  });

  it('disabling ends the live session and the token at once; enabling lets them sign in again', async () => {
    const m = await member();
    const tok = await m.client.post('/api/tokens', { name: 'integration' });
    expect(tok.status).toBe(201);
    const bearer = api.client();
    bearer.bearer = tok.body.token;
    expect((await bearer.get('/api/auth/me')).status).toBe(200);
    expect((await m.client.get('/api/auth/me')).status).toBe(200);

    const res = await api.admin.patch(`/api/members/${m.id}`, { status: 'disabled' });
    expect(res.body.status).toBe('disabled');
    expectProblem(await m.client.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    expectProblem(await bearer.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    expectProblem(await api.client().login(m.email, PASSWORD), 401, 'INVALID_CREDENTIALS');
    expect(Number((await db.query<{ c: number }>('SELECT COUNT(*) AS c FROM sessions WHERE user_id = ?', [m.id]))[0].c)).toBe(0);
    const [entry] = await auditOf('member.disable', m.id);
    expect(entry.changes).toMatchObject({ status: { from: 'active', to: 'disabled' }, sessionsEnded: 1 });
    expectProblem(await api.admin.post(`/api/members/${m.id}/reset-password`, {}), 409, 'MEMBER_STATUS_CONFLICT');

    expect((await api.admin.patch(`/api/members/${m.id}`, { status: 'active' })).body.status).toBe('active');
    expect((await auditOf('member.enable', m.id)).length).toBe(1);
    expect((await bearer.get('/api/auth/me')).status).toBe(200); // a token is not revoked by disabling, only stopped
    expect((await api.client().login(m.email, PASSWORD)).status).toBe(200);
  });

  it('an invited member becomes active only through their link or a password an admin sets', async () => {
    const res = await api.admin.post('/api/members', { email: `${unique('i')}@example.com`, name: 'Invited' });
    expectProblem(await api.admin.patch(`/api/members/${res.body.member.id}`, { status: 'active' }), 409, 'MEMBER_STATUS_CONFLICT');
    // Disabling cancels the invite link.
    expect((await api.admin.patch(`/api/members/${res.body.member.id}`, { status: 'disabled' })).status).toBe(200);
    expectProblem(await api.client().post('/api/auth/invite/accept', { token: res.body.inviteUrl.split('/').pop(), password: PASSWORD }), 400, 'INVALID_TOKEN');
  });

  it('a reset link works once, ends the old sessions, and the old password stops working', async () => {
    const m = await member();
    const other = api.client();
    expect((await other.login(m.email, PASSWORD)).status).toBe(200);
    const res = await api.admin.post(`/api/members/${m.id}/reset-password`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resetUrl: expect.stringMatching(/\/reset\/[A-Za-z0-9_-]{43}$/), sessionsEnded: 2 });
    expectProblem(await m.client.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    // A session opened after the link was issued also ends when it is used.
    const late = api.client();
    expect((await late.login(m.email, PASSWORD)).status).toBe(200);
    const token = res.body.resetUrl.split('/').pop();
    const used = await api.client().post('/api/auth/reset', { token, password: 'brand-new-password' });
    expect(used.status).toBe(200);
    expectProblem(await late.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    expectProblem(await api.client().post('/api/auth/reset', { token, password: 'third-password-1' }), 400, 'INVALID_TOKEN');
    expectProblem(await api.client().login(m.email, PASSWORD), 401, 'INVALID_CREDENTIALS');
    expect((await api.client().login(m.email, 'brand-new-password')).status).toBe(200);
    expect((await auditOf('auth.password_reset', m.id)).length).toBe(1);

    // A newer link cancels the older one; an admin may also set the password directly.
    const first = (await api.admin.post(`/api/members/${m.id}/reset-password`, {})).body.resetUrl.split('/').pop();
    const second = (await api.admin.post(`/api/members/${m.id}/reset-password`, {})).body.resetUrl.split('/').pop();
    expectProblem(await api.client().post('/api/auth/reset', { token: first, password: PASSWORD }), 400, 'INVALID_TOKEN');
    const direct = await api.admin.post(`/api/members/${m.id}/reset-password`, { password: 'admin-chosen-1' });
    expect(direct.body).toMatchObject({ resetUrl: null });
    expectProblem(await api.client().post('/api/auth/reset', { token: second, password: PASSWORD }), 400, 'INVALID_TOKEN');
    expect((await api.client().login(m.email, 'admin-chosen-1')).status).toBe(200);
    const entries = await auditOf('member.reset_password', m.id);
    expect(entries.map((e) => e.changes.method)).toEqual(['password', 'link', 'link', 'link']);
    expect(JSON.stringify(entries)).not.toContain('admin-chosen-1');
  });

  it('changing my own password needs the current one and ends my other sessions', async () => {
    const m = await member();
    const other = api.client();
    await other.login(m.email, PASSWORD);
    expectProblem(await m.client.post('/api/auth/password', { currentPassword: 'wrong-password', newPassword: 'next-password-1' }), 401, 'INVALID_CREDENTIALS');
    expectProblem(await m.client.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' }), 400, 'VALIDATION_FAILED');
    const res = await m.client.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'next-password-1' });
    expect(res.body).toEqual({ sessionsEnded: 1 });
    expect((await m.client.get('/api/auth/me')).status).toBe(200);
    expectProblem(await other.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    expect((await api.client().login(m.email, 'next-password-1')).status).toBe(200);
    expect((await auditOf('auth.password_changed', m.id)).length).toBe(1);
    // Not with an API token.
    const tok = await m.client.post('/api/tokens', { name: 't' });
    const bearer = api.client();
    bearer.bearer = tok.body.token;
    expectProblem(await bearer.post('/api/auth/password', { currentPassword: 'next-password-1', newPassword: 'other-password-1' }), 403, 'FORBIDDEN');
  });
});

describe('departments', () => {
  it('a tree: flat in tree order with depth and counts; moves; cycles and non-empty deletes refused', async () => {
    const prefix = unique('T');
    const mk = async (name: string, parentId?: string) => {
      const res = await api.admin.post('/api/departments', { name: `${prefix} ${name}`, parentId });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const a = await mk('A');
    const b = await mk('B', a);
    const c = await mk('C', b);
    const a2 = await mk('A2', a);
    const mine = (items: any[]) => items.filter((d) => d.name.startsWith(prefix)).map((d) => [d.name.slice(prefix.length + 1), d.depth, d.childCount]);
    expect(mine((await api.admin.get('/api/departments')).body.items)).toEqual([
      ['A', 0, 2],
      ['A2', 1, 0],
      ['B', 1, 1],
      ['C', 2, 0],
    ]);
    expectProblem(await api.admin.post('/api/departments', { name: `${prefix} b`, parentId: a }), 409, 'DUPLICATE_NAME');
    expectProblem(await api.admin.post('/api/departments', { name: 'X', parentId: 'missing' }), 400, 'VALIDATION_FAILED');

    // Moving A under C would make A → B → C → A.
    const before = await aclVersion();
    const cyc = expectProblem(await api.admin.patch(`/api/departments/${a}`, { parentId: c }), 409, 'DEPARTMENT_CYCLE');
    expect(cyc.cycle).toEqual([a, b, c, a]);
    expect(cyc.detail).toContain(`${prefix} A → ${prefix} B → ${prefix} C → ${prefix} A`);
    expectProblem(await api.admin.patch(`/api/departments/${a}`, { parentId: a }), 409, 'DEPARTMENT_CYCLE');
    expect(await aclVersion()).toBe(before); // refused changes roll back entirely
    expect((await api.admin.get(`/api/departments/${a}`)).body.parentId).toBeNull();

    // Move C to the top, then under A2; rename; set a head.
    const m = await member();
    expect((await api.admin.patch(`/api/departments/${c}`, { parentId: null })).body).toMatchObject({ parentId: null, depth: 0 });
    const moved = await api.admin.patch(`/api/departments/${c}`, { parentId: a2, name: `${prefix} C2`, headUserId: m.id });
    expect(moved.body).toMatchObject({ parentId: a2, depth: 2, name: `${prefix} C2`, headUserId: m.id });
    expect(await aclVersion()).toBeGreaterThan(before);
    const [upd] = await auditOf('department.update', c);
    expect(upd.changes).toEqual({ parentId: { from: null, to: a2 }, name: { from: `${prefix} C`, to: `${prefix} C2` }, headUserId: { from: null, to: m.id } });

    // Sub-departments, for the access layer.
    const depts = api.app.get(DepartmentsService);
    const ws = (await api.admin.get('/api/auth/me')).body.workspace.id;
    expect((await depts.descendantsOf(ws, [a])).sort()).toEqual([a, a2, b, c].sort());
    expect((await depts.descendantsOf(ws, [b, 'other-workspace-id'])).sort()).toEqual([b]);
    expect((await depts.descendantsOf(ws, [a2], await aclVersion())).sort()).toEqual([a2, c].sort());

    // Members: PUT the full list; a member may be in several departments.
    expect((await api.admin.request('PUT', `/api/departments/${b}/members`, { userIds: [m.id] })).body).toMatchObject({ memberIds: [m.id], memberCount: 1 });
    expect((await api.admin.request('PUT', `/api/departments/${c}/members`, { userIds: [m.id] })).status).toBe(200);
    expect((await api.admin.get(`/api/members/${m.id}`)).body.departments.map((d: any) => d.id).sort()).toEqual([b, c].sort());
    expectProblem(await api.admin.request('PUT', `/api/departments/${b}/members`, { userIds: ['nobody'] }), 400, 'VALIDATION_FAILED');
    const org = api.app.get(OrgRepository);
    expect((await org.membershipsOf(ws, m.id)).departmentIds.sort()).toEqual([b, c].sort());

    // Deleting: refused while it has sub-departments or members.
    const withChild = expectProblem(await api.admin.delete(`/api/departments/${a2}`), 409, 'DEPARTMENT_NOT_EMPTY');
    expect(withChild).toMatchObject({ childCount: 1, memberCount: 0 });
    expect(expectProblem(await api.admin.delete(`/api/departments/${c}`), 409, 'DEPARTMENT_NOT_EMPTY')).toMatchObject({ childCount: 0, memberCount: 1 });
    expect((await api.admin.request('PUT', `/api/departments/${c}/members`, { userIds: [] })).body.memberIds).toEqual([]);
    expect((await api.admin.delete(`/api/departments/${c}`)).status).toBe(204);
    expectProblem(await api.admin.get(`/api/departments/${c}`), 404, 'DEPARTMENT_NOT_FOUND');
    expect((await api.admin.delete(`/api/departments/${a2}`)).status).toBe(204);
    expect(mine((await api.admin.get('/api/departments')).body.items)).toEqual([
      ['A', 0, 1],
      ['B', 1, 0],
    ]);
    const actions = (await auditOf('department.')).filter((e) => [a, b, c, a2].includes(e.targetId)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['department.create', 'department.update', 'department.members', 'department.delete']));
  });
});

describe('roles and app admins', () => {
  it('roles: create, unique names, rename, members, delete', async () => {
    const m1 = await member();
    const m2 = await member();
    const name = unique('Support ');
    const role = await api.admin.post('/api/roles', { name, userIds: [m1.id] });
    expect(role.status).toBe(201);
    expect(role.body).toMatchObject({ name, memberIds: [m1.id], memberCount: 1 });
    expectProblem(await api.admin.post('/api/roles', { name: name.toUpperCase() }), 409, 'DUPLICATE_NAME');
    expect((await api.admin.patch(`/api/roles/${role.body.id}`, { name: `${name} L2` })).body.name).toBe(`${name} L2`);
    const second = (await api.admin.post('/api/roles', { name: unique('Other ') })).body;
    expect((await api.admin.request('PUT', `/api/roles/${role.body.id}/members`, { userIds: [m1.id, m2.id] })).body.memberIds.sort()).toEqual(
      [m1.id, m2.id].sort(),
    );
    expect((await api.admin.request('PUT', `/api/roles/${second.id}/members`, { userIds: [m1.id] })).status).toBe(200);
    const got = (await api.admin.get(`/api/members/${m1.id}`)).body;
    expect(got.roles.map((r: any) => r.id).sort()).toEqual([role.body.id, second.id].sort());
    const ws = (await api.admin.get('/api/auth/me')).body.workspace.id;
    expect((await api.app.get(OrgRepository).membershipsOf(ws, m1.id)).roleIds.sort()).toEqual([role.body.id, second.id].sort());
    expect((await api.admin.get('/api/roles')).body.items.find((r: any) => r.id === role.body.id)).toMatchObject({ memberCount: 2 });
    expect((await api.admin.delete(`/api/roles/${role.body.id}`)).status).toBe(204);
    expectProblem(await api.admin.get(`/api/roles/${role.body.id}`), 404, 'ROLE_NOT_FOUND');
    expect((await api.admin.get(`/api/members/${m1.id}`)).body.roles.map((r: any) => r.id)).toEqual([second.id]);
    const actions = (await auditOf('role.', role.body.id)).map((e) => e.action);
    expect(actions).toEqual(['role.delete', 'role.members', 'role.update', 'role.create']);
  });

  it('app admins: PUT the list, GET it; the access layer reads them with the memberships', async () => {
    const m = await member();
    const app = (await api.admin.post('/api/apps', { key: unique('app_'), name: 'Admins app' })).body;
    const res = await api.admin.request('PUT', `/api/apps/${app.id}/admins`, { userIds: [m.id] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ appId: app.id, admins: [{ id: m.id }] });
    expect((await m.client.get(`/api/apps/${app.id}/admins`)).body.admins.map((a: any) => a.id)).toEqual([m.id]);
    const org = api.app.get(OrgRepository);
    const ws = (await api.admin.get('/api/auth/me')).body.workspace.id;
    expect((await org.membershipsOf(ws, m.id)).adminAppIds).toEqual([app.id]);
    // The app says who may design it, so the web app shows its admin menus to its admins.
    expect((await m.client.get(`/api/apps/${app.id}`)).body.canDesign).toBe(true);
    expect((await m.client.get('/api/apps')).body.items.find((a: any) => a.id === app.id)?.canDesign).toBe(true);
    expect((await api.admin.get(`/api/apps/${app.id}`)).body.canDesign).toBe(true);
    expectProblem(await api.admin.request('PUT', `/api/apps/${app.id}/admins`, { userIds: ['ghost'] }), 400, 'VALIDATION_FAILED');
    expectProblem(await api.admin.request('PUT', '/api/apps/00000000-0000-0000-0000-000000000000/admins', { userIds: [] }), 404, 'APP_NOT_FOUND');
    expect((await api.admin.request('PUT', `/api/apps/${app.id}/admins`, { userIds: [] })).body.admins).toEqual([]);
    expect((await org.membershipsOf(ws, m.id)).adminAppIds).toEqual([]);
    expect((await m.client.get('/api/apps')).body.items.find((a: any) => a.id === app.id)).toBeUndefined();
    const entries = await auditOf('app_admins.update', app.id);
    expect(entries.map((e) => e.changes.userIds)).toEqual([
      { from: [m.id], to: [] },
      { from: [], to: [m.id] },
    ]);
  });
});

describe('a member who is not an admin', () => {
  it('gets 403 on every org write and cannot widen their own access; nothing changes', async () => {
    const dept = (await api.admin.post('/api/departments', { name: unique('Locked ') })).body;
    const role = (await api.admin.post('/api/roles', { name: unique('Locked ') })).body;
    const app = (await api.admin.post('/api/apps', { key: unique('lock_'), name: 'Locked app' })).body;
    const m = await member();
    const snapshot = async () => ({
      members: (await api.admin.get('/api/members')).body,
      departments: (await api.admin.get('/api/departments')).body,
      roles: (await api.admin.get('/api/roles')).body,
      appAdmins: (await api.admin.get(`/api/apps/${app.id}/admins`)).body,
      tokens: await db.query('SELECT id FROM user_tokens ORDER BY id'),
      sessions: Number((await db.query<{ c: number }>('SELECT COUNT(*) AS c FROM sessions'))[0].c),
      acl: await aclVersion(),
    });
    const before = await snapshot();
    const auditBefore = (await api.admin.get('/api/audit?limit=1')).body.items[0].id;
    const attempts: [string, string, unknown][] = [
      ['PATCH', `/api/members/${m.id}`, { isAdmin: true }],
      ['PATCH', `/api/members/${m.id}`, { roleIds: [role.id] }],
      ['PATCH', `/api/members/${m.id}`, { departmentIds: [dept.id] }],
      ['PATCH', `/api/members/${m.id}`, { status: 'disabled' }],
      ['PATCH', `/api/members/${m.id}`, { name: 'Self-named' }],
      ['PATCH', `/api/members/${await adminId()}`, { status: 'disabled' }],
      ['POST', '/api/members', { email: `${unique('x')}@example.com`, name: 'Sneaky', password: PASSWORD, isAdmin: true }],
      ['POST', `/api/members/${m.id}/reset-password`, { password: 'taken-over-1' }],
      ['POST', `/api/members/${await adminId()}/reset-password`, {}],
      ['POST', '/api/departments', { name: 'Mine' }],
      ['PATCH', `/api/departments/${dept.id}`, { name: 'Mine now' }],
      ['PUT', `/api/departments/${dept.id}/members`, { userIds: [m.id] }],
      ['DELETE', `/api/departments/${dept.id}`, undefined],
      ['POST', '/api/roles', { name: 'Mine', userIds: [m.id] }],
      ['PATCH', `/api/roles/${role.id}`, { name: 'Mine now' }],
      ['PUT', `/api/roles/${role.id}/members`, { userIds: [m.id] }],
      ['DELETE', `/api/roles/${role.id}`, undefined],
      ['PUT', `/api/apps/${app.id}/admins`, { userIds: [m.id] }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await m.client.request(method, path, body);
      expect({ route: `${method} ${path} ${JSON.stringify(body)}`, status: res.status, code: res.body?.code }).toEqual({
        route: `${method} ${path} ${JSON.stringify(body)}`,
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    // Nor through an API token of their own.
    const tok = await m.client.post('/api/tokens', { name: 'escalate' });
    const bearer = api.client();
    bearer.bearer = tok.body.token;
    expectProblem(await bearer.patch(`/api/members/${m.id}`, { isAdmin: true }), 403, 'FORBIDDEN');
    await m.client.delete(`/api/tokens/${tok.body.id}`);
    const after = await snapshot();
    expect(after).toEqual(before);
    expect((await api.admin.get(`/api/members/${m.id}`)).body).toMatchObject({ isAdmin: false, status: 'active', roles: [], departments: [] });
    const writes = (await api.admin.get(`/api/audit?actorId=${m.id}&limit=100`)).body.items.filter(
      (e: any) => e.id > auditBefore && !e.action.startsWith('token.'),
    );
    expect(writes.map((e: any) => e.action)).toEqual([]);
  });

  it('an admin token narrowed to apps cannot manage the workspace', async () => {
    const app = (await api.admin.post('/api/apps', { key: unique('nar_'), name: 'Narrow' })).body;
    const tok = await api.admin.post('/api/tokens', { name: 'narrow admin', appIds: [app.id] });
    const bearer = api.client();
    bearer.bearer = tok.body.token;
    expectProblem(await bearer.post('/api/roles', { name: unique('Nope ') }), 403, 'FORBIDDEN');
    expectProblem(await bearer.request('PUT', `/api/apps/${app.id}/admins`, { userIds: [] }), 403, 'FORBIDDEN');
    await api.admin.delete(`/api/tokens/${tok.body.id}`);
  });
});

describe('audit of membership changes', () => {
  it('GET /api/audit?action=member. lists invites, updates, disables and resets with request ids', async () => {
    const m = await member();
    await api.admin.patch(`/api/members/${m.id}`, { name: 'Audited' });
    await api.admin.patch(`/api/members/${m.id}`, { status: 'disabled' });
    await api.admin.patch(`/api/members/${m.id}`, { status: 'active' });
    await api.admin.post(`/api/members/${m.id}/reset-password`, {});
    const items = await auditOf('member.', m.id);
    expect(items.map((e) => e.action)).toEqual(['member.reset_password', 'member.enable', 'member.disable', 'member.update', 'member.invite']);
    const invite = items[items.length - 1];
    expect(invite.changes).toMatchObject({
      email: { from: null, to: m.email },
      status: { from: null, to: 'active' },
      isAdmin: { from: null, to: false },
      via: 'password',
    });
    for (const e of items) expect(e).toMatchObject({ actorKind: 'user', targetType: 'member', requestId: expect.any(String), ip: expect.any(String) });
    expectProblem(await m.client.get('/api/audit?action=member.'), 401, 'UNAUTHENTICATED'); // reset ended the session
  });
});
