import type { ColumnSpec, FieldDefinition } from '@crm/schema';

/** One idempotent schema step. Names are generated (t_, f_, l_, c_, i_), never user text. */
export type DdlStep =
  | { op: 'createRecordTable'; table: string }
  | { op: 'createLinkTable'; table: string }
  | { op: 'createChildTable'; table: string }
  | { op: 'addColumn'; table: string; column: string; spec: ColumnSpec }
  | { op: 'createIndex'; table: string; index: string; columns: string[]; unique: boolean; field?: string } // field: the key, for error reports
  | { op: 'dropIndex'; table: string; index: string }
  | { op: 'dropColumn'; table: string; column: string }
  | { op: 'dropTable'; table: string }
  | { op: 'backfill'; table: string; from: string; to: string; change: TypeChange }
  | { op: 'verifyBackfill'; table: string; from: string; to: string; change: TypeChange };

/** The field before and after a type change; backfill converts values between them. */
export interface TypeChange {
  from: FieldDefinition;
  to: FieldDefinition;
}

/** Changes to metadata rows applied in one transaction when a plan finishes or rolls back. */
export type MetaAction =
  | { op: 'activateEntity'; entityId: string }
  | { op: 'deleteEntity'; entityId: string }
  | { op: 'activateField'; fieldId: string }
  | { op: 'deleteField'; fieldId: string }
  | { op: 'updateField'; fieldId: string; patch: FieldRowPatch }
  | { op: 'bumpVersion'; entityId: string };

export interface FieldRowPatch {
  label?: string;
  type?: string;
  settings?: string;
  physical?: string;
  required?: number;
  is_unique?: number;
  indexed?: number;
  status?: string;
}

export interface PlanMeta {
  onDone: MetaAction[];
  onRollback: MetaAction[];
}

const NAME = /^[a-z][a-z0-9_]{1,63}$/;

/** Guards the invariant that only generated names reach DDL. */
export function assertPhysicalName(name: string): string {
  if (!NAME.test(name)) throw new Error(`Refusing DDL with unsafe identifier "${name}"`);
  return name;
}

/** The step that undoes `step` (null when there is nothing to undo or it cannot be undone). */
export function compensationOf(step: DdlStep): DdlStep | null {
  switch (step.op) {
    case 'createRecordTable':
    case 'createLinkTable':
    case 'createChildTable':
      return { op: 'dropTable', table: step.table };
    case 'addColumn':
      return { op: 'dropColumn', table: step.table, column: step.column };
    case 'createIndex':
      return { op: 'dropIndex', table: step.table, index: step.index };
    case 'backfill':
    case 'verifyBackfill':
    case 'dropIndex':
    case 'dropColumn':
    case 'dropTable':
      return null;
  }
}
