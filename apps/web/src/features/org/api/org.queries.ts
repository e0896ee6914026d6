import type { Schema } from '@crm/api-client';
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import { api, callOrThrow } from '../../../api/typed-client';

export type Member = Schema<'Member'>;
export type Department = Schema<'Department'>;
export type Role = Schema<'Role'>;

/** Members of the workspace (every signed-in member may list them: pickers use it). */
export function useMembers() {
  return useQuery({
    queryKey: queryKeys.members(),
    queryFn: async ({ signal }) => (await callOrThrow(api.GET('/api/members', { signal }))).items,
  });
}

/**
 * The member pickers' search: active members whose name, email or user name contains `q`, first
 * 20 by name, searched on the server (GET /api/members?q=), so a big workspace never lists whole.
 */
export function useMemberSearch(q: string) {
  return useQuery({
    queryKey: [...queryKeys.members(), 'search', q],
    queryFn: async ({ signal }) =>
      (await callOrThrow(api.GET('/api/members', { params: { query: { q: q.slice(0, 100), status: 'active', limit: 20 } }, signal }))).items,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** The members with these ids, one request each (a picker's current value: a few ids), for their names. */
export function useMembersById(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: [...queryKeys.members(), 'one', id],
      queryFn: async ({ signal }: { signal: AbortSignal }) => callOrThrow(api.GET('/api/members/{id}', { params: { path: { id } }, signal })),
      staleTime: 60_000,
      retry: false,
    })),
  });
}

export function useDepartments() {
  return useQuery({
    queryKey: queryKeys.departments(),
    queryFn: async ({ signal }) => (await callOrThrow(api.GET('/api/departments', { signal }))).items,
  });
}

export function useRoles() {
  return useQuery({
    queryKey: queryKeys.roles(),
    queryFn: async ({ signal }) => (await callOrThrow(api.GET('/api/roles', { signal }))).items,
  });
}

/** After any change to members, departments or roles: their lists (and counts) are stale together. */
export function useInvalidateOrg() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.org() });
}

/** A mutation that refreshes the organisation lists when it succeeds. */
export function useOrgMutation<I, O>(mutationFn: (input: I) => Promise<O>) {
  const invalidate = useInvalidateOrg();
  return useMutation({ mutationFn, onSuccess: () => invalidate() });
}

export interface DepartmentNode {
  department: Department;
  children: DepartmentNode[];
}

/** The flat department list as a tree, siblings by name. */
export function departmentTree(departments: readonly Department[]): DepartmentNode[] {
  const nodes = new Map(departments.map((d) => [d.id, { department: d, children: [] as DepartmentNode[] }]));
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.department.parentId ? nodes.get(node.department.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: DepartmentNode[]) => {
    list.sort((a, b) => a.department.name.localeCompare(b.department.name));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}
