import type { WorkflowGraph } from '@crm/workflow';

/** Settings of an approval node with the defaults the tests need. */
export function approval(assignees: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    assignees,
    mode: 'any',
    fields: {},
    withdraw: 'anyNode',
    whenNobody: 'admins',
    allowReturn: true,
    allowTransfer: true,
    allowAddApprover: true,
    requireSignature: false,
    ...extra,
  };
}

export const startNode = { id: 'start', type: 'start', settings: { fields: {} } } as const;
export const endNode = { id: 'end', type: 'end', settings: { outcome: 'approved' } } as const;
export const edge = (from: string, to: string, extra: Record<string, unknown> = {}) => ({ id: `${from}-${to}`, from, to, ...extra });

/** start → one approval node → end. */
export function oneStep(settings: Record<string, unknown>): WorkflowGraph {
  return {
    nodes: [startNode, { id: 'a', type: 'approval', name: 'Approve', settings }, endNode],
    edges: [edge('start', 'a'), edge('a', 'end')],
  } as WorkflowGraph;
}

/** The contract approval: amount > threshold → manager then finance (all), else manager; then mark the record approved. */
export function contractGraph(args: { managerRule: unknown; financeRole: string; threshold?: number; markField?: string }): WorkflowGraph {
  const mark = args.markField ?? 'stage';
  return {
    nodes: [
      startNode,
      { id: 'branch', type: 'branch', name: 'Amount', settings: {} },
      { id: 'manager', type: 'approval', name: 'Manager', settings: approval([args.managerRule]) },
      { id: 'finance', type: 'approval', name: 'Finance', settings: approval([{ kind: 'roles', ids: [args.financeRole] }], { mode: 'all' }) },
      { id: 'small', type: 'approval', name: 'Manager (small)', settings: approval([args.managerRule]) },
      { id: 'mark', type: 'action', name: 'Mark approved', settings: { action: { kind: 'setFields', values: { [mark]: 'approved' } }, onError: 'stop' } },
      endNode,
    ],
    edges: [
      edge('start', 'branch'),
      edge('branch', 'manager', { condition: { '>': [{ var: 'amount' }, args.threshold ?? 10000] } }),
      edge('branch', 'small', { isDefault: true }),
      edge('manager', 'finance'),
      edge('finance', 'mark'),
      edge('small', 'mark'),
      edge('mark', 'end'),
    ],
  } as WorkflowGraph;
}
