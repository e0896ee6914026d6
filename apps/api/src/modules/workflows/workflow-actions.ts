import type { ActionNodeSettings, ActionValue, WorkflowGraph } from '@crm/workflow';
import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import type { RecordDto } from '../records/record-codec';
import type { InstanceRow } from './workflow-runtime.repository';
import { NODE_RUN_REQUEST, type PreparedWrite, workflowContext, WorkflowWrites } from './workflow-writes';

/** Raised by the record-event hook when the node run of a write was done before: the write rolls back (it already happened once). */
export class NodeRunAlreadyDone extends Error {
  constructor(readonly key: string) {
    super(`Node run ${key} is already done`);
  }
}

export interface ActionOutcome {
  ok: boolean;
  error?: string;
  /** An outcome that must not be retried (bad values, a 4xx answer) versus one worth another attempt. */
  permanent?: boolean;
  result?: Record<string, unknown>;
  /** The record write marked the node run done in its transaction (the record-event hook): nothing left to mark. */
  nodeRunDone?: boolean;
  /**
   * A record write checked but not yet written: the job writes it in the transaction of the
   * action's transition (one commit; the record-event hook marks the node run done in it).
   */
  write?: PreparedWrite;
}

const WEBHOOK_TIMEOUT_MS = 10_000;

/** `{ "var": "field" }` copies the field of the instance's record; anything else is the literal. */
function resolveValues(values: Record<string, ActionValue> | undefined, record: RecordDto | Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values ?? {})) {
    const ref = v && typeof v === 'object' && !Array.isArray(v) ? (v as { var?: unknown }).var : undefined;
    out[k] = typeof ref === 'string' ? ((record as Record<string, unknown>)[ref] ?? null) : v;
  }
  return out;
}

/**
 * Runs automatic actions (set fields, create a record, call a webhook). Record writes go
 * through the write pipeline with the request id `wfrun:<effect key>`, checked here and written
 * by the job in the transaction of the action's transition, where the record-event hook marks
 * the node run done: a second run of the same job finds it done and its write rolls back, so
 * the record is changed or created once. Webhooks
 * are at-least-once with an `Idempotency-Key` header that is the same on every attempt.
 */
@Injectable()
export class WorkflowActions {
  constructor(
    private readonly entities: EntityRuntime,
    private readonly writes: WorkflowWrites,
  ) {}

  actionOf(graph: WorkflowGraph, nodeId: string): ActionNodeSettings['action'] | null {
    const node = graph.nodes.find((n) => n.id === nodeId && n.type === 'action');
    return node ? (node.settings as unknown as ActionNodeSettings).action : null;
  }

  /** The instance's entity, at the version its row was read with. */
  entityOf(row: InstanceRow): Promise<CompiledEntity> {
    return this.entities.atVersionOrThrow(row.workspace_id, row.entity_id, row.entity_version);
  }

  async run(args: { row: InstanceRow; c: CompiledEntity; key: string; action: ActionNodeSettings['action']; signal: AbortSignal }): Promise<ActionOutcome> {
    const { row, c, key, action } = args;
    const ctx = workflowContext(row.workspace_id, row.submitter_id, `${NODE_RUN_REQUEST}${key}`);
    try {
      if (action.kind === 'setFields') {
        const record = await this.writes.read(c, Number(row.record_id));
        // The version just read: the write's compare-and-set (a member's edit in between makes the job try again); the write starts from this read.
        const values = resolveValues(action.values, record);
        const write = await this.writes.prepareUpdate({
          ctx,
          c,
          id: Number(row.record_id),
          values,
          writable: 'all',
          expectedVersion: record.version,
          current: record,
        });
        return { ok: true, result: { recordId: Number(row.record_id), entityId: c.meta.id }, write };
      }
      if (action.kind === 'createRecord') {
        const record = await this.writes.read(c, Number(row.record_id));
        const target = await this.entities.getOrThrow(row.workspace_id, action.entity);
        const write = await this.writes.prepareCreate({ ctx, c: target, values: resolveValues(action.values, record) });
        return { ok: true, result: { entityId: target.meta.id }, write };
      }
      return await this.webhook(row, key, action, c, args.signal);
    } catch (err) {
      return this.outcomeOrThrow(err);
    }
  }

  /** What a failed step reports to the instance: a repeat of a done run is a success, a refusal is permanent; anything else is worth another attempt (thrown). */
  outcomeOrThrow(err: unknown): ActionOutcome {
    if (err instanceof NodeRunAlreadyDone) return { ok: true, result: { repeated: true }, nodeRunDone: true };
    if (err instanceof AppError && !['DATABASE_UNAVAILABLE', 'VERSION_CONFLICT', 'INTERNAL'].includes(err.code))
      return { ok: false, permanent: true, error: `${err.code}: ${err.message}`.slice(0, 500) };
    throw err;
  }

  private async webhook(
    row: InstanceRow,
    key: string,
    action: Extract<ActionNodeSettings['action'], { kind: 'webhook' }>,
    c: Awaited<ReturnType<EntityRuntime['getOrThrow']>>,
    signal: AbortSignal,
  ): Promise<ActionOutcome> {
    const record = await this.writes.read(c, Number(row.record_id)).catch(() => ({}) as Record<string, unknown>);
    const body = {
      event: 'workflow.action',
      idempotencyKey: key,
      instanceId: row.id,
      workflowId: row.workflow_id,
      entityId: row.entity_id,
      recordId: Number(row.record_id),
      data: resolveValues(action.body, record),
    };
    const timeout = AbortSignal.timeout(WEBHOOK_TIMEOUT_MS);
    const res = await fetch(action.url, {
      method: action.method,
      headers: { ...(action.headers ?? {}), 'content-type': 'application/json', 'idempotency-key': key, 'user-agent': 'crm-workflow/1' },
      body: JSON.stringify(body),
      signal: AbortSignal.any([signal, timeout]),
      redirect: 'error',
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.ok) return { ok: true, result: { status: res.status } };
    // A refusal (4xx but 408/429) will not change by retrying; a 5xx or 429 may.
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    if (permanent) return { ok: false, permanent, error: `The webhook answered ${res.status}` };
    throw new Error(`The webhook answered ${res.status}`);
  }
}
