import { createAjv, issuesFromAjvErrors, type Issue } from '@crm/schema';
import type { ValidateFunction } from 'ajv';
import type { NodeTypeKey, WorkflowNode } from '../types';
import { actionNodeType } from './action.node-type';
import { approvalNodeType } from './approval.node-type';
import { branchNodeType } from './branch.node-type';
import { ccNodeType } from './cc.node-type';
import type { NodeTypeDefinition } from './definition';
import { endNodeType } from './end.node-type';
import { fillNodeType } from './fill.node-type';
import { joinNodeType } from './join.node-type';
import { parallelNodeType } from './parallel.node-type';
import { startNodeType } from './start.node-type';
import { subprocessNodeType } from './subprocess.node-type';
import { waitNodeType } from './wait.node-type';

/** Every node type, one definition each; a missing or extra key is a compile error. */
export const NODE_TYPES = {
  start: startNodeType,
  approval: approvalNodeType,
  fill: fillNodeType,
  cc: ccNodeType,
  branch: branchNodeType,
  parallel: parallelNodeType,
  join: joinNodeType,
  action: actionNodeType,
  wait: waitNodeType,
  subprocess: subprocessNodeType,
  end: endNodeType,
} satisfies Record<NodeTypeKey, NodeTypeDefinition>;

export function isNodeTypeKey(value: unknown): value is NodeTypeKey {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(NODE_TYPES, value);
}

/** The definition of a node type; undefined for an unknown key. */
export function nodeTypeOf(key: string): NodeTypeDefinition | undefined {
  return isNodeTypeKey(key) ? NODE_TYPES[key] : undefined;
}

const ajv = createAjv();
const compiled = new Map<NodeTypeKey, ValidateFunction>();

/** Problems of a node's settings against its type's JSON Schema (compiled once per type), in both languages. */
export function settingsIssues(node: WorkflowNode): { en: Issue[]; zh: Issue[] } {
  const key = node.type;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(NODE_TYPES[key].settingsSchema);
    compiled.set(key, validate);
  }
  if (validate(node.settings ?? NODE_TYPES[key].defaultSettings())) return { en: [], zh: [] };
  return { en: issuesFromAjvErrors(validate.errors), zh: issuesFromAjvErrors(validate.errors, { locale: 'zh-CN' }) };
}

/** A node's settings, or its type's defaults when it has none. */
export function settingsOf<S = any>(node: WorkflowNode): S {
  return (node.settings ?? NODE_TYPES[node.type].defaultSettings()) as S;
}
