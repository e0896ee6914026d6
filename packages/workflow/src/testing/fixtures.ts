import type { FilterField, ResolveField } from '@crm/rules';
import type { FieldTypeKey } from '@crm/schema';
import { defaultTaskSettings, type AssigneeRule, type TaskNodeSettings } from '../settings';
import type { AssigneeResolver } from '../resolver';
import type { EngineContext } from '../engine/run';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../types';

/** A small organisation for tests: members, roles, departments with heads, and the workflow admins. */
export interface Directory {
  members: string[];
  roles: Record<string, string[]>;
  departments: Record<string, { members: string[]; head?: string; parent?: string }>;
  admins: string[];
}

export const directory: Directory = {
  members: ['rep', 'rep2', 'manager', 'director', 'finance1', 'finance2', 'finance3', 'legal', 'admin'],
  roles: { finance: ['finance1', 'finance2', 'finance3'], empty: [] },
  departments: {
    sales: { members: ['rep', 'rep2', 'manager'], head: 'manager', parent: 'hq' },
    hq: { members: ['director'], head: 'director' },
    finance: { members: ['finance1', 'finance2', 'finance3'], head: 'finance1', parent: 'hq' },
  },
  admins: ['admin'],
};

/** An AssigneeResolver over a Directory (what the runtime implements over the org module's data). */
export function directoryResolver(dir: Directory = directory): AssigneeResolver {
  const deptOf = (member: string) => Object.entries(dir.departments).find(([, d]) => d.members.includes(member))?.[0];
  const one = (rule: AssigneeRule, submitterId: string, record: Readonly<Record<string, unknown>>): string[] => {
    switch (rule.kind) {
      case 'members':
        return rule.ids.filter((id) => dir.members.includes(id));
      case 'roles':
        return rule.ids.flatMap((id) => dir.roles[id] ?? []);
      case 'departments':
        return rule.ids.flatMap((id) => dir.departments[id]?.members ?? []);
      case 'submitter':
        return [submitterId];
      case 'memberField': {
        const v = record[rule.field];
        return (Array.isArray(v) ? v : v == null ? [] : [v]).filter((x): x is string => typeof x === 'string');
      }
      case 'submitterHead': {
        let dept = deptOf(submitterId);
        for (let i = 1; i < rule.levels && dept; i++) dept = dir.departments[dept].parent;
        const head = dept ? dir.departments[dept].head : undefined;
        return head ? [head] : [];
      }
    }
  };
  return {
    resolve: ({ rules, submitterId, record }) => [...new Set(rules.flatMap((r) => one(r, submitterId, record)))],
    workflowAdmins: () => [...dir.admins],
    canResolve: (rule) => (rule.kind === 'members' || rule.kind === 'roles' || rule.kind === 'departments' ? one(rule, '', {}).length > 0 : true),
  };
}

const FIELD_TYPES: Record<string, FieldTypeKey> = { amount: 'number', title: 'text', owner: 'member', due: 'date', customer: 'relation', status: 'select' };

/** Fields of the test record, as the rules package compiles conditions over them. */
export const resolveField: ResolveField = (key) => {
  const type = FIELD_TYPES[key];
  if (!type) return undefined;
  const valueKind = type === 'number' ? 'number' : type === 'date' ? 'date' : type === 'member' || type === 'relation' ? 'reference' : 'text';
  return {
    key,
    type,
    valueKind,
    operators: ['==', '!=', '<', '<=', '>', '>=', 'in', 'is_empty'],
    column: `r.f_${key}`,
    sortable: true,
  } as unknown as FilterField;
};

export function context(record: Record<string, unknown> = {}, dir?: Directory): EngineContext {
  return { record, resolver: directoryResolver(dir) };
}

export const node = (id: string, type: WorkflowNode['type'], settings?: Record<string, unknown>): WorkflowNode => ({
  id,
  type,
  ...(settings ? { settings } : {}),
});
export const edge = (from: string, to: string, extra: Partial<WorkflowEdge> = {}): WorkflowEdge => ({ id: `${from}->${to}`, from, to, ...extra });
export const task = (assignees: AssigneeRule[], extra: Partial<TaskNodeSettings> = {}): Record<string, unknown> =>
  ({ ...defaultTaskSettings(), assignees, ...extra }) as unknown as Record<string, unknown>;
export const members = (...ids: string[]): AssigneeRule[] => [{ kind: 'members', ids }];

/** start → a (approval) → end, with the approval's settings. */
export function linear(settings: Record<string, unknown>): WorkflowGraph {
  return {
    nodes: [node('start', 'start', { fields: {} }), node('a', 'approval', settings), node('end', 'end', { outcome: 'approved' })],
    edges: [edge('start', 'a'), edge('a', 'end')],
  };
}

/**
 * The contract approval of the docs: amount > 10000 goes to the manager then finance (all
 * must agree); otherwise the manager alone; then a set-fields action and the end.
 */
export function contractGraph(): WorkflowGraph {
  return {
    nodes: [
      node('start', 'start', { fields: {} }),
      node('branch', 'branch', {}),
      node('manager', 'approval', task([{ kind: 'submitterHead', levels: 1 }])),
      node('finance', 'approval', task([{ kind: 'roles', ids: ['finance'] }], { mode: 'all' })),
      node('small', 'approval', task([{ kind: 'submitterHead', levels: 1 }])),
      node('mark', 'action', { action: { kind: 'setFields', values: { status: 'approved' } }, onError: 'stop' }),
      node('end', 'end', { outcome: 'approved' }),
    ],
    edges: [
      edge('start', 'branch'),
      edge('branch', 'manager', { condition: { '>': [{ var: 'amount' }, 10000] } }),
      edge('branch', 'small', { isDefault: true }),
      edge('manager', 'finance'),
      edge('finance', 'mark'),
      edge('small', 'mark'),
      edge('mark', 'end'),
    ],
  };
}

/** start → split → (legal | finance) → join → manager → end: parallel review then a final approval. */
export function parallelGraph(): WorkflowGraph {
  return {
    nodes: [
      node('start', 'start', { fields: {} }),
      node('manager0', 'approval', task(members('manager'))),
      node('split', 'parallel', {}),
      node('legal', 'approval', task(members('legal'))),
      node('fin', 'approval', task(members('finance1'))),
      node('fin2', 'approval', task(members('finance2'))),
      node('join', 'join', { split: 'split' }),
      node('director', 'approval', task(members('director'))),
      node('end', 'end', { outcome: 'approved' }),
    ],
    edges: [
      edge('start', 'manager0'),
      edge('manager0', 'split'),
      edge('split', 'legal'),
      edge('split', 'fin'),
      edge('fin', 'fin2'),
      edge('legal', 'join'),
      edge('fin2', 'join'),
      edge('join', 'director'),
      edge('director', 'end'),
    ],
  };
}
