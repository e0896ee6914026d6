import type { InstanceStatus } from '@crm/workflow';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BoundedCache } from '../../common/bounded-cache';
import { AppError } from '../../common/errors';
import { nowStorage } from '../../common/ids';
import type { Executor } from '../../database/db';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import { JobOutbox } from '../jobs/job-outbox';
import { JobRegistry } from '../jobs/job-registry';
import type { JobContext } from '../jobs/jobs.types';
import { NotificationsService } from '../notifications/notifications.service';
import { RecordEvents } from '../records/record-events';
import { type ActionOutcome, NodeRunAlreadyDone, WorkflowActions } from './workflow-actions';
import { type InTx, notificationRows, type NotifyItem, WF_JOBS, WorkflowEngineService } from './workflow-engine.service';
import type { InstanceRow } from './workflow-runtime.repository';
import { WorkflowsRepository } from './workflows.repository';
import { NODE_RUN_REQUEST } from './workflow-writes';

type StartingRows = Awaited<ReturnType<WorkflowsRepository['startingOnCreate']>>;
type P = Record<string, unknown> & { workspaceId: string; instanceId: string; key: string };
type StartBase = { workspaceId: string; workflowId: string; version: number; entityId: string; submitterId: string };

/** Records a start job carries at most (a bulk create of 500 is 10 jobs: both workers take part, each transaction stays small). */
const START_CHUNK = 50;
/** The start job of one record. */
const startJob = (base: StartBase, recordId: number) => ({
  name: WF_JOBS.start,
  key: `wfstart:${base.workflowId}:${recordId}`,
  payload: { ...base, recordId },
});

/**
 * The runtime's job types and its record-event hook. Every handler tolerates running twice:
 * engine events carry ids derived from the job (a repeat is a duplicate the engine ignores),
 * node runs are claimed by a compare-and-set, notifications are inserted once per dedupe key,
 * and every database effect commits in the job's own completion (`ctx.complete`).
 */
@Injectable()
export class WorkflowJobs implements OnModuleInit {
  private readonly starting = new BoundedCache<string, Promise<StartingRows>>(500);

  constructor(
    private readonly registry: JobRegistry,
    private readonly outbox: JobOutbox,
    private readonly events: RecordEvents,
    private readonly engine: WorkflowEngineService,
    private readonly workflows: WorkflowsRepository,
    private readonly actions: WorkflowActions,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(WF_JOBS.start, (ctx) => this.start(ctx), { maxAttempts: 10 });
    this.registry.register(WF_JOBS.timer, (ctx) => this.timer(ctx), { maxAttempts: 20 });
    this.registry.register(WF_JOBS.action, (ctx) => this.action(ctx), { maxAttempts: 8 });
    this.registry.register(WF_JOBS.notify, (ctx) => this.notify(ctx), { maxAttempts: 10 });
    this.registry.register(WF_JOBS.subprocess, (ctx) => this.subprocess(ctx), { maxAttempts: 8 });
    this.registry.register(WF_JOBS.childFinished, (ctx) => this.childFinished(ctx), { maxAttempts: 20 });
    this.registry.register(WF_JOBS.cancelSubprocess, (ctx) => this.cancelSubprocess(ctx), { maxAttempts: 20 });
    this.events.subscribe({ name: 'workflows', inTransaction: (tx, events) => this.onRecordEvents(tx, events) });
  }

  /** In the write's transaction: a created record of an entity with a published workflow asks for its start; an action's own write claims its node run. */
  private async onRecordEvents(tx: Executor, events: Parameters<NonNullable<Parameters<RecordEvents['subscribe']>[0]['inTransaction']>>[1]): Promise<void> {
    let lastKey = '';
    let starting: StartingRows = [];
    // The records one write created, by workflow and submitter: a bulk create starts them in jobs of START_CHUNK.
    const starts = new Map<string, { workspaceId: string; workflowId: string; version: number; entityId: string; submitterId: string; recordIds: number[] }>();
    for (const e of events) {
      if (e.requestId?.startsWith(NODE_RUN_REQUEST)) {
        const key = e.requestId.slice(NODE_RUN_REQUEST.length);
        if (!(await this.engine.repo.finishNodeRun(tx, key, { recordId: e.recordId, entityId: e.entityId }, nowStorage()))) throw new NodeRunAlreadyDone(key);
        continue;
      }
      // Records the workflow itself creates start nothing (no workflow chains through its own actions).
      if (e.type !== 'record.created' || e.source === 'workflow' || !e.actor.userId) continue;
      // A bulk write's events share one entity version: ask once, not once (and one await) per record.
      const key = `${e.workspaceId}:${e.entityId}:${e.entityVersion}`;
      if (key !== lastKey) {
        lastKey = key;
        starting = await this.startingOnCreate(tx, e.workspaceId, e.entityId, e.entityVersion);
      }
      for (const w of starting) {
        const k = `${w.id}:${w.published_version}:${e.entityId}:${e.actor.userId}`;
        const group = starts.get(k);
        if (group) group.recordIds.push(e.recordId);
        else
          starts.set(k, {
            workspaceId: e.workspaceId,
            workflowId: w.id,
            version: Number(w.published_version),
            entityId: e.entityId,
            submitterId: e.actor.userId,
            recordIds: [e.recordId],
          });
      }
    }
    for (const { recordIds, ...base } of starts.values())
      for (let i = 0; i < recordIds.length; i += START_CHUNK) {
        const ids = recordIds.slice(i, i + START_CHUNK);
        if (ids.length === 1) await this.outbox.add(tx, startJob(base, ids[0]!));
        // Record ids are unique, so the first of a chunk names it.
        else
          await this.outbox.add(tx, { name: WF_JOBS.start, key: `wfstart:${base.workflowId}:${ids[0]}:n${ids.length}`, payload: { ...base, recordIds: ids } });
      }
  }

  /**
   * The workflows that start on a create, by the entity's metadata version: publishing,
   * retiring, deleting a workflow or changing its start move that version in their own
   * transaction (WorkflowDesignService), so a write on the current version asks the database
   * once per version and process, not once per write.
   */
  private startingOnCreate(tx: Executor, workspaceId: string, entityId: string, entityVersion: number): Promise<StartingRows> {
    const key = `${workspaceId}:${entityId}:${entityVersion}`;
    const hit = this.starting.get(key);
    if (hit) return hit;
    const rows = this.workflows.startingOnCreate(tx, workspaceId, entityId);
    this.starting.set(key, rows);
    // A failed look-up (its transaction rolled back) is asked again by the next write.
    rows.catch(() => this.starting.get(key) === rows && this.starting.delete(key));
    return rows;
  }

  private async start(ctx: JobContext): Promise<void> {
    const p = ctx.payload as StartBase & { recordId?: number; recordIds?: number[]; parent?: { instanceId: string; key: string } };
    if (!p.recordIds) {
      const prepared = await this.engine.prepareStart({ ...p, recordId: p.recordId!, eventId: `submit:${ctx.key}` });
      await ctx.complete((tx) => this.engine.commitStart(tx, prepared));
      return;
    }
    // The event id of each start is the one its own job would carry: a record started either way is started once.
    const base: StartBase = { workspaceId: p.workspaceId, workflowId: p.workflowId, version: p.version, entityId: p.entityId, submitterId: p.submitterId };
    const { prepared, failed } = await this.engine.prepareStarts({ ...base, recordIds: p.recordIds, eventId: (id) => `submit:${startJob(base, id).key}` });
    await ctx.complete(async (tx) => {
      await this.engine.commitStarts(tx, prepared);
      // A start the engine refused goes on as its own job, with its own retries and error.
      for (const id of failed) await this.outbox.add(tx, startJob(base, id));
    });
  }

  /** A job's completion as the transaction of an engine event (the job is done iff the transition committed). */
  private inJob(ctx: JobContext, before?: (tx: Executor) => Promise<unknown>): InTx {
    return (fn) =>
      ctx.complete(async (tx) => {
        if (before) await before(tx);
        return fn(tx);
      });
  }

  /** Applies an engine event from a job; an instance gone or stopped completes the job with nothing to do. */
  private async applyFromJob(
    ctx: JobContext,
    p: P,
    event: Parameters<WorkflowEngineService['apply']>[0]['event'],
    before?: (tx: Executor) => Promise<unknown>,
    loaded?: { row: InstanceRow; c?: CompiledEntity },
  ) {
    try {
      const r = await this.engine.apply({
        workspaceId: p.workspaceId,
        instanceId: p.instanceId,
        event,
        inTx: this.inJob(ctx, before),
        // The job is the delivery of the transition's notifications: stored in its completion, no notify job of their own.
        inJob: true,
        ...(loaded ? { loaded } : {}),
      });
      if (r.duplicate) await ctx.complete(async (tx) => before?.(tx));
    } catch (err) {
      if (err instanceof AppError && ['INSTANCE_NOT_FOUND', 'INSTANCE_NOT_RUNNING', 'TASK_NOT_PENDING'].includes(err.code)) return;
      if (err && typeof err === 'object' && ['INSTANCE_NOT_RUNNING', 'TASK_NOT_PENDING', 'TASK_NOT_FOUND'].includes(String((err as { code?: unknown }).code)))
        return;
      throw err;
    }
  }

  private async timer(ctx: JobContext): Promise<void> {
    const p = ctx.payload as P & { timerId: string };
    const at = new Date().toISOString();
    await this.applyFromJob(ctx, p, () => ({ type: 'timerFired', id: `timer:${p.timerId}`, at, timerId: p.timerId }));
  }

  private async action(ctx: JobContext): Promise<void> {
    const p = ctx.payload as P & { nodeId: string };
    const row = await this.engine.repo.instance(p.workspaceId, p.instanceId);
    if (!row) return;
    let c: CompiledEntity | undefined;
    // A first attempt follows no earlier run of this job: its node run is pending (and the write's hook checks it anyway).
    const run = ctx.attempt > 1 ? await this.engine.repo.nodeRun(p.key) : null;
    let outcome: Omit<ActionOutcome, 'result'> & { result?: unknown };
    if (run?.status === 'done') outcome = { ok: true, result: run.result ? JSON.parse(run.result) : null, nodeRunDone: true };
    else {
      const action = this.actions.actionOf(await this.engine.graphOrThrow(row.workflow_id, Number(row.version)), p.nodeId);
      if (!action) outcome = { ok: false, error: `Node ${p.nodeId} is not an automatic action of this version` };
      else {
        try {
          c = await this.actions.entityOf(row);
          outcome = await this.actions.run({ row, c, key: p.key, action, signal: ctx.signal });
        } catch (err) {
          // The last attempt reports the failure to the instance (its node decides: stop or continue).
          const max = Number((ctx.payload as { maxAttempts?: number }).maxAttempts ?? 8);
          if (ctx.attempt < max) throw err;
          outcome = { ok: false, error: (err instanceof Error ? err.message : String(err)).slice(0, 500) };
        }
      }
    }
    const at = new Date().toISOString();
    const loaded = c ? { row, c } : { row };
    const finish = (o: typeof outcome) =>
      this.applyFromJob(
        ctx,
        p,
        () => ({ type: 'actionFinished', id: `done:${p.key}`, at, key: p.key, ok: o.ok, ...(o.error ? { error: o.error } : {}) }),
        // A record write marked the node run done in its own transaction already.
        o.nodeRunDone ? undefined : (tx) => this.engine.repo.finishNodeRun(tx, p.key, o, nowStorage()),
        // The row read above: the compare-and-set on its rev catches a transition in between (then the engine reads it again).
        loaded,
      );
    const write = outcome.write;
    if (!write) return finish(outcome);
    try {
      // The record write and the transition in one transaction (the job's completion): one commit, and neither without the other.
      await this.applyFromJob(
        ctx,
        p,
        () => ({ type: 'actionFinished', id: `done:${p.key}`, at, key: p.key, ok: true }),
        async (tx) => {
          await write.persistIn(tx);
          // The stored values already: no record event marked the node run.
          if (write.unchanged()) await this.engine.repo.finishNodeRun(tx, p.key, { ok: true, result: outcome.result, unchanged: true }, nowStorage());
        },
        loaded,
      );
    } catch (err) {
      let failed: typeof outcome;
      try {
        failed = this.actions.outcomeOrThrow(err);
      } catch (e) {
        if (ctx.attempt < Number((ctx.payload as { maxAttempts?: number }).maxAttempts ?? 8)) throw e;
        failed = { ok: false, error: (e instanceof Error ? e.message : String(e)).slice(0, 500) };
      }
      await finish(failed);
    }
  }

  /** Stores the notifications of one transition (jobs queued before they were batched carry one, and no instance). */
  private async notify(ctx: JobContext): Promise<void> {
    const p = ctx.payload as P & Partial<NotifyItem> & { items?: NotifyItem[]; instance?: { workflowId: string; entityId: string; recordId: number } };
    const items: NotifyItem[] = p.items ?? [{ key: p.key, kind: p.kind!, to: p.to ?? [], nodeId: p.nodeId, taskId: p.taskId }];
    let instance = p.instance;
    if (!instance) {
      const row = await this.engine.repo.instance(p.workspaceId, p.instanceId);
      if (row) instance = { workflowId: row.workflow_id, entityId: row.entity_id, recordId: Number(row.record_id) };
    }
    const rows = notificationRows(p.workspaceId, p.instanceId, instance, items);
    await ctx.complete((tx) => this.notifications.add(tx, rows));
  }

  /** Starts the sub-process on the first related record (its published version); with `wait`, the parent hears when it ends. */
  private async subprocess(ctx: JobContext): Promise<void> {
    const p = ctx.payload as P & { nodeId: string };
    const row = await this.engine.repo.instance(p.workspaceId, p.instanceId);
    if (!row) return;
    const graph = await this.engine.graphOrThrow(row.workflow_id, Number(row.version));
    const s = graph.nodes.find((n) => n.id === p.nodeId)?.settings as { workflowId: string; relationField: string; wait: boolean } | undefined;
    const target = s ? await this.workflows.find(p.workspaceId, s.workflowId) : null;
    const related = s && target ? await this.engine.relatedRecord(row, s.relationField) : null;
    if (!s || !target || target.published_version === null || related === null) {
      // Nothing to run on: the parent goes on (the timeline says why).
      if (s?.wait) {
        const at = new Date().toISOString();
        await this.applyFromJob(
          ctx,
          p,
          () => ({ type: 'subprocessFinished', id: `sub:${p.key}`, at, key: p.key, status: 'ended' }),
          (tx) => this.engine.repo.finishNodeRun(tx, p.key, { started: false }, nowStorage()),
        );
      } else await ctx.complete((tx) => this.engine.repo.finishNodeRun(tx, p.key, { started: false }, nowStorage()));
      return;
    }
    const prepared = await this.engine.prepareStart({
      workspaceId: p.workspaceId,
      workflowId: target.id,
      version: Number(target.published_version),
      entityId: target.entity_id,
      recordId: related,
      submitterId: row.submitter_id,
      eventId: `submit:${ctx.key}`,
      ...(s.wait ? { parent: { instanceId: row.id, key: p.key } } : {}),
    });
    await ctx.complete(async (tx) => {
      if (!(await this.engine.repo.finishNodeRun(tx, p.key, { started: prepared.row.id }, nowStorage()))) return;
      await this.engine.commitStart(tx, prepared);
    });
  }

  /**
   * The parent stopped waiting for a sub-process (withdrawn, returned, ended): a child not started
   * yet never starts (its node run is closed here, the sub-process job's claim then fails); a
   * running child is ended by the system. Its own finish reaches the parent as a stale event.
   */
  private async cancelSubprocess(ctx: JobContext): Promise<void> {
    const p = ctx.payload as P & { workKey: string };
    const run = await this.engine.repo.nodeRun(p.workKey);
    if (!run) return;
    if (run.status !== 'done')
      return ctx.complete(async (tx) => {
        // Lost to the sub-process job starting the child meanwhile: roll back, the next attempt ends it.
        if (!(await this.engine.repo.finishNodeRun(tx, p.workKey, { cancelled: true }, nowStorage())))
          throw new Error(`Sub-process ${p.workKey} started meanwhile: ending it on the next attempt`);
      });
    const childId = (run.result ? (JSON.parse(run.result) as { started?: unknown }).started : null) ?? null;
    if (typeof childId !== 'string') return;
    const at = new Date().toISOString();
    await this.applyFromJob(ctx, { ...p, instanceId: childId }, () => ({
      type: 'adminEnd',
      id: `cancel:${p.key}`,
      at,
      actor: 'system',
      comment: 'The parent instance no longer waits for this sub-process',
    }));
  }

  private async childFinished(ctx: JobContext): Promise<void> {
    const p = ctx.payload as P & { status: InstanceStatus; childId: string };
    const at = new Date().toISOString();
    await this.applyFromJob(ctx, p, () => ({ type: 'subprocessFinished', id: `sub:${p.key}`, at, key: p.key, status: p.status }));
  }
}
