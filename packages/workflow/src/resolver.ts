import type { AssigneeRule } from './settings';
import type { RecordValues } from './types';

/**
 * Who the assignee rules name; implemented by the runtime over a snapshot of the organisation
 * it loads before calling the engine (so the engine stays synchronous and free of I/O).
 * Answers must be deterministic for the same snapshot: the engine's output depends on them.
 */
export interface AssigneeResolver {
  /** Member ids the rules name for this instance, in rule order, without duplicates; [] when nobody. */
  resolve(args: { rules: readonly AssigneeRule[]; submitterId: string; record: RecordValues }): string[];
  /** Who gets a task whose rules named nobody when the node says `whenNobody: 'admins'`. */
  workflowAdmins(): string[];
  /**
   * Design time: whether one rule can name anyone at all. Static rules (members, roles,
   * departments) answer from the directory (a deleted member, an empty role → false); dynamic
   * ones (submitter, submitter's head, member field) answer true when what they refer to exists.
   */
  canResolve(rule: AssigneeRule): boolean;
}
