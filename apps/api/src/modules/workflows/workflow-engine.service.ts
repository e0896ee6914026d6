import {
  applyEventOrThrow,
  type AssigneeResolver,
  type Effect,
  type EngineResult,
  type InstanceState,
  startInstance,
  type WorkflowEvent,
  type WorkflowGraph,
} from '@crm/workflow';
import { Injectable } from '@nestjs/common';
import { BoundedCache } from '../../common/bounded-cache';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage } from '../../common/ids';
import type { Executor } from '../../database/db';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { JobOutbox } from '../jobs/job-outbox';
import { NotificationsService } from '../notifications/notifications.service';
import { RecordsQueryService } from '../records/records-query.service';
import { OrgDirectory } from './org-directory';
import { foldableClose, instanceOf, newWriteBuffer, notificationRows, type NotifyItem, taskClose, taskRow, type WriteBuffer } from './workflow-effect-rows';
import { type InstanceRow, WorkflowRuntimeRepository } from './workflow-runtime.repository';
import { WorkflowsRepository } from './workflows.repository';

export { notificationRows, type NotifyItem } from './workflow-effect-rows';

/** Job types of the runtime (workflow-jobs.ts handles them). */
export const WF_JOBS = {
  start: 'workflow.start',
  timer: 'workflow.timer',
  action: 'workflow.action',
  notify: 'workflow.notify',
  subprocess: 'workflow.subprocess',
  childFinished: 'workflow.child-finished',
  cancelSubprocess: 'workflow.subprocess-cancel',
} as const;

/** Runs a body in a transaction: the pool's, or a job's `ctx.complete` (the job finishes with the transition). */
export type InTx = <T>(fn: (tx: Executor) => Promise<T>) => Promise<T>;

export interface Applied extends EngineResult {
  row: InstanceRow;
}

class RevConflict extends Error {}

/** The engine looked at the record or the organisation of an event applied without them (see `decide`). */
class ContextNeeded extends Error {}
const needed = (): never => {
  throw new ContextNeeded('the record and organisation were not read for this event');
};
const ORG_NOT_READ: AssigneeResolver = { resolve: needed, workflowAdmins: needed, canResolve: needed };
const RECORD_NOT_READ: Record<string, unknown> = new Proxy(
  {},
  { get: needed, has: needed, ownKeys: needed, getOwnPropertyDescriptor: needed, getPrototypeOf: needed },
);

export interface StartArgs {
  workspaceId: string;
  workflowId: string;
  version: number;
  entityId: string;
  recordId: number;
  submitterId: string;
  eventId: string;
  parent?: { instanceId: string; key: string };
}

const CAS_TRIES = 20;

const NOTIFY_CHUNK = 200;

/**
 * The runtime's one path from an event to the database: load the instance (state, pinned
 * version's graph, the record's values, the organisation), let the pure engine decide, then
 * commit the new state with a compare-and-set on `rev` together with the task rows, timeline
 * lines, node runs and outbox jobs of its effects. A writer that lost the race reloads and
 * tries again, so two decisions at the same instant make two transitions in some order, never
 * one lost or one applied twice.
 */
@Injectable()
export class WorkflowEngineService {
  private readonly graphs = new BoundedCache<string, WorkflowGraph>(500);

  constructor(
    readonly repo: WorkflowRuntimeRepository,
    private readonly workflows: WorkflowsRepository,
    private readonly entities: EntityRuntime,
    private readonly reads: RecordsQueryService,
    private readonly org: OrgDirectory,
    private readonly outbox: JobOutbox,
    private readonly notifications: NotificationsService,
  ) {}

  /** The graph of a published (or retired) version: immutable, so one object per version is kept (the engine caches by object). */
  async graphOrThrow(workflowId: string, version: number): Promise<WorkflowGraph> {
    const key = `${workflowId}:${version}`;
    const hit = this.graphs.get(key);
    if (hit) return hit;
    const v = await this.workflows.version(workflowId, version);
    if (!v || v.status === 'draft') throw notFound('WORKFLOW_VERSION_NOT_FOUND', `Workflow version ${key}`);
    const graph = JSON.parse(v.graph) as WorkflowGraph;
    this.graphs.set(key, graph);
    return graph;
  }

  private async context(workspaceId: string, c: CompiledEntity, recordId: number) {
    const [record, resolver] = await Promise.all([this.record(c, recordId), this.org.resolverFor(workspaceId, c.meta.appId)]);
    return { record, resolver };
  }

  private async record(c: CompiledEntity, recordId: number): Promise<Record<string, unknown>> {
    return (await this.reads.readOrThrow(this.reads.db, c, recordId, true).catch(() => ({}))) as Record<string, unknown>;
  }

  /**
   * Applies the event without reading the record or the organisation first: most events (a
   * decision of an all-must-agree node, an action's result) never look at them. The engine is
   * pure, so when a step does (a branch condition, assignees to resolve, a wait date) the
   * placeholder throws, and the event is applied again with both read.
   */
  private async decide(
    c: CompiledEntity,
    row: InstanceRow,
    input: { graph: WorkflowGraph; state: InstanceState; event: WorkflowEvent },
  ): Promise<EngineResult> {
    try {
      return applyEventOrThrow({ ...input, context: { record: RECORD_NOT_READ, resolver: ORG_NOT_READ } });
    } catch (err) {
      if (!(err instanceof ContextNeeded)) throw err;
      return applyEventOrThrow({ ...input, context: await this.context(row.workspace_id, c, Number(row.record_id)) });
    }
  }

  /** Prepares the start of an instance of a published version on a record (reads only; `commitStart` writes it in a transaction). */
  async prepareStart(args: StartArgs): Promise<Applied> {
    const graph = await this.graphOrThrow(args.workflowId, args.version);
    const c = await this.entities.getOrThrow(args.workspaceId, args.entityId);
    return this.startOn(graph, args, await this.context(args.workspaceId, c, args.recordId));
  }

  private startOn(graph: WorkflowGraph, args: StartArgs, context: Parameters<typeof startInstance>[0]['context']): Applied {
    const id = newId();
    const at = new Date().toISOString();
    const result = startInstance({
      graph,
      instance: {
        instanceId: id,
        workflowId: args.workflowId,
        version: args.version,
        recordId: String(args.recordId),
        submitterId: args.submitterId,
        ...(args.parent ? { parent: args.parent } : {}),
      },
      event: { id: args.eventId, at },
      context,
    });
    const row: InstanceRow = {
      id,
      workspace_id: args.workspaceId,
      workflow_id: args.workflowId,
      version: args.version,
      entity_id: args.entityId,
      record_id: args.recordId,
      submitter_id: args.submitterId,
      rev: 1,
      started_at: nowStorage(new Date(at)),
      ...this.nextRow(result.state),
    };
    return { ...result, row };
  }

  /** Writes a prepared start in the caller's transaction (a job's completion: its notifications are stored in it). */
  async commitStart(tx: Executor, prepared: Applied): Promise<void> {
    await this.commitStarts(tx, [prepared]);
  }

  /**
   * Prepares the starts of one workflow version on several records of one entity (a bulk
   * create): the graph, the entity, the organisation and the records are read once for all.
   * A record whose start the engine refuses is answered in `failed` (its caller starts it on its
   * own, with its own retries), so one bad record does not hold the others back.
   */
  async prepareStarts(
    args: Omit<StartArgs, 'recordId' | 'eventId' | 'parent'> & { recordIds: number[]; eventId: (recordId: number) => string },
  ): Promise<{ prepared: Applied[]; failed: number[] }> {
    const graph = await this.graphOrThrow(args.workflowId, args.version);
    const c = await this.entities.getOrThrow(args.workspaceId, args.entityId);
    const [records, resolver] = await Promise.all([
      this.reads.readMany(this.reads.db, c, args.recordIds),
      this.org.resolverFor(args.workspaceId, c.meta.appId),
    ]);
    const prepared: Applied[] = [];
    const failed: number[] = [];
    for (const recordId of args.recordIds) {
      try {
        prepared.push(
          this.startOn(
            graph,
            { ...args, recordId, eventId: args.eventId(recordId) },
            { record: (records.get(recordId) ?? {}) as Record<string, unknown>, resolver },
          ),
        );
      } catch {
        failed.push(recordId);
      }
    }
    return { prepared, failed };
  }

  /** Writes prepared starts in the caller's transaction: the instances, their tasks, timeline lines and notifications each in one statement. */
  async commitStarts(tx: Executor, prepared: readonly Applied[]): Promise<void> {
    if (!prepared.length) return;
    await this.repo.insertInstances(
      tx,
      prepared.map((p) => p.row),
    );
    const buf = newWriteBuffer();
    for (const p of prepared) await this.persistEffects(tx, p.row, p, true, buf);
    await this.flush(tx, buf);
  }

  /** The first record a relation field of the instance's record names (sub-processes run on it), or null. */
  async relatedRecord(row: InstanceRow, field: string): Promise<number | null> {
    const c = await this.entities.getOrThrow(row.workspace_id, row.entity_id);
    const rec = (await this.reads.readOrThrow(this.reads.db, c, Number(row.record_id), true).catch(() => null)) as Record<string, unknown> | null;
    const v = rec?.[field];
    const first = Array.isArray(v) ? v[0] : v;
    const id = first && typeof first === 'object' ? (first as { id?: unknown }).id : first;
    return typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id)) ? Number(id) : null;
  }

  /**
   * Applies one event (built from the fresh state, so a retry after a lost race builds it again)
   * and commits it; `inTx` is a job's `ctx.complete` when a job drives the event.
   */
  async apply(args: {
    workspaceId: string;
    instanceId: string;
    event: (state: InstanceState, row: InstanceRow) => WorkflowEvent;
    inTx?: InTx;
    /**
     * `inTx` is a job's completion: the transition's notifications are stored in it (the job is
     * their delivery) instead of in a notify job of their own.
     */
    inJob?: boolean;
    /** The row and entity (and the row's state, parsed) the caller just read (the first attempt uses them; a retry reads again). */
    loaded?: { row: InstanceRow; c?: CompiledEntity; state?: InstanceState };
  }): Promise<Applied> {
    const inTx: InTx = args.inTx ?? ((fn) => this.repo.db.transaction(fn));
    for (let attempt = 1; ; attempt++) {
      const row = attempt === 1 && args.loaded ? args.loaded.row : await this.repo.instance(args.workspaceId, args.instanceId);
      if (!row) throw notFound('INSTANCE_NOT_FOUND', `Workflow instance ${args.instanceId.slice(0, 40)}`);
      const graph = await this.graphOrThrow(row.workflow_id, Number(row.version));
      const c = (attempt === 1 && args.loaded?.c) || (await this.entities.atVersionOrThrow(row.workspace_id, row.entity_id, row.entity_version));
      // The engine copies the state it is given, so the caller's parsed copy is not changed.
      const state = (attempt === 1 && args.loaded?.state) || (JSON.parse(row.state) as InstanceState);
      const event = args.event(state, row);
      const result = await this.decide(c, row, { graph, state, event });
      if (result.duplicate) return { ...result, row };
      try {
        return await inTx(async (tx) => {
          const next = this.nextRow(result.state);
          const fold = foldableClose(result);
          const close = fold && taskClose(result.state, fold, nowStorage());
          if (!(await this.repo.updateInstanceIfRev(tx, row.id, Number(row.rev), next, close ?? undefined))) throw new RevConflict();
          const out = { ...row, ...next, rev: Number(row.rev) + 1 };
          await this.persistEffects(tx, out, result, !!args.inJob, undefined, fold ?? undefined);
          return { ...result, row: out };
        });
      } catch (err) {
        if (!(err instanceof RevConflict)) throw err;
        if (attempt >= CAS_TRIES) throw new AppError('VERSION_CONFLICT', 'The workflow instance is changing too fast; try again');
      }
    }
  }

  private nextRow(s: InstanceState) {
    return {
      state: JSON.stringify(s),
      status: s.status,
      updated_at: nowStorage(),
      ended_at: s.endedAt ? nowStorage(new Date(s.endedAt)) : null,
      error: s.error ? `${s.error.code}: ${s.error.message}`.slice(0, 1000) : null,
    };
  }

  /**
   * The effects' rows in the transition's transaction: tasks and cc lines at once, asynchronous
   * work as outbox jobs keyed by the effect key; `written`: the task close the compare-and-set made.
   */
  private async persistEffects(tx: Executor, row: InstanceRow, result: EngineResult, inJob: boolean, shared?: WriteBuffer, written?: Effect): Promise<void> {
    const ws = row.workspace_id;
    // Timeline lines, new tasks and notifications gather in a buffer written at the end (several instances' at once when shared).
    const buf = shared ?? newWriteBuffer();
    for (const l of result.timeline) buf.timeline.push({ ...l, storageAt: nowStorage(new Date(l.at)), instanceId: row.id, workspaceId: ws });
    const at = nowStorage();
    // Consecutive new tasks go in one statement; the order against the other effects (a task closed, then announced again) stays.
    const notes: NotifyItem[] = [];
    for (const e of result.effects) {
      if (e.type === 'createTask') {
        buf.tasks.push(taskRow(row, e.task));
        continue;
      }
      if (buf.tasks.length && e.type === 'closeTask') {
        await this.repo.upsertTasks(tx, buf.tasks);
        buf.tasks = [];
      }
      if (e.type === 'notify') {
        if (e.kind === 'cc' && e.nodeId) await this.repo.insertCc(tx, ws, row.id, e.nodeId, e.to, at);
        for (let i = 0; i < e.to.length; i += NOTIFY_CHUNK)
          notes.push({
            key: e.key,
            kind: e.kind,
            to: e.to.slice(i, i + NOTIFY_CHUNK),
            ...(e.nodeId ? { nodeId: e.nodeId } : {}),
            ...(e.taskId ? { taskId: e.taskId } : {}),
          });
        continue;
      }
      if (e !== written) await this.persistEffect(tx, row, result.state, e, at);
    }
    if (inJob) buf.notifications.push(...notificationRows(row.workspace_id, row.id, instanceOf(row), notes));
    else await this.addNotifyJobs(tx, row, notes);
    if (!shared) await this.flush(tx, buf);
  }

  private async flush(tx: Executor, buf: WriteBuffer): Promise<void> {
    await this.repo.insertTimeline(tx, buf.timeline);
    await this.repo.upsertTasks(tx, buf.tasks);
    if (buf.notifications.length) await this.notifications.add(tx, buf.notifications);
  }

  /**
   * The notifications of one transition as few jobs as fit (at most NOTIFY_CHUNK recipients a
   * job), each carrying what the notification shows, so the job reads nothing. Every
   * notification keeps its own dedupe key (`wf:<effect key>:<member>`).
   */
  private async addNotifyJobs(tx: Executor, row: InstanceRow, notes: NotifyItem[]): Promise<void> {
    const instance = instanceOf(row);
    for (let i = 0; i < notes.length;) {
      const items: NotifyItem[] = [];
      let n = 0;
      while (i < notes.length && (items.length === 0 || n + notes[i]!.to.length <= NOTIFY_CHUNK)) {
        n += notes[i]!.to.length;
        items.push(notes[i++]!);
      }
      const payload = { workspaceId: row.workspace_id, instanceId: row.id, key: items[0]!.key, instance, items };
      await this.outbox.add(tx, { name: WF_JOBS.notify, key: `wf:${items[0]!.key}:n${items.length}:${i}`, payload, maxAttempts: 10 });
    }
  }

  private async persistEffect(tx: Executor, row: InstanceRow, state: InstanceState, e: Effect, at: string): Promise<void> {
    const ws = row.workspace_id;
    const base = { workspaceId: ws, instanceId: row.id, key: e.key };
    switch (e.type) {
      case 'createTask':
        return; // persistEffects writes them at once
      case 'closeTask': {
        const close = taskClose(state, e, at);
        return this.repo.closeTask(tx, close, close.at);
      }
      case 'scheduleTimer':
        await this.outbox.add(tx, {
          name: WF_JOBS.timer,
          key: `wf:${e.key}`,
          runAt: new Date(e.timer.at),
          payload: { ...base, timerId: e.timer.id },
          maxAttempts: 20,
        });
        return;
      case 'cancelTimer':
        return; // a stale timer is a no-op when it fires (the engine ignores it)
      case 'runAction':
        await this.repo.insertNodeRun(tx, { key: e.key, instanceId: row.id, workspaceId: ws, type: 'action', nodeId: e.nodeId, at });
        await this.outbox.add(tx, { name: WF_JOBS.action, key: `wf:${e.key}`, payload: { ...base, nodeId: e.nodeId, maxAttempts: 8 }, maxAttempts: 8 });
        return;
      case 'startSubprocess':
        await this.repo.insertNodeRun(tx, { key: e.key, instanceId: row.id, workspaceId: ws, type: 'subprocess', nodeId: e.nodeId, at });
        await this.outbox.add(tx, { name: WF_JOBS.subprocess, key: `wf:${e.key}`, payload: { ...base, nodeId: e.nodeId }, maxAttempts: 8 });
        return;
      case 'notify':
        return; // persistEffects gathers them into notify jobs
      case 'cancelSubprocess':
        await this.outbox.add(tx, { name: WF_JOBS.cancelSubprocess, key: `wf:${e.key}`, payload: { ...base, workKey: e.workKey }, maxAttempts: 20 });
        return;
      case 'instanceFinished':
        if (e.parent)
          await this.outbox.add(tx, {
            name: WF_JOBS.childFinished,
            key: `wf:${e.key}`,
            payload: { workspaceId: ws, instanceId: e.parent.instanceId, key: e.parent.key, status: e.status, childId: row.id },
            maxAttempts: 20,
          });
        return;
    }
  }
}
