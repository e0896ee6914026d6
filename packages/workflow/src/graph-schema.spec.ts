import { describe, expect, it } from 'vitest';
import { WorkflowError } from './errors';
import { parseGraphOrThrow } from './graph-schema';
import { contractGraph } from './testing/fixtures';

describe('parseGraphOrThrow', () => {
  it('accepts a graph and returns it', () => {
    const g = contractGraph();
    expect(parseGraphOrThrow(g)).toBe(g);
  });

  it('names every misfit by its path, in both languages', () => {
    const bad = {
      nodes: [
        { id: 'a', type: 'teleport' },
        { id: 'b b', type: 'end', extra: 1 },
      ],
      edges: [{ id: 'e', from: 'a' }],
    };
    try {
      parseGraphOrThrow(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WorkflowError);
      const issues = (err as WorkflowError).issues!;
      expect(issues.map((i) => i.path).sort()).toEqual(['/edges/0/to', '/nodes/0/type', '/nodes/1/extra', '/nodes/1/id']);
      expect(issues.every((i) => i.code === 'MALFORMED_GRAPH' && i.message.en && i.message['zh-CN'])).toBe(true);
    }
  });

  it('refuses what is not a graph at all, and graphs past the limits', () => {
    expect(() => parseGraphOrThrow('graph')).toThrow(WorkflowError);
    expect(() => parseGraphOrThrow({ nodes: [] })).toThrow(WorkflowError);
    const huge = { nodes: Array.from({ length: 301 }, (_, i) => ({ id: `n${i}`, type: 'cc' })), edges: [] };
    expect(() => parseGraphOrThrow(huge)).toThrow(WorkflowError);
  });
});
