import { useDepartments, useMembers } from '../../features/org/api/org.queries';
import type { CellRenderer } from './cells';
import { namesOf } from './directory';

/** Members by name (the directory every member may read); an unknown id shows as itself. */
export const MemberCell: CellRenderer = ({ value }) => <MemberNames value={value} />;

export const DepartmentCell: CellRenderer = ({ value }) => <DepartmentNames value={value} />;

function MemberNames({ value }: { value: unknown }) {
  const members = useMembers();
  return <>{namesOf({ value, list: members.data ?? [] }).join(', ')}</>;
}

function DepartmentNames({ value }: { value: unknown }) {
  const departments = useDepartments();
  return <>{namesOf({ value, list: departments.data ?? [] }).join(', ')}</>;
}
