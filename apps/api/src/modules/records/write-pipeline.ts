import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { Db, type Executor } from '../../database/db';
import { AuditService } from '../audit/audit.service';
import { EntityRuntime } from '../entities/entity-runtime.service';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import { RecordEvents } from './record-events';
import { RecordWritesRepository } from './record-writes.repository';
import { checkReferences } from './references';
import { RecordsQueryService } from './records-query.service';
import { RecordsRepository } from './records.repository';
import {
  StaleEntityError,
  type TxBatch,
  validationError,
  type WriteBatch,
  type WriteParticipant,
  type WriteProbe,
  WRITE_STAGES,
  type WriteStage,
} from './write-batch';
import { WriteHistorian } from './write-history';
import { WriteNormaliser } from './write-normalise';
import { WritePersister } from './write-persist';

/** Stages after which collected issues are answered (defaults, form rules and compute report theirs with validate's). */
const ANSWER_AFTER: ReadonlySet<WriteStage> = new Set(['normalise', 'validate', 'references']);
/** The stages run before the write's transaction opens: every stage before persist. */
const BEFORE_TRANSACTION = WRITE_STAGES.slice(0, WRITE_STAGES.indexOf('persist')) as Exclude<WriteStage, 'persist' | 'history' | 'afterCommit'>[];

/** A unique-index violation as the field it guards (409 UNIQUE_VIOLATION), or null. */
function uniqueViolationOf(c: CompiledEntity, err: unknown): AppError | null {
  const msg = String((err as { message?: string }).message ?? '');
  if (!/Duplicate entry|UNIQUE constraint failed/i.test(msg)) return null;
  const f = c.meta.fields.find(
    (x) => (x.physical.uniqueIndex && msg.includes(x.physical.uniqueIndex)) || (x.physical.column && msg.includes(`.${x.physical.column}`)),
  );
  if (!f) return null;
  return new AppError('UNIQUE_VIOLATION', `Another record already has this ${f.label} (${f.key})`, {
    field: f.key,
    errors: [{ path: `/${f.key}`, code: 'duplicate', message: `${f.label} must be unique` }],
  });
}

/** Records' own part of every stage: it runs first in each. */
class RecordsCore implements WriteParticipant {
  readonly name = 'records';

  constructor(
    private readonly normaliser: WriteNormaliser,
    private readonly persister: WritePersister,
    private readonly historian: WriteHistorian,
    private readonly repo: RecordsRepository,
    private readonly runtime: EntityRuntime,
    private readonly reads: RecordsQueryService,
  ) {}

  /** A write on an entity taken from the cache unchecked learns its version first. */
  probe(w: WriteBatch): WriteProbe | null {
    if (!w.verifyVersion) return null;
    return {
      sql: this.runtime.versionProbe(w.c),
      take: (v) => {
        if (v === null || Number(v) !== w.c.meta.version) throw new StaleEntityError();
      },
    };
  }

  normalise(w: WriteBatch) {
    return this.normaliser.normalise(w);
  }

  /** Related records the member can view, members and departments of this workspace; one query per kind and target. */
  async references(w: WriteBatch): Promise<void> {
    if (w.kind !== 'create' && w.kind !== 'update') return;
    const inputs = w.shared ? [{ values: w.shared, pathPrefix: '/values' }] : w.records.map((r) => ({ values: r.values, pathPrefix: r.prefix }));
    const issues = await checkReferences({
      exec: this.repo.db,
      repo: this.repo,
      runtime: this.runtime,
      workspaceId: w.ctx.actor.workspaceId,
      fields: w.c.meta.fields,
      inputs,
      targetScope: async (target) => (await this.reads.entityAccessOf(w.ctx, target)).scopeSqlOrThrow('view'),
    });
    w.issues.push(...issues);
  }

  persist(w: TxBatch) {
    return this.persister.persist(w);
  }

  history(w: TxBatch) {
    return this.historian.history(w);
  }
}

/**
 * The one record-write pipeline (docs/architecture.md). Every write — create, update, bulk
 * create and edit, delete, restore, purge, a public-form submission, later imports, workflow
 * field edits and automation actions — is a WriteBatch run through the same stages in the same
 * order. Records takes part in each stage first; forms, computed fields and files register
 * their parts at start-up (`register`), so records never imports them.
 */
@Injectable()
export class RecordWritePipeline {
  private readonly log = new Logger('RecordWritePipeline');
  private readonly participants: WriteParticipant[];

  constructor(
    private readonly db: Db,
    private readonly events: RecordEvents,
    private readonly repo: RecordsRepository,
    writes: RecordWritesRepository,
    reads: RecordsQueryService,
    runtime: EntityRuntime,
    audit: AuditService,
  ) {
    const core = new RecordsCore(
      new WriteNormaliser(repo, reads),
      new WritePersister(repo, writes, reads),
      new WriteHistorian(audit, reads, events),
      repo,
      runtime,
      reads,
    );
    this.participants = [core];
  }

  /** Adds a participant; it takes part in every later write, after those registered before it. */
  register(p: WriteParticipant): () => void {
    this.participants.push(p);
    return () => {
      const i = this.participants.indexOf(p);
      if (i > 0) this.participants.splice(i, 1);
    };
  }

  /** Every participant's probe in one statement (issue 9, item 8: each statement costs the API ~0.2 ms of CPU). */
  private async probe(w: WriteBatch, all: WriteParticipant[]): Promise<void> {
    const probes = all.map((p) => p.probe?.(w) ?? null).filter((p): p is WriteProbe => p !== null);
    if (!probes.length) return;
    const values = await this.repo.scalars(probes.map((p) => p.sql));
    probes.forEach((p, i) => p.take(values[i]));
  }

  async run(w: WriteBatch): Promise<void> {
    const all = await this.prepare(w);
    await this.db.transaction((tx) => this.persistStages(tx, w, all));
    await this.afterCommit(w, all);
  }

  /**
   * The stages before the transaction (probe, open, normalise … references): a write prepared
   * here is then persisted with `persistIn` in a transaction the caller holds (an automatic
   * action's record write and its workflow transition commit as one).
   */
  async prepare(w: WriteBatch): Promise<WriteParticipant[]> {
    const all = [...this.participants];
    await this.probe(w, all);
    for (const p of all) await p.open?.(w);
    for (const stage of BEFORE_TRANSACTION) {
      for (const p of all) await p[stage]?.(w);
      if (ANSWER_AFTER.has(stage) && w.issues.length) throw validationError(w.issues);
    }
    return all;
  }

  /**
   * persist, history and the events' in-transaction part of a prepared write in the caller's
   * transaction; the after-commit part runs once that commits (never when it rolls back). A
   * write whose transaction rolled back may be persisted again in the next one.
   */
  async persistIn(tx: Executor, w: WriteBatch, all: WriteParticipant[]): Promise<void> {
    w.events.length = 0;
    w.unchanged = undefined;
    await this.persistStages(tx, w, all);
    tx.afterCommit(() => void this.afterCommit(w, all));
  }

  private async persistStages(tx: Executor, w: WriteBatch, all: WriteParticipant[]): Promise<void> {
    try {
      const t = Object.assign(w, { tx }) as TxBatch;
      for (const p of all) await p.persist?.(t);
      for (const p of all) await p.history?.(t);
      // Subscribers' own in-transaction part (the workflow outbox): it commits with the write.
      await this.events.inTransaction(tx, w.events);
    } catch (err) {
      throw uniqueViolationOf(w.c, err) ?? err;
    } finally {
      w.tx = undefined;
    }
  }

  private async afterCommit(w: WriteBatch, all: WriteParticipant[]): Promise<void> {
    for (const p of all) {
      try {
        await p.afterCommit?.(w);
      } catch (err) {
        this.log.error(`${p.name} failed after commit: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
    await this.events.afterCommit(w.events);
  }
}
