import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import { bumpAclVersion } from '../auth/acl-version.repository';
import { AuditService } from '../audit/audit.service';
import { AccountService } from '../auth/account.service';
import { hashPassword, newPasswordProblem, randomPassword } from '../auth/password';
import { type MemberRow, MembersRepository, type MemberStatus, type MembershipRow } from './members.repository';
import { fieldDiff, idList, missingIdIssues, requireWorkspaceAdminOrThrow } from './org-rules';
import { OrgRepository } from './org.repository';

export interface MemberDto {
  id: string;
  email: string | null;
  username: string | null;
  name: string;
  isAdmin: boolean;
  status: MemberStatus;
  departments: { id: string; name: string }[];
  roles: { id: string; name: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface InviteResult {
  member: MemberDto;
  /** Only when invited without a password: shown once, never stored in clear. */
  inviteUrl: string | null;
  inviteExpiresAt: string | null;
}

export interface ResetResult {
  /** A one-use link (24 hours), or null when the admin set the password directly. */
  resetUrl: string | null;
  expiresAt: string | null;
  sessionsEnded: number;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** The fields of a member an audit diff compares. */
function snapshot(row: MemberRow, departmentIds: string[], roleIds: string[]): Record<string, unknown> {
  return { email: row.email, username: row.username, name: row.name, isAdmin: !!Number(row.is_admin), status: row.status, departmentIds, roleIds };
}

function groupBy(rows: MembershipRow[]): Map<string, { id: string; name: string }[]> {
  const out = new Map<string, { id: string; name: string }[]>();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), { id: r.id, name: r.name }]);
  return out;
}

@Injectable()
export class MembersService {
  constructor(
    private readonly repo: MembersRepository,
    private readonly org: OrgRepository,
    private readonly account: AccountService,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext): Promise<MemberDto[]> {
    const rows = await this.repo.list(ctx.actor.workspaceId);
    return this.toDtos(null, ctx.actor.workspaceId, rows, null);
  }

  /**
   * The directory searched on the server (the pickers): `q` in the name, email or user name,
   * `status`, a page of `limit` (default 50, at most 200) by name, `cursor` from the last page.
   * Without any of them the whole directory, as `list`.
   */
  async search(
    ctx: RequestContext,
    raw: { q?: unknown; status?: unknown; cursor?: unknown; limit?: unknown },
  ): Promise<{ items: MemberDto[]; nextCursor: string | null }> {
    if (raw.q === undefined && raw.status === undefined && raw.cursor === undefined && raw.limit === undefined)
      return { items: await this.list(ctx), nextCursor: null };
    const q = typeof raw.q === 'string' ? raw.q.trim() : '';
    if (raw.q !== undefined && typeof raw.q !== 'string') throw new AppError('INVALID_REQUEST', 'q must be text');
    if (q.length > 100) throw new AppError('INVALID_REQUEST', `q is at most 100 characters; this one has ${q.length}`);
    const status = raw.status === undefined || raw.status === '' ? null : String(raw.status);
    if (status !== null && !['active', 'invited', 'disabled'].includes(status))
      throw new AppError('INVALID_REQUEST', `status must be active, invited or disabled, not "${status.slice(0, 40)}"`);
    const limit = raw.limit === undefined || raw.limit === '' ? 50 : Number(raw.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new AppError('INVALID_REQUEST', 'limit must be a whole number from 1 to 200');
    const after = directoryCursorOrThrow(raw.cursor);
    const rows = await this.repo.search(ctx.actor.workspaceId, { q, status: status as MemberStatus | null, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = rows.length > limit ? page[page.length - 1] : null;
    return {
      items: await this.toDtos(
        null,
        ctx.actor.workspaceId,
        page,
        page.map((r) => r.id),
      ),
      nextCursor: last ? Buffer.from(JSON.stringify([last.name, last.id])).toString('base64url') : null,
    };
  }

  async getOrThrow(ctx: RequestContext, id: string): Promise<MemberDto> {
    const row = await this.repo.find(null, ctx.actor.workspaceId, id);
    if (!row) throw notFound('MEMBER_NOT_FOUND', `Member ${id.slice(0, 64)}`);
    return (await this.toDtos(null, ctx.actor.workspaceId, [row], [id]))[0];
  }

  /**
   * Adds a member by email and/or username. With a password the member is active at once;
   * without one they are 'invited' and the answer carries a one-use invite link (7 days).
   */
  async invite(ctx: RequestContext, body: unknown): Promise<InviteResult> {
    requireWorkspaceAdminOrThrow(ctx, 'invite members');
    const input = new InputChecker(body).only(['email', 'username', 'name', 'password', 'isAdmin', 'departmentIds', 'roleIds']);
    const email = input.string('email', { max: 255 })?.toLowerCase() || null;
    const username = input.string('username', { max: 64 })?.toLowerCase() || null;
    const name = input.string('name', { required: true, max: 200 });
    const isAdmin = input.boolean('isAdmin') ?? false;
    const departmentIds = idList(input, 'departmentIds') ?? [];
    const roleIds = idList(input, 'roleIds') ?? [];
    const password = input.raw('password');
    if (!email && !username) input.issues.push({ path: '/email', code: 'required', message: 'email or username is required' });
    if (email && !EMAIL.test(email)) input.issues.push({ path: '/email', code: 'invalid_format', message: 'email is not an email address' });
    if (username && !USERNAME.test(username)) {
      input.issues.push({
        path: '/username',
        code: 'invalid_format',
        message: 'username must be 2-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
      });
    }
    const problem = password === undefined || password === null ? null : newPasswordProblem(password);
    if (problem) input.issues.push({ path: '/password', ...problem, message: `password ${problem.message}` });
    input.doneOrThrow();

    const withPassword = typeof password === 'string';
    // Invited members get an unguessable hash, so a sign-in attempt costs the same as any other.
    const hash = await hashPassword(withPassword ? password : randomPassword() + randomPassword());
    const now = nowStorage();
    const row: MemberRow = {
      id: newId(),
      workspace_id: ctx.actor.workspaceId,
      email,
      username,
      name: name!,
      is_admin: isAdmin ? 1 : 0,
      status: withPassword ? 'active' : 'invited',
      created_at: now,
      updated_at: now,
    };
    const taken = async (exec: Executor | null) => {
      const t = await this.repo.loginTaken(exec, email, username);
      if (t.email || t.username) {
        const field = t.email ? 'email' : 'username';
        throw new AppError('MEMBER_EXISTS', `A member with this ${field} already exists`, { field });
      }
    };
    let link: { url: string; expiresAt: string } | null = null;
    try {
      await this.org.transaction(async (tx) => {
        await bumpAclVersion(tx, ctx.actor.workspaceId);
        await taken(tx);
        await this.refsExistOrThrow(tx, ctx.actor.workspaceId, { departmentIds, roleIds });
        await this.repo.insert(tx, { ...row, password_hash: hash });
        await this.repo.setDepartments(tx, row.id, departmentIds);
        await this.repo.setRoles(tx, row.id, roleIds);
        if (!withPassword) link = await this.account.issueLink(tx, row.id, 'invite');
        const changes = { ...fieldDiff({}, snapshot(row, departmentIds, roleIds)), via: withPassword ? 'password' : 'invite_link' };
        await this.audit.write(ctx, { action: 'member.invite', targetType: 'member', targetId: row.id, changes }, tx);
      });
    } catch (err) {
      if (err instanceof AppError) throw err;
      await taken(null); // a concurrent invite took the email or username
      throw err;
    }
    const issued = link as { url: string; expiresAt: string } | null;
    return { member: await this.getOrThrow(ctx, row.id), inviteUrl: issued?.url ?? null, inviteExpiresAt: issued?.expiresAt ?? null };
  }

  /**
   * Name, admin flag, departments, roles, status (active/disabled). Admins only; an admin
   * cannot demote or disable themselves, and the workspace always keeps an active admin.
   * Disabling ends the member's sessions at once; their API tokens stop on the next request.
   */
  async update(ctx: RequestContext, id: string, body: unknown): Promise<MemberDto> {
    requireWorkspaceAdminOrThrow(ctx, 'change members');
    const input = new InputChecker(body).only(['name', 'isAdmin', 'departmentIds', 'roleIds', 'status']);
    const name = input.string('name', { max: 200, min: 1 });
    const isAdmin = input.boolean('isAdmin');
    const departmentIds = idList(input, 'departmentIds');
    const roleIds = idList(input, 'roleIds');
    const status = input.string('status');
    if (status !== undefined && status !== 'active' && status !== 'disabled')
      input.issues.push({ path: '/status', code: 'invalid_value', message: 'status must be "active" or "disabled"' });
    input.doneOrThrow();
    const ws = ctx.actor.workspaceId;
    await this.org.transaction(async (tx) => {
      await bumpAclVersion(tx, ws);
      const before = await this.repo.find(tx, ws, id);
      if (!before) throw notFound('MEMBER_NOT_FOUND', `Member ${id.slice(0, 64)}`);
      if (id === ctx.actor.userId && ((isAdmin === false && Number(before.is_admin)) || (status === 'disabled' && before.status !== 'disabled'))) {
        throw new AppError('ADMIN_REQUIRED', 'You cannot remove your own admin rights or disable yourself; another admin can');
      }
      if (status === 'active' && before.status === 'invited') {
        throw new AppError(
          'MEMBER_STATUS_CONFLICT',
          'An invited member becomes active by accepting the invite, or when an admin sets a password (reset-password)',
        );
      }
      await this.refsExistOrThrow(tx, ws, { departmentIds, roleIds });
      const m = await this.repo.memberships(tx, ws, [id]);
      const beforeSnap = snapshot(
        before,
        m.departments.map((d) => d.id),
        m.roles.map((r) => r.id),
      );
      const newStatus = status === undefined || status === before.status ? undefined : (status as MemberStatus);
      await this.repo.update(tx, id, { name, is_admin: isAdmin === undefined ? undefined : isAdmin ? 1 : 0, status: newStatus }, nowStorage());
      if (departmentIds) await this.repo.setDepartments(tx, id, departmentIds);
      if (roleIds) await this.repo.setRoles(tx, id, roleIds);
      const after = (await this.repo.find(tx, ws, id))!;
      const changes: Record<string, unknown> = fieldDiff(
        beforeSnap,
        snapshot(after, departmentIds ?? (beforeSnap.departmentIds as string[]), roleIds ?? (beforeSnap.roleIds as string[])),
      );
      if (!Object.keys(changes).length) return;
      if ((await this.repo.activeAdminCount(tx, ws)) === 0) throw new AppError('ADMIN_REQUIRED', 'The workspace must keep at least one active admin');
      if (newStatus === 'disabled') changes.sessionsEnded = await this.account.cutOff(tx, id);
      const action = newStatus === 'disabled' ? 'member.disable' : newStatus === 'active' ? 'member.enable' : 'member.update';
      await this.audit.write(ctx, { action, targetType: 'member', targetId: id, changes }, tx);
    });
    return this.getOrThrow(ctx, id);
  }

  /**
   * Sets the given password, or issues a one-use reset link (24 hours). Either way the
   * member's sessions end and earlier links stop working.
   */
  async resetPassword(ctx: RequestContext, id: string, body: unknown): Promise<ResetResult> {
    requireWorkspaceAdminOrThrow(ctx, 'reset passwords');
    const input = new InputChecker(body ?? {}).only(['password']);
    const password = input.raw('password');
    const problem = password === undefined || password === null ? null : newPasswordProblem(password);
    if (problem) input.issues.push({ path: '/password', ...problem, message: `password ${problem.message}` });
    input.doneOrThrow();
    const hash = typeof password === 'string' ? await hashPassword(password) : null;
    const ws = ctx.actor.workspaceId;
    return this.org.transaction(async (tx) => {
      await bumpAclVersion(tx, ws);
      const member = await this.repo.find(tx, ws, id);
      if (!member) throw notFound('MEMBER_NOT_FOUND', `Member ${id.slice(0, 64)}`);
      if (member.status === 'disabled') throw new AppError('MEMBER_STATUS_CONFLICT', 'The member is disabled: enable them first');
      let result: ResetResult;
      const changes: Record<string, unknown> = {};
      if (hash) {
        const status: MemberStatus = member.status === 'invited' ? 'active' : member.status;
        if (status !== member.status) changes.status = { from: member.status, to: status };
        result = { resetUrl: null, expiresAt: null, sessionsEnded: await this.account.setPassword(tx, id, hash, status) };
        changes.password = { from: '(hidden)', to: '(hidden)' };
      } else {
        const sessionsEnded = await this.account.cutOff(tx, id);
        const link = await this.account.issueLink(tx, id, 'reset');
        result = { resetUrl: link.url, expiresAt: link.expiresAt, sessionsEnded };
        changes.resetLinkExpiresAt = { from: null, to: link.expiresAt };
      }
      changes.sessionsEnded = result.sessionsEnded;
      await this.audit.write(
        ctx,
        { action: 'member.reset_password', targetType: 'member', targetId: id, changes: { method: hash ? 'password' : 'link', ...changes } },
        tx,
      );
      return result;
    });
  }

  private async refsExistOrThrow(tx: Executor, workspaceId: string, refs: { departmentIds?: string[]; roleIds?: string[] }): Promise<void> {
    const issues = [
      ...missingIdIssues('departmentIds', refs.departmentIds, await this.org.existing(tx, 'departments', workspaceId, refs.departmentIds ?? []), 'Department'),
      ...missingIdIssues('roleIds', refs.roleIds, await this.org.existing(tx, 'roles', workspaceId, refs.roleIds ?? []), 'Role'),
    ];
    if (issues.length) throw new AppError('VALIDATION_FAILED', `${issues.length} unknown id(s): ${issues.map((i) => i.path).join(', ')}`, { errors: issues });
  }

  private async toDtos(exec: Executor | null, workspaceId: string, rows: MemberRow[], ids: string[] | null): Promise<MemberDto[]> {
    const m = await this.repo.memberships(exec, workspaceId, ids);
    const depts = groupBy(m.departments);
    const roles = groupBy(m.roles);
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      username: r.username,
      name: r.name,
      isAdmin: !!Number(r.is_admin),
      status: r.status,
      departments: depts.get(r.id) ?? [],
      roles: roles.get(r.id) ?? [],
      createdAt: storageToIso(r.created_at)!,
      updatedAt: storageToIso(r.updated_at)!,
    }));
  }
}

function directoryCursorOrThrow(raw: unknown): { name: string; id: string } | null {
  if (raw === undefined || raw === '') return null;
  try {
    const [name, id] = JSON.parse(Buffer.from(String(raw), 'base64url').toString()) as unknown[];
    if (typeof name === 'string' && typeof id === 'string') return { name, id };
  } catch {
    // answered below
  }
  throw new AppError('INVALID_CURSOR', 'cursor must be one from a previous page');
}
