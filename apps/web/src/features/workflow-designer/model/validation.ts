import type { FilterField, ResolveField } from '@crm/rules';
import { getFieldTypeOrThrow, type FieldDefinition } from '@crm/schema';
import { validateGraph, type GraphIssue, type Locale, type WorkflowGraph } from '@crm/workflow';

/** A problem as the designer shows it: the package's issue (local) or the server's answer, same shape. */
export type DesignProblem = Pick<GraphIssue, 'code' | 'nodeId' | 'edgeId' | 'path' | 'message'>;

/**
 * The fields of the workflow's entity as the rules package reads conditions over them. Only
 * the key, type and operators matter here: the SQL the compiler builds on the way is thrown away.
 */
export function resolveFieldOf(fields: readonly Pick<FieldDefinition, 'key' | 'type' | 'settings'>[]): ResolveField {
  const byKey = new Map<string, FilterField>();
  for (const f of fields) {
    try {
      const type = getFieldTypeOrThrow(f.type);
      const settings = f.settings ?? {};
      byKey.set(f.key, {
        key: f.key,
        type: f.type,
        valueKind: type.valueKind(settings),
        operators: type.operatorsFor(settings),
        column: `r.${f.key}`,
        sortable: type.sortable,
      });
    } catch {
      // A field type this browser build does not know: conditions over it are the server's to judge.
    }
  }
  return (key) => byKey.get(key);
}

/** Validates the graph in the browser as the admin edits (the same checks the server runs, without the directory). */
export function validateLocally({
  graph,
  fields,
}: {
  graph: WorkflowGraph;
  fields?: readonly Pick<FieldDefinition, 'key' | 'type' | 'settings'>[];
}): DesignProblem[] {
  return validateGraph({ graph, env: fields ? { resolveField: resolveFieldOf(fields) } : {} });
}

export interface ProblemIndex {
  byNode: Map<string, DesignProblem[]>;
  byEdge: Map<string, DesignProblem[]>;
  /** Problems of the whole graph (no start, no end). */
  general: DesignProblem[];
}

/** Problems grouped by the node or connection they belong to (a connection's also count for its node). */
export function indexProblems(problems: readonly DesignProblem[]): ProblemIndex {
  const byNode = new Map<string, DesignProblem[]>();
  const byEdge = new Map<string, DesignProblem[]>();
  const general: DesignProblem[] = [];
  const push = (map: Map<string, DesignProblem[]>, key: string, p: DesignProblem) => map.set(key, [...(map.get(key) ?? []), p]);
  for (const p of problems) {
    if (p.edgeId) push(byEdge, p.edgeId, p);
    if (p.nodeId) push(byNode, p.nodeId, p);
    if (!p.edgeId && !p.nodeId) general.push(p);
  }
  return { byNode, byEdge, general };
}

/** The message in the UI language (the package and the server word every problem in both). */
export function problemMessage(problem: DesignProblem, language: string): string {
  const locale: Locale = language === 'en' ? 'en' : 'zh-CN';
  return problem.message[locale] ?? problem.message.en;
}
