import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { apiRequestOrThrow } from './client';
import type { Directory } from '../workflow-nodes/node-type-ui';

interface Items<T> {
  items: T[];
}

// The org lists the assignee pickers offer. These become the shared org hooks once those are on main.
const get =
  <T>(path: string) =>
  (signal: AbortSignal) =>
    apiRequestOrThrow<Items<T>>(path, { signal }).then((r) => r.items);

/** Members, roles and departments for the assignee pickers; empty lists while they load or when one fails. */
export function useDirectory(): Directory {
  const members = useQuery({ queryKey: ['org', 'members'], queryFn: ({ signal }) => get<Directory['members'][number]>('/members')(signal), staleTime: 60_000 });
  const roles = useQuery({ queryKey: ['org', 'roles'], queryFn: ({ signal }) => get<Directory['roles'][number]>('/roles')(signal), staleTime: 60_000 });
  const departments = useQuery({
    queryKey: ['org', 'departments'],
    queryFn: ({ signal }) => get<Directory['departments'][number]>('/departments')(signal),
    staleTime: 60_000,
  });
  return useMemo(
    () => ({ members: members.data ?? [], roles: roles.data ?? [], departments: departments.data ?? [] }),
    [members.data, roles.data, departments.data],
  );
}
