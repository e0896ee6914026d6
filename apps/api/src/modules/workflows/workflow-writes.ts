import type { CompiledAccess, FieldSet } from '@crm/access';
import { Injectable } from '@nestjs/common';
import type { Actor, RequestContext } from '../../common/request-context';
import { EntityAccess } from '../access/access.service';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { RecordDto } from '../records/record-codec';
import { RecordWritePipeline } from '../records/write-pipeline';
import { newBatch, type WriteBatch } from '../records/write-batch';
import type { Executor } from '../../database/db';
import { RecordsQueryService } from '../records/records-query.service';

/** The request id of a write an automatic action makes: the record-event hook marks its node run done in the write's transaction. */
export const NODE_RUN_REQUEST = 'wfrun:';

interface UpdateArgs {
  ctx: RequestContext;
  c: CompiledEntity;
  id: number;
  values: Record<string, unknown>;
  writable: FieldSet;
  expectedVersion?: number;
  /** The record as the caller just read it (outside any transaction): the write starts from it instead of reading it again. */
  current?: RecordDto;
}
interface CreateArgs {
  ctx: RequestContext;
  c: CompiledEntity;
  values: Record<string, unknown>;
}

/** A record write whose checks ran: `persistIn` writes it in the caller's transaction (again after a rollback). */
export interface PreparedWrite {
  persistIn(tx: Executor): Promise<RecordDto>;
  /** After `persistIn`: the values were the stored ones, nothing was written (no record event). */
  unchanged(): boolean;
}

/** A context for writes the workflow makes on a member's behalf (automatic actions: the submitter). */
export function workflowContext(workspaceId: string, userId: string, requestId: string): RequestContext {
  const actor: Actor = {
    kind: 'session',
    userId,
    workspaceId,
    workspaceName: '',
    email: '',
    name: 'workflow',
    isAdmin: false,
    sessionId: null,
    tokenId: null,
    appIds: null,
    readOnly: false,
    aclVersion: 0,
  };
  return { requestId, ip: '', actor };
}

/** Access that reaches the one record and writes `writable` (every field for automatic actions; the node's editable fields for an assignee). */
function taskAccess(c: CompiledEntity, userId: string, writable: FieldSet, dialect: 'mysql' | 'sqlite'): EntityAccess<CompiledEntity> {
  const compiled: CompiledAccess = {
    isAdmin: false,
    can: (a) => a === 'view' || a === 'edit' || a === 'create',
    scope: () => 'all',
    readable: 'all',
    writable: () => writable,
  };
  return new EntityAccess(c, compiled, { userId, departmentIds: [], departmentTree: [] }, dialect);
}

/**
 * Record writes of the workflow, through the one write pipeline (source `workflow`): an
 * assignee's edits of the fields their node unlocks, and automatic actions' set-fields and
 * create-record steps.
 */
@Injectable()
export class WorkflowWrites {
  constructor(
    private readonly pipeline: RecordWritePipeline,
    private readonly reads: RecordsQueryService,
  ) {}

  async read(c: CompiledEntity, id: number): Promise<RecordDto> {
    return this.reads.readOrThrow(this.reads.db, c, id, false);
  }

  /** Updates a record; `expectedVersion` undefined: the stored version (automatic actions win over nobody's edit). */
  async update(args: UpdateArgs): Promise<RecordDto> {
    const w = await this.updateBatch(args);
    await this.pipeline.run(w);
    return w.records[0].after!;
  }

  async create(args: CreateArgs): Promise<RecordDto> {
    const w = this.createBatch(args);
    await this.pipeline.run(w);
    return w.records[0].after!;
  }

  /** An update checked and computed now (validation errors throw here), written later in the caller's transaction. */
  async prepareUpdate(args: UpdateArgs): Promise<PreparedWrite> {
    return this.prepared(await this.updateBatch(args));
  }

  /** A create checked and computed now, written later in the caller's transaction. */
  async prepareCreate(args: CreateArgs): Promise<PreparedWrite> {
    return this.prepared(this.createBatch(args));
  }

  private async prepared(w: WriteBatch): Promise<PreparedWrite> {
    const all = await this.pipeline.prepare(w);
    return {
      persistIn: async (tx) => {
        await this.pipeline.persistIn(tx, w, all);
        return w.records[0].after!;
      },
      unchanged: () => !!w.unchanged,
    };
  }

  private async updateBatch(args: UpdateArgs): Promise<WriteBatch> {
    const acc = taskAccess(args.c, args.ctx.actor.userId, args.writable, this.reads.db.dialect);
    acc.assertWritableOrThrow('edit', args.values, false);
    const version = args.expectedVersion ?? args.current?.version ?? (await this.read(args.c, args.id)).version;
    return newBatch({
      kind: 'update',
      source: 'workflow',
      ctx: args.ctx,
      c: args.c,
      acc,
      owned: true,
      expectedVersion: version,
      records: [{ prefix: '', id: args.id, input: { ...args.values, version }, values: {}, ...(args.current ? { current: args.current } : {}) }],
    });
  }

  private createBatch(args: CreateArgs): WriteBatch {
    const acc = taskAccess(args.c, args.ctx.actor.userId, 'all', this.reads.db.dialect);
    return newBatch({
      kind: 'create',
      source: 'workflow',
      ctx: args.ctx,
      c: args.c,
      acc,
      owned: true,
      records: [{ prefix: '', input: args.values, values: {} }],
    });
  }
}
