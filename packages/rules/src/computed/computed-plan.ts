import type { FieldDefinition, FormulaResultType, RollupSettings } from '@crm/schema';
import { ComputedError, ComputedErrorCode } from './errors';
import { formulaRefs, parseFormulaAstOrThrow } from './formula-port';

/** One formula to evaluate: a record field, or a column of a subform row. */
export interface FormulaStep {
  key: string;
  ast: unknown;
  resultType: FormulaResultType;
  precision: number;
  /** Keys this formula reads (a subform column `items.amount` reads `items`). */
  refs: string[];
}

export interface RollupStep {
  key: string;
  settings: RollupSettings;
}

/**
 * How to compute an entity's computed fields, in dependency order: the formulas of each
 * subform row first, then the record's formulas (which may read subform columns, rollups and
 * other formulas). Rollups are computed from other entities and are inputs here.
 */
export interface ComputedPlan {
  rowSteps: { subform: string; steps: FormulaStep[] }[];
  recordSteps: FormulaStep[];
  rollups: RollupStep[];
  /** Record-level keys the server computes (formulas and rollups). */
  computedKeys: string[];
  /** For each record formula, every key it depends on, directly or through other formulas. */
  dependsOn: Map<string, Set<string>>;
  isEmpty: boolean;
}

const topKey = (ref: string) => ref.split('.')[0];

/**
 * Orders formulas so each comes after the formulas it reads; a loop is refused with
 * FORMULA_CYCLE naming its keys in order (`a → b → a`), prefixed with `scope` when given.
 */
export function orderFormulasOrThrow(args: { steps: FormulaStep[]; scope?: string }): FormulaStep[] {
  const byKey = new Map(args.steps.map((s) => [s.key, s]));
  const graph = new Map(args.steps.map((s) => [s.key, [...new Set(s.refs.map(topKey))].filter((k) => byKey.has(k))]));
  const cycle = findCycle({ graph });
  if (cycle) {
    const named = args.scope ? cycle.map((k) => `${args.scope}.${k}`) : cycle;
    throw new ComputedError(ComputedErrorCode.FORMULA_CYCLE, `Formulas depend on each other in a loop: ${named.join(' → ')}`, { cycle: named });
  }
  const out: FormulaStep[] = [];
  const done = new Set<string>();
  const visit = (key: string) => {
    if (done.has(key)) return;
    done.add(key);
    for (const dep of graph.get(key) ?? []) visit(dep);
    out.push(byKey.get(key)!);
  };
  for (const s of args.steps) visit(s.key);
  return out;
}

/**
 * The first loop found in a dependency graph (node → nodes it depends on), as the nodes in
 * order with the first repeated at the end; null when there is none. Deterministic: nodes are
 * visited in insertion order.
 */
export function findCycle(args: { graph: ReadonlyMap<string, readonly string[]> }): string[] | null {
  const { graph } = args;
  const state = new Map<string, 1 | 2>(); // 1 on the path, 2 finished
  const path: string[] = [];
  // Iterative DFS: deep chains of formulas must not overflow the stack.
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
    state.set(start, 1);
    path.push(start);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const deps = graph.get(top.node) ?? [];
      if (top.next < deps.length) {
        const dep = deps[top.next++];
        const s = state.get(dep);
        if (s === 1) return [...path.slice(path.indexOf(dep)), dep];
        if (s === undefined) {
          state.set(dep, 1);
          path.push(dep);
          stack.push({ node: dep, next: 0 });
        }
      } else {
        state.set(top.node, 2);
        path.pop();
        stack.pop();
      }
    }
  }
  return null;
}

function stepOf(field: FieldDefinition): FormulaStep {
  const s = field.settings as { expression: string; resultType?: FormulaResultType; precision?: number; ast?: unknown };
  const ast = s.ast !== undefined ? s.ast : parseFormulaAstOrThrow(s.expression);
  return { key: field.key, ast, resultType: s.resultType ?? 'number', precision: s.precision ?? 2, refs: formulaRefs(ast) };
}

/**
 * Builds the computation plan of an entity from its (normalized) fields. Throws FORMULA_CYCLE
 * when formulas read each other in a loop. Pure and deterministic: compile once per metadata
 * version and reuse.
 */
export function buildComputedPlanOrThrow(args: { fields: readonly FieldDefinition[] }): ComputedPlan {
  const rowSteps: ComputedPlan['rowSteps'] = [];
  const record: FormulaStep[] = [];
  const rollups: RollupStep[] = [];
  for (const f of args.fields) {
    if (f.type === 'formula') record.push(stepOf(f));
    else if (f.type === 'rollup') rollups.push({ key: f.key, settings: f.settings as RollupSettings });
    else if (f.type === 'subform') {
      const children = ((f.settings.fields as FieldDefinition[] | undefined) ?? []).filter((c) => c.type === 'formula');
      if (children.length) rowSteps.push({ subform: f.key, steps: orderFormulasOrThrow({ steps: children.map(stepOf), scope: f.key }) });
    }
  }
  const recordSteps = orderFormulasOrThrow({ steps: record });
  const dependsOn = new Map<string, Set<string>>();
  for (const step of recordSteps) {
    const all = new Set<string>();
    for (const ref of step.refs.map(topKey)) {
      all.add(ref);
      for (const deeper of dependsOn.get(ref) ?? []) all.add(deeper);
    }
    dependsOn.set(step.key, all);
  }
  const computedKeys = [...recordSteps.map((s) => s.key), ...rollups.map((r) => r.key)];
  return { rowSteps, recordSteps, rollups, computedKeys, dependsOn, isEmpty: !rowSteps.length && !recordSteps.length && !rollups.length };
}

/** Record formulas that read any of `keys`, directly or through other formulas, in order. */
export function formulasDependingOn(args: { plan: ComputedPlan; keys: readonly string[] }): FormulaStep[] {
  const keys = new Set(args.keys);
  return args.plan.recordSteps.filter((s) => [...(args.plan.dependsOn.get(s.key) ?? [])].some((k) => keys.has(k)));
}
