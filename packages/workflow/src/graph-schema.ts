import { createAjv, issuesFromAjvErrors } from '@crm/schema';
import { WorkflowError, WorkflowErrorCode } from './errors';
import { graphIssue } from './messages';
import { NODE_TYPE_KEYS, type GraphIssue, type WorkflowGraph } from './types';

/** Largest graphs accepted (a designer canvas, not a program). */
export const GRAPH_LIMITS = { nodes: 300, edges: 600, idLength: 64, nameLength: 200 } as const;

const id = { type: 'string', minLength: 1, maxLength: GRAPH_LIMITS.idLength, pattern: '^\\S+$' } as const;

/**
 * JSON Schema of a workflow graph's shape (for the API's request and response schemas and
 * `parseGraphOrThrow`). Node settings are objects here; each type's own schema checks them in
 * `validateGraph`, so a draft with wrong settings can still be saved.
 */
export const WORKFLOW_GRAPH_SCHEMA = {
  type: 'object',
  properties: {
    nodes: {
      type: 'array',
      maxItems: GRAPH_LIMITS.nodes,
      items: {
        type: 'object',
        properties: {
          id,
          type: { enum: [...NODE_TYPE_KEYS] },
          name: { type: 'string', maxLength: GRAPH_LIMITS.nameLength },
          settings: { type: 'object' },
          position: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'], additionalProperties: false },
        },
        required: ['id', 'type'],
        additionalProperties: false,
      },
    },
    edges: {
      type: 'array',
      maxItems: GRAPH_LIMITS.edges,
      items: {
        type: 'object',
        properties: {
          id,
          from: id,
          to: id,
          condition: {},
          isDefault: { type: 'boolean' },
          priority: { type: 'integer', minimum: -1000, maximum: 1000 },
          label: { type: 'string', maxLength: GRAPH_LIMITS.nameLength },
        },
        required: ['id', 'from', 'to'],
        additionalProperties: false,
      },
    },
  },
  required: ['nodes', 'edges'],
  additionalProperties: false,
} as const;

let validateShape: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined;

/**
 * Checks that a value has the shape of a graph (what `validateGraph` and the engine read) and
 * returns it typed; throws WorkflowError INVALID_GRAPH naming each misfit by its path, in both
 * languages. Whether the graph makes sense is `validateGraph`'s question.
 */
export function parseGraphOrThrow(value: unknown): WorkflowGraph {
  validateShape ??= createAjv().compile(WORKFLOW_GRAPH_SCHEMA);
  if (validateShape(value)) return value as unknown as WorkflowGraph;
  const en = issuesFromAjvErrors(validateShape.errors);
  const zh = issuesFromAjvErrors(validateShape.errors, { locale: 'zh-CN' });
  const issues: GraphIssue[] = en.map((issue, i) =>
    graphIssue({ code: 'MALFORMED_GRAPH', path: issue.path, params: { detail: issue.message, detailZh: zh[i]?.message ?? issue.message } }),
  );
  throw new WorkflowError({ code: WorkflowErrorCode.INVALID_GRAPH, message: `The graph is malformed: ${en.map((i) => i.message).join('; ')}`, issues });
}
