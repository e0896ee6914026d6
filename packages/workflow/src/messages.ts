import type { GraphIssue, GraphIssueCode, Message } from './types';

type Params = Record<string, string | number>;
type Template = (p: Params) => Message;

/** One message per validation code, in both languages; `p.node` is the node's name or id. */
const MESSAGES: Record<GraphIssueCode, Template> = {
  MALFORMED_GRAPH: (p) => ({ en: `The graph is malformed: ${p.detail}`, 'zh-CN': `流程图格式错误：${p.detailZh}` }),
  NO_START: () => ({ en: 'The workflow has no start node', 'zh-CN': '流程缺少开始节点' }),
  MULTIPLE_STARTS: (p) => ({ en: `${p.node}: a workflow has exactly one start node`, 'zh-CN': `${p.node}：流程只能有一个开始节点` }),
  NO_END: () => ({ en: 'The workflow has no end node', 'zh-CN': '流程缺少结束节点' }),
  DUPLICATE_ID: (p) => ({ en: `The id ${p.id} is used twice`, 'zh-CN': `编号 ${p.id} 重复` }),
  UNKNOWN_NODE_TYPE: (p) => ({ en: `${p.node}: unknown node type "${p.type}"`, 'zh-CN': `${p.node}：未知的节点类型“${p.type}”` }),
  EDGE_UNKNOWN_NODE: (p) => ({
    en: `The connection ${p.edge} points to a node that does not exist (${p.id})`,
    'zh-CN': `连线 ${p.edge} 指向不存在的节点（${p.id}）`,
  }),
  INVALID_SETTINGS: (p) => ({ en: `${p.node}: ${p.detail}`, 'zh-CN': `${p.node}：${p.detailZh}` }),
  TOO_FEW_OUTGOING: (p) => ({
    en: `${p.node} needs at least ${p.min} outgoing connection(s), it has ${p.count}`,
    'zh-CN': `${p.node}至少需要 ${p.min} 条出线，当前 ${p.count} 条`,
  }),
  TOO_MANY_OUTGOING: (p) => ({
    en: `${p.node} may have at most ${p.max} outgoing connection(s), it has ${p.count}`,
    'zh-CN': `${p.node}最多 ${p.max} 条出线，当前 ${p.count} 条`,
  }),
  INCOMING_TO_START: (p) => ({ en: `${p.node}: nothing may lead back into the start node`, 'zh-CN': `${p.node}：开始节点不能有入线` }),
  UNREACHABLE_NODE: (p) => ({ en: `${p.node} can never be reached from the start`, 'zh-CN': `${p.node}从开始节点无法到达` }),
  DEAD_END: (p) => ({ en: `${p.node}: no path leads from here to an end node`, 'zh-CN': `${p.node}：从这里没有通往结束节点的路径` }),
  BRANCH_WITHOUT_DEFAULT: (p) => ({
    en: `${p.node}: the branch needs a default path (taken when no condition holds)`,
    'zh-CN': `${p.node}：条件分支需要一个默认分支（所有条件都不满足时走）`,
  }),
  BRANCH_MULTIPLE_DEFAULTS: (p) => ({ en: `${p.node}: only one path may be the default`, 'zh-CN': `${p.node}：只能有一个默认分支` }),
  EDGE_WITHOUT_CONDITION: (p) => ({
    en: `${p.node}: the path ${p.edge} needs a condition or must be the default`,
    'zh-CN': `${p.node}：分支 ${p.edge} 需要设置条件或设为默认分支`,
  }),
  CONDITION_ON_PLAIN_EDGE: (p) => ({
    en: `The connection ${p.edge} leaves ${p.node}, which is not a condition branch: conditions and default are ignored there`,
    'zh-CN': `连线 ${p.edge} 不是从条件分支节点${p.node}出发，不能设置条件或默认`,
  }),
  INVALID_CONDITION: (p) => ({
    en: `${p.node}: the condition of ${p.edge} is invalid: ${p.detail}`,
    'zh-CN': `${p.node}：分支 ${p.edge} 的条件无效：${p.detail}`,
  }),
  UNKNOWN_FIELD: (p) => ({ en: `${p.node}: the field "${p.field}" does not exist`, 'zh-CN': `${p.node}：字段“${p.field}”不存在` }),
  JOIN_WITHOUT_SPLIT: (p) => ({
    en: `${p.node}: the join must name the parallel split it closes`,
    'zh-CN': `${p.node}：汇聚节点必须指定它所汇聚的并行分支节点`,
  }),
  SPLIT_WITHOUT_JOIN: (p) => ({
    en: `${p.node}: the parallel split needs exactly one join (it has ${p.count})`,
    'zh-CN': `${p.node}：并行分支需要且只能有一个汇聚节点（当前 ${p.count} 个）`,
  }),
  JOIN_ENTERED_FROM_OUTSIDE: (p) => ({
    en: `${p.node}: the connection ${p.edge} reaches the join from outside its parallel split`,
    'zh-CN': `${p.node}：连线 ${p.edge} 从并行分支之外连到汇聚节点`,
  }),
  PARALLEL_BRANCH_ESCAPES: (p) => ({
    en: `${p.node}: the connection ${p.edge} leaves the parallel branches before their join`,
    'zh-CN': `${p.node}：连线 ${p.edge} 在汇聚之前离开了并行分支`,
  }),
  PARALLEL_REGION_ENTERED: (p) => ({
    en: `${p.node}: the connection ${p.edge} enters a parallel branch from outside its split`,
    'zh-CN': `${p.node}：连线 ${p.edge} 从并行分支之外进入分支内部`,
  }),
  ASSIGNEES_RESOLVE_TO_NOBODY: (p) => ({ en: `${p.node}: the assignees resolve to nobody`, 'zh-CN': `${p.node}：处理人为空（没有任何成员）` }),
  ENDLESS_LOOP: (p) => ({
    en: `${p.node}: the loop ${p.cycle} can never end (nothing in it waits for a person or a timer or changes the fields its conditions read)`,
    'zh-CN': `${p.node}：循环 ${p.cycle} 永远不会结束（其中没有等待人工或定时的节点，也没有修改条件所读字段的节点）`,
  }),
};

/** A graph issue with its message in both languages. */
export function graphIssue(args: { code: GraphIssueCode; nodeId?: string; edgeId?: string; path?: string; params?: Params }): GraphIssue {
  const { code, nodeId, edgeId, path } = args;
  return {
    code,
    ...(nodeId !== undefined ? { nodeId } : {}),
    ...(edgeId !== undefined ? { edgeId } : {}),
    ...(path !== undefined ? { path } : {}),
    message: MESSAGES[code]({ node: nodeId ?? '', edge: edgeId ?? '', ...args.params }),
  };
}

/** The display name of a node in messages: its name with the id, or the id. */
export function nodeLabel(node: { id: string; name?: string }): string {
  return node.name ? `${node.name} (${node.id})` : node.id;
}
