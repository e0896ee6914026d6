import { compileFilterEvaluatorOrThrow, compileFilterOrThrow, RulesError, type FilterEvaluator } from '@crm/rules';
import { graphIssue, nodeLabel } from '../messages';
import { GraphIssueCode, type GraphIssue } from '../types';
import type { NodeTypeDefinition, NodeValidationArgs } from './definition';

/**
 * 条件分支 (exclusive): the first outgoing edge whose json-logic condition holds on the record is
 * taken, in priority order; the default edge when none holds. Conditions live on the edges.
 */
export const branchNodeType: NodeTypeDefinition<Record<string, never>> = {
  key: 'branch',
  label: { en: 'Condition branch', 'zh-CN': '条件分支' },
  description: { en: 'Takes the first path whose condition holds, else the default path', 'zh-CN': '走第一个满足条件的分支，都不满足时走默认分支' },
  category: 'flow',
  settingsSchema: { type: 'object', additionalProperties: false },
  defaultSettings: () => ({}),
  outgoing: { min: 2, max: 50 },
  loopProgress: () => false,
  validate: validateBranch,
  enter: ({ run, token }) => {
    const edges = run.graph.outgoing(token.nodeId);
    for (const edge of edges) {
      if (edge.isDefault) continue;
      let holds = false;
      try {
        holds = evaluatorOf(edge.condition)({ record: run.context.record, now: run.now });
      } catch (err) {
        // A condition the published graph passed but the record no longer fits (a field removed since): it does not hold.
        if (!(err instanceof RulesError)) throw err;
        run.log({ kind: 'skipped', nodeId: token.nodeId, detail: { edge: edge.id, conditionError: err.code } });
      }
      if (holds) return { kind: 'leave', edges: [edge] };
    }
    const fallback = edges.find((e) => e.isDefault);
    return fallback
      ? { kind: 'leave', edges: [fallback] }
      : { kind: 'fail', code: 'NO_BRANCH_TAKEN', message: `No condition of ${token.nodeId} holds and it has no default path` };
  },
  designer: { panel: 'branch', icon: 'BranchesOutlined', color: '#722ed1' },
};

const evaluators = new WeakMap<object, FilterEvaluator>();

/** The compiled evaluator of a condition, cached per condition object (graphs of a version are reused). */
function evaluatorOf(condition: unknown): FilterEvaluator {
  if (!condition || typeof condition !== 'object') return compileFilterEvaluatorOrThrow({ filter: condition });
  let fn = evaluators.get(condition);
  if (!fn) {
    fn = compileFilterEvaluatorOrThrow({ filter: condition });
    evaluators.set(condition, fn);
  }
  return fn;
}

function validateBranch({ node, graph, env }: NodeValidationArgs<Record<string, never>>): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const edges = graph.outgoing(node.id);
  const label = nodeLabel(node);
  const defaults = edges.filter((e) => e.isDefault);
  if (defaults.length === 0) issues.push(graphIssue({ code: GraphIssueCode.BRANCH_WITHOUT_DEFAULT, nodeId: node.id, params: { node: label } }));
  for (const extra of defaults.slice(1))
    issues.push(graphIssue({ code: GraphIssueCode.BRANCH_MULTIPLE_DEFAULTS, nodeId: node.id, edgeId: extra.id, params: { node: label } }));
  for (const edge of edges) {
    if (edge.isDefault) continue;
    if (edge.condition === undefined || edge.condition === null) {
      issues.push(graphIssue({ code: GraphIssueCode.EDGE_WITHOUT_CONDITION, nodeId: node.id, edgeId: edge.id, params: { node: label } }));
      continue;
    }
    try {
      if (env.resolveField) compileFilterOrThrow({ filter: edge.condition, resolveField: env.resolveField, dialect: 'sqlite', now: new Date(0) });
      else compileFilterEvaluatorOrThrow({ filter: edge.condition });
    } catch (err) {
      if (!(err instanceof RulesError)) throw err;
      const unknown = err.code === 'UNKNOWN_FIELD';
      issues.push(
        graphIssue({
          code: unknown ? GraphIssueCode.UNKNOWN_FIELD : GraphIssueCode.INVALID_CONDITION,
          nodeId: node.id,
          edgeId: edge.id,
          path: `/condition${err.details.path ?? ''}`,
          params: { node: label, field: String(err.details.field ?? ''), detail: err.message },
        }),
      );
    }
  }
  return issues;
}
