import { describe, expect, it } from 'vitest';
import { WorkflowError } from './errors';
import { contractGraph } from './testing/fixtures';
import { Sim } from './testing/sim';
import { context } from './testing/fixtures';
import { graphIssue } from './messages';
import { assertEditableOrThrow, diffGraphs, publishPlanOrThrow, retirePlanOrThrow } from './versions';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof WorkflowError) return err.code;
    throw err;
  }
  return 'no error';
};

describe('versions', () => {
  const versions = [
    { version: 1, status: 'retired' as const },
    { version: 2, status: 'published' as const },
    { version: 3, status: 'draft' as const },
  ];

  it('publishing a draft retires the published version', () => {
    expect(publishPlanOrThrow({ versions, version: 3, issues: [] })).toEqual({ publish: 3, retire: [2] });
  });

  it('refuses to publish a graph with problems, naming them', () => {
    const issues = [graphIssue({ code: 'NO_END' })];
    try {
      publishPlanOrThrow({ versions, version: 3, issues });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WorkflowError);
      expect((err as WorkflowError).code).toBe('INVALID_GRAPH');
      expect((err as WorkflowError).issues).toEqual(issues);
    }
  });

  it('only drafts are published or edited; only the published version is retired', () => {
    expect(codeOf(() => publishPlanOrThrow({ versions, version: 2, issues: [] }))).toBe('INVALID_VERSION_CHANGE');
    expect(codeOf(() => publishPlanOrThrow({ versions, version: 9, issues: [] }))).toBe('INVALID_VERSION_CHANGE');
    expect(codeOf(() => assertEditableOrThrow(versions[1]))).toBe('INVALID_VERSION_CHANGE');
    expect(codeOf(() => assertEditableOrThrow(versions[2]))).toBe('no error');
    expect(retirePlanOrThrow({ versions, version: 2 })).toEqual({ retire: 2 });
    expect(codeOf(() => retirePlanOrThrow({ versions, version: 1 }))).toBe('INVALID_VERSION_CHANGE');
  });

  it('says what changes between two graphs', () => {
    const before = contractGraph();
    const after = structuredClone(before);
    after.nodes = after.nodes.filter((n) => n.id !== 'small');
    after.nodes.push({ id: 'legal', type: 'approval', settings: after.nodes[2].settings });
    after.nodes[3] = { ...after.nodes[3], settings: { ...after.nodes[3].settings, mode: 'any' } };
    after.edges = after.edges.map((e) => (e.id === 'branch->manager' ? { ...e, condition: { '>': [{ var: 'amount' }, 50000] } } : e));
    const d = diffGraphs({ before, after });
    expect(d.nodes).toEqual({ added: ['legal'], removed: ['small'], changed: [{ id: 'finance', changes: ['settings'], settingsKeys: ['mode'] }] });
    expect(d.edges.changed).toEqual([{ id: 'branch->manager', changes: ['condition'] }]);
    expect(d.layoutOnly).toBe(false);
    const moved = structuredClone(before);
    moved.nodes[1].position = { x: 10, y: 20 };
    expect(diffGraphs({ before, after: moved })).toMatchObject({ layoutOnly: true, nodes: { changed: [{ id: 'branch', changes: ['position'] }] } });
    expect(diffGraphs({ before, after: structuredClone(before) }).layoutOnly).toBe(true);
  });

  it('an instance keeps running on the graph it started on', () => {
    const v1 = contractGraph();
    const sim = new Sim(v1, context({ amount: 20000 }));
    expect(sim.state.version).toBe(1);
    // The runtime passes graphOf(state.version); a newer graph without the finance node does not matter to it.
    sim.approve('manager');
    expect(sim.pending().map((t) => t.nodeId)).toEqual(['finance', 'finance', 'finance']);
  });
});
