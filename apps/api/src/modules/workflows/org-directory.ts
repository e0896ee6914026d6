import type { AssigneeResolver, AssigneeRule } from '@crm/workflow';
import { Injectable } from '@nestjs/common';
import { BoundedCache } from '../../common/bounded-cache';
import { WorkflowOrgRepository, type OrgSnapshotRows } from './workflow-org.repository';

/** The organisation of one workspace at one ACL version, indexed for assignee rules. */
export class OrgSnapshot {
  readonly members: Set<string>;
  readonly admins: string[];
  private readonly roles = new Map<string, string[]>();
  private readonly depts = new Map<string, { parent: string | null; head: string | null; members: string[] }>();
  private readonly children = new Map<string, string[]>();
  /** Each member's first department (by department name, then id): the one "head n levels up" starts from. */
  private readonly homeDept = new Map<string, string>();

  constructor(readonly rows: OrgSnapshotRows) {
    this.members = new Set(rows.members.map((m) => m.id));
    this.admins = rows.members.filter((m) => Number(m.is_admin) === 1).map((m) => m.id);
    for (const r of rows.roles) if (this.members.has(r.user_id)) this.list(this.roles, r.role_id).push(r.user_id);
    for (const d of rows.departments) {
      this.depts.set(d.id, { parent: d.parent_id, head: d.head_user_id, members: [] });
      if (d.parent_id) this.list(this.children, d.parent_id).push(d.id);
    }
    const order = new Map(rows.departments.map((d, i) => [d.id, i]));
    for (const m of rows.departmentMembers) {
      if (!this.members.has(m.user_id)) continue;
      this.depts.get(m.department_id)?.members.push(m.user_id);
      const cur = this.homeDept.get(m.user_id);
      if (cur === undefined || (order.get(m.department_id) ?? 0) < (order.get(cur) ?? 0)) this.homeDept.set(m.user_id, m.department_id);
    }
  }

  private list(map: Map<string, string[]>, key: string): string[] {
    let l = map.get(key);
    if (!l) map.set(key, (l = []));
    return l;
  }

  private deptMembers(id: string, withChildren: boolean, seen = new Set<string>()): string[] {
    if (seen.has(id)) return [];
    seen.add(id);
    const own = this.depts.get(id)?.members ?? [];
    if (!withChildren) return own;
    return [...own, ...(this.children.get(id) ?? []).flatMap((c) => this.deptMembers(c, true, seen))];
  }

  /**
   * The head of the submitter's department `levels` up. A submitter who heads their own
   * department goes one level further (a head does not approve their own submission).
   */
  headOf(submitterId: string, levels: number): string | null {
    let dept = this.homeDept.get(submitterId) ?? null;
    if (dept && this.depts.get(dept)?.head === submitterId) dept = this.depts.get(dept)?.parent ?? null;
    for (let i = 1; i < levels && dept; i++) dept = this.depts.get(dept)?.parent ?? null;
    const head = dept ? this.depts.get(dept)?.head : null;
    return head && this.members.has(head) ? head : null;
  }

  one(rule: AssigneeRule, submitterId: string, record: Readonly<Record<string, unknown>>): string[] {
    switch (rule.kind) {
      case 'members':
        return rule.ids.filter((id) => this.members.has(id));
      case 'roles':
        return rule.ids.flatMap((id) => this.roles.get(id) ?? []);
      case 'departments':
        return rule.ids.flatMap((id) => this.deptMembers(id, rule.includeChildren === true));
      case 'submitter':
        return this.members.has(submitterId) ? [submitterId] : [];
      case 'memberField': {
        const v = record[rule.field];
        const list = Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];
        return list
          .map((x) => (typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : x))
          .filter((x): x is string => typeof x === 'string' && this.members.has(x));
      }
      case 'submitterHead': {
        const head = this.headOf(submitterId, rule.levels);
        return head ? [head] : [];
      }
    }
  }

  /** An AssigneeResolver for the engine; `workflowAdmins` are the workspace admins plus the entity's app admins. */
  resolver(appAdmins: readonly string[] = []): AssigneeResolver {
    const admins = [...new Set([...this.admins, ...appAdmins.filter((a) => this.members.has(a))])];
    return {
      resolve: ({ rules, submitterId, record }) => [...new Set(rules.flatMap((r) => this.one(r, submitterId, record)))],
      workflowAdmins: () => [...admins],
      canResolve: (rule) => {
        if (rule.kind === 'members' || rule.kind === 'roles' || rule.kind === 'departments') return this.one(rule, '', {}).length > 0;
        if (rule.kind === 'submitterHead') return [...this.depts.values()].some((d) => d.head !== null);
        return true;
      },
    };
  }
}

/** Organisation snapshots per workspace, reloaded when the workspace's ACL version moves (every org change moves it). */
@Injectable()
export class OrgDirectory {
  private readonly cache = new BoundedCache<string, OrgSnapshot>(200);

  constructor(readonly repo: WorkflowOrgRepository) {}

  async snapshot(workspaceId: string): Promise<OrgSnapshot> {
    const version = (await this.repo.aclVersion(workspaceId)) ?? 0;
    const hit = this.cache.get(workspaceId);
    if (hit && hit.rows.aclVersion === version) return hit;
    const snap = new OrgSnapshot(await this.repo.snapshot(workspaceId, version));
    this.cache.set(workspaceId, snap);
    return snap;
  }
}
