import { useMemo } from 'react';
import { useDepartments, useMembers, useRoles } from '../features/org/api/org.queries';
import type { Directory } from '../workflow-nodes/node-type-ui';

/** Members, roles and departments for the workflow pickers (the shared org lists); empty while they load or when one fails. */
export function useDirectory(): Directory {
  const members = useMembers();
  const roles = useRoles();
  const departments = useDepartments();
  return useMemo(
    () => ({ members: members.data ?? [], roles: roles.data ?? [], departments: departments.data ?? [] }),
    [members.data, roles.data, departments.data],
  );
}
