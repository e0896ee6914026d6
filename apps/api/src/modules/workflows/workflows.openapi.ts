import { WORKFLOW_GRAPH_SCHEMA } from '@crm/workflow';
import { defineSchemas, ref, S, type Schema } from '../../common/openapi';

const message = S.obj({ en: S.str(), 'zh-CN': S.str() }, ['en', 'zh-CN']);
const versionSummary = {
  version: S.int(),
  status: S.str({ enum: ['draft', 'published', 'retired'] }),
  problemCount: S.int(),
  createdAt: S.time(),
  createdBy: S.nullable(S.str()),
  updatedAt: S.time(),
  updatedBy: S.nullable(S.str()),
  publishedAt: S.nullable(S.time()),
  publishedBy: S.nullable(S.str()),
  retiredAt: S.nullable(S.time()),
};
const summaryKeys = Object.keys(versionSummary);
const workflow = {
  id: S.uuid(),
  entityId: S.uuid(),
  name: S.str(),
  description: S.str(),
  startOn: S.str({ enum: ['create', 'manual'], description: 'create: a record created in the entity starts an instance (one workflow per entity)' }),
  publishedVersion: S.nullable(S.int()),
  draftVersion: S.nullable(S.int()),
  createdAt: S.time(),
  updatedAt: S.time(),
};
const workflowKeys = Object.keys(workflow);

defineSchemas({
  WorkflowGraph: { ...(WORKFLOW_GRAPH_SCHEMA as unknown as Schema), description: 'nodes and edges (packages/workflow README, docs/workflows.md)' } as Schema,
  GraphProblem: S.obj(
    { code: S.str(), nodeId: S.str(), edgeId: S.str(), path: S.str({ description: 'JSON pointer inside the node settings or edge' }), message },
    ['code', 'message'],
  ),
  Workflow: S.obj(workflow, workflowKeys),
  WorkflowInput: S.obj({
    name: S.str({ maxLength: 100 }),
    description: S.str({ maxLength: 1000 }),
    startOn: S.str({ enum: ['create', 'manual'] }),
    graph: ref('WorkflowGraph'),
  }),
  WorkflowVersionSummary: S.obj(versionSummary, summaryKeys),
  WorkflowVersion: S.obj(
    {
      ...versionSummary,
      graph: ref('WorkflowGraph'),
      problems: S.arr(ref('GraphProblem')),
      diff: S.obj({ from: S.int() }, [], { additionalProperties: true, description: 'with `diffFrom`: nodes and edges added, removed, changed' }),
    },
    [...summaryKeys, 'graph', 'problems'],
  ),
  WorkflowDetail: S.obj({ ...workflow, draft: S.nullable(ref('WorkflowVersion')), versions: S.arr(ref('WorkflowVersionSummary')) }, [
    ...workflowKeys,
    'draft',
    'versions',
  ]),
});
