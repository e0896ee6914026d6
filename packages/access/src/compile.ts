import type { Action, PermissionGroup, Scope, ScopeTerm, Subject } from './types';

export type FieldSet = ReadonlySet<string> | 'all';

/** The answer to "what may this subject do to this entity", computed once per versions. */
export interface CompiledAccess {
  readonly isAdmin: boolean;
  can(action: Action): boolean;
  /** Which records the action reaches: null (none), 'all', or any of the terms. */
  scope(action: Action): Scope;
  /** Fields whose values the subject may read (union over groups that grant `view`). */
  readonly readable: FieldSet;
  /** Fields the subject may write with the action (union over groups that grant it). */
  writable(action: Action): FieldSet;
}

/** Groups that name the subject directly, by one of its departments, or by one of its roles. */
export function groupsForSubject({ groups, subject }: { groups: readonly PermissionGroup[]; subject: Subject }): PermissionGroup[] {
  const depts = new Set(subject.departmentIds);
  const roles = new Set(subject.roleIds);
  return groups.filter((g) => g.members.includes(subject.userId) || g.departments.some((d) => depts.has(d)) || g.roles.some((r) => roles.has(r)));
}

function termOf(g: PermissionGroup): ScopeTerm | 'all' {
  switch (g.rowScope.kind) {
    case 'all':
      return 'all';
    case 'own':
      return { kind: 'own' };
    case 'department':
      return { kind: 'department' };
    case 'condition':
      return { kind: 'condition', condition: g.rowScope.condition };
  }
}

const ALL: CompiledAccess = {
  isAdmin: true,
  can: () => true,
  scope: () => 'all',
  readable: 'all',
  writable: () => 'all',
};

/**
 * Unions the subject's groups: an action is allowed when any group grants it, and reaches the
 * records any of those groups' scopes reach; fields are readable (writable) when any group
 * granting view (the write action) shows (lets edit) them. Admins get everything.
 */
export function compileAccess({
  groups,
  subject,
  fieldKeys,
}: {
  groups: readonly PermissionGroup[];
  subject: Subject;
  fieldKeys: readonly string[];
}): CompiledAccess {
  if (subject.isAdmin) return ALL;
  const mine = groupsForSubject({ groups, subject });
  const scopes = new Map<Action, Scope>();
  const writable = new Map<Action, Set<string>>();
  const readable = new Set<string>();
  for (const g of mine) {
    const term = termOf(g);
    for (const action of g.actions) {
      const prev = scopes.get(action) ?? null;
      if (prev === 'all' || term === 'all') scopes.set(action, 'all');
      else scopes.set(action, dedupe([...(prev ?? []), term]));
      const w = writable.get(action) ?? new Set<string>();
      for (const k of fieldKeys) if (g.fields[k]?.editable ?? true) w.add(k);
      writable.set(action, w);
    }
    if (g.actions.includes('view')) for (const k of fieldKeys) if (g.fields[k]?.visible ?? true) readable.add(k);
  }
  return {
    isAdmin: false,
    can: (a) => scopes.has(a),
    scope: (a) => scopes.get(a) ?? null,
    readable,
    writable: (a) => writable.get(a) ?? new Set<string>(),
  };
}

function dedupe(terms: ScopeTerm[]): ScopeTerm[] {
  const seen = new Set<string>();
  return terms.filter((t) => {
    const k = JSON.stringify(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Variables a scope condition may use as values; the server resolves them per request. */
export const SCOPE_VARIABLES = ['$user', '$user_departments', '$today', '$now'] as const;
export type ScopeVariable = (typeof SCOPE_VARIABLES)[number];

/** Replaces variable tokens (string values equal to `$user`, …) with their values; returns a copy. */
export function substituteVariables({ condition, values }: { condition: unknown; values: Record<ScopeVariable, unknown> }): unknown {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string' && (SCOPE_VARIABLES as readonly string[]).includes(node)) return values[node as ScopeVariable];
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v);
      return out;
    }
    return node;
  };
  return walk(condition);
}
