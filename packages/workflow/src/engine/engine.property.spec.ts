import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directoryResolver, resolveField } from '../testing/fixtures';
import { candidateEvents, driveToEnd, sendChoice, stateProblems } from '../testing/drive';
import { graphArb } from '../testing/random-graphs';
import { Sim } from '../testing/sim';
import { validateGraph } from '../validate/validate';

const amount = fc.integer({ min: 0, max: 3 });
const choices = fc.array(fc.nat(), { minLength: 1, maxLength: 40 });

describe('engine properties (random valid graphs, random events)', () => {
  it('the random graphs are valid', () => {
    fc.assert(
      fc.property(graphArb, (graph) => {
        expect(validateGraph({ graph, env: { resolveField, resolver: directoryResolver() } })).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('every reachable state has no orphans and can still reach an end', () => {
    fc.assert(
      fc.property(graphArb, amount, choices, (graph, a, picks) => {
        const sim = new Sim(graph, { record: { amount: a }, resolver: directoryResolver() });
        expect(stateProblems(sim.state)).toEqual([]);
        for (const pick of picks) {
          sendChoice(sim, pick);
          expect(stateProblems(sim.state)).toEqual([]);
        }
        if (sim.state.status === 'running') expect(['approved', 'rejected', 'failed']).toContain(driveToEnd(sim));
        if (sim.state.status !== 'running') expect(stateProblems(sim.state)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('the friendly path of a valid graph always ends approved', () => {
    fc.assert(
      fc.property(graphArb, amount, (graph, a) => {
        const sim = new Sim(graph, { record: { amount: a }, resolver: directoryResolver() });
        expect(driveToEnd(sim)).toBe('approved');
      }),
      { numRuns: 150 },
    );
  });

  it('the same event twice has one effect: a repeated id changes nothing and emits nothing', () => {
    fc.assert(
      fc.property(graphArb, amount, choices, (graph, a, picks) => {
        const ctx = { record: { amount: a }, resolver: directoryResolver() };
        const once = new Sim(graph, ctx);
        const twice = new Sim(graph, ctx);
        let clock = Date.parse('2026-01-05T10:00:00.000Z');
        for (const pick of picks) {
          const events = candidateEvents(once.state);
          clock += 60_000;
          const event = { ...events[pick % events.length], id: `u${pick}-${once.state.seq}`, at: new Date(clock).toISOString() };
          let refused = false;
          try {
            once.send(event);
          } catch {
            refused = true;
          }
          if (refused) continue;
          twice.send(event);
          const again = twice.send(event);
          expect(again.duplicate).toBe(true);
          expect(again.effects).toEqual([]);
        }
        expect(twice.state).toEqual(once.state);
        expect(twice.effects).toEqual(once.effects);
        // Approvals are counted from the tasks: each decided task holds exactly one decision.
        const approvals = once.effects.filter((e) => e.type === 'closeTask' && e.status === 'approved').map((e) => (e as { taskId: string }).taskId);
        expect(new Set(approvals).size).toBe(approvals.length);
      }),
      { numRuns: 100 },
    );
  });

  it('a return out of a parallel branch leaves no orphaned task, timer or token', () => {
    fc.assert(
      fc.property(
        graphArb.filter((g) => g.nodes.some((n) => n.type === 'parallel')),
        amount,
        choices,
        (graph, a, picks) => {
          const sim = new Sim(graph, { record: { amount: a }, resolver: directoryResolver() });
          for (const pick of picks) {
            sendChoice(sim, pick);
            // Return from a task inside a parallel path whenever there is one.
            const inside = sim.state.tokens.find((t) => t.scope.length > 0 && sim.pending().some((k) => k.tokenId === t.id && k.kind !== 'resubmit'));
            if (!inside) continue;
            const task = sim.pending().find((k) => k.tokenId === inside.id)!;
            sim.send({ type: 'return', taskId: task.id, actor: task.assignee, target: 'start' });
            expect(stateProblems(sim.state)).toEqual([]);
            expect(sim.state.tokens).toHaveLength(1);
            expect(sim.state.splits).toEqual([]);
            expect(sim.pending().map((k) => k.kind)).toEqual(['resubmit']);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
