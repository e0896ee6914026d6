import type { FieldTypeKey } from '@crm/schema';
import type { ResolveField } from '@crm/rules';
import type { Run } from '../engine/run';
import type { InstanceStatus, PendingWork, ReturnTarget, Task, Timer, Token } from '../engine/state';
import type { GraphIndex } from '../graph-index';
import type { AssigneeResolver } from '../resolver';
import type { AssigneeRule } from '../settings';
import type { GraphIssue, Message, NodeTypeKey, WorkflowEdge, WorkflowNode } from '../types';

/** What a node step tells the engine to do with the token. */
export type StepOutcome =
  /** Stay: a task, timer, action or sub-process is awaited. */
  | { kind: 'wait' }
  /** Move on along these edges (several: a parallel split). */
  | { kind: 'leave'; edges: WorkflowEdge[] }
  /** The token is gone (waiting in a join, or the instance ended). */
  | { kind: 'consumed' }
  /** The node rejected: the instance ends as rejected. */
  | { kind: 'reject' }
  /** Send the instance back (a deadline's auto-return). */
  | { kind: 'return'; target: ReturnTarget }
  /** The instance stops with an error an admin can see and reactivate. */
  | { kind: 'fail'; code: string; message: string };

/** An outside happening routed to the node a token waits at. */
export type StepSignal =
  | { kind: 'taskDecided'; task: Task }
  | { kind: 'timer'; timer: Timer }
  | { kind: 'workFinished'; work: PendingWork; ok: boolean; error?: string; status?: InstanceStatus };

export interface StepArgs<S> {
  run: Run;
  token: Token;
  node: WorkflowNode;
  settings: S;
}

/** What validation knows of the world; every part is optional (a check without it is skipped). */
export interface ValidationEnv {
  /** The record's fields, as the rules package compiles conditions over them. */
  resolveField?: ResolveField;
  /** Fields of another entity (create-record actions). */
  resolveEntityField?: (entity: string, key: string) => { type: FieldTypeKey } | undefined;
  /** The organisation directory (assignees that resolve to nobody). */
  resolver?: AssigneeResolver;
}

export interface NodeValidationArgs<S> {
  node: WorkflowNode;
  settings: S;
  graph: GraphIndex;
  env: ValidationEnv;
}

/** A field a node's settings refer to, checked against the record's fields. */
export interface FieldReference {
  path: string;
  field: string;
  /** Field types allowed here; any when absent. */
  types?: readonly FieldTypeKey[];
  /** Another entity's field (create-record values). */
  entity?: string;
}

/**
 * One node type, complete: settings schema, validation, the runtime step and the designer's
 * slot. Registered once in `registry.ts`; the web registers its panel under the same key.
 */
export interface NodeTypeDefinition<S = any> {
  key: NodeTypeKey;
  label: Message;
  description: Message;
  category: 'human' | 'flow' | 'automatic';
  /** JSON Schema of `settings` (ajv, compiled once). */
  settingsSchema: Record<string, unknown>;
  defaultSettings(): S;
  /** Allowed number of outgoing edges. */
  outgoing: { min: number; max: number };
  /**
   * Whether a visit can end a loop through the node: it waits for a person, a timer or outside
   * work, or writes the record. A cycle of nodes all answering false can never end.
   */
  loopProgress(settings: S): boolean;
  assigneeRules?(settings: S): { path: string; rules: readonly AssigneeRule[] }[];
  fieldReferences?(settings: S): FieldReference[];
  /** Checks beyond the schema, field references and assignees (done for every type). */
  validate?(args: NodeValidationArgs<S>): GraphIssue[];
  /** The token arrives at the node. */
  enter(args: StepArgs<S>): StepOutcome;
  /** Something the waiting token was waiting for happened. */
  resume?(args: StepArgs<S> & { signal: StepSignal }): StepOutcome;
  /** The designer's panel for this type (apps/web registers `workflow-nodes/<panel>/`). */
  designer: { panel: NodeTypeKey; icon: string; color: string };
}
