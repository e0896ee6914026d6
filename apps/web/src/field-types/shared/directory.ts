/** A member as the directory answers (only what the pickers read). */
export interface DirectoryMember {
  id: string;
  name: string;
  email?: string | null;
  username?: string | null;
  status?: string;
}

/** A department of the flat, tree-ordered list (GET /api/departments). */
export interface DirectoryDepartment {
  id: string;
  name: string;
  parentId?: string | null;
}

export interface MemberOption {
  value: string;
  label: string;
  email?: string;
  search: string;
}

/** The ids of a value (one or a list), as strings. */
export function idsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined && v !== '').map(String);
  return value === null || value === undefined || value === '' ? [] : [String(value)];
}

/** What the Select holds: a list when several, else one id or nothing. */
export function directoryValue({ value, many }: { value: unknown; many: boolean }): string | string[] | undefined {
  const ids = idsOf(value);
  return many ? ids : ids[0];
}

/**
 * Options for the member picker: active members searchable by name, email and user name;
 * a value that is set but no longer listed (disabled, removed) keeps an option showing its id
 * so the picker never shows a bare id as if it were a name.
 */
export function memberOptions({ members, value }: { members: readonly DirectoryMember[]; value: unknown }): MemberOption[] {
  const set = new Set(idsOf(value));
  const out: MemberOption[] = members
    .filter((m) => m.status !== 'disabled' || set.has(m.id))
    .map((m) => ({
      value: m.id,
      label: m.name,
      email: m.email ?? undefined,
      search: [m.name, m.email, m.username].filter(Boolean).join(' ').toLowerCase(),
    }));
  const known = new Set(out.map((o) => o.value));
  for (const id of set) if (!known.has(id)) out.push({ value: id, label: id, search: id });
  return out;
}

export interface DepartmentNode {
  value: string;
  title: string;
  children: DepartmentNode[];
}

/** The flat list as a tree for antd's TreeSelect (parents before children, any order tolerated). */
export function departmentTree(departments: readonly DirectoryDepartment[]): DepartmentNode[] {
  const byId = new Map<string, DepartmentNode>();
  for (const d of departments) byId.set(d.id, { value: d.id, title: d.name, children: [] });
  const roots: DepartmentNode[] = [];
  for (const d of departments) {
    const node = byId.get(d.id)!;
    const parent = d.parentId ? byId.get(d.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Names of the ids (for cells), the id itself when unknown. */
export function namesOf({ value, list }: { value: unknown; list: readonly { id: string; name: string }[] }): string[] {
  const byId = new Map(list.map((x) => [x.id, x.name]));
  return idsOf(value).map((id) => byId.get(id) ?? id);
}
