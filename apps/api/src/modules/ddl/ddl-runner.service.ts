import { Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { ValueConverter } from '../entities/type-change';
import { assertPhysicalName, columnTypeSql, compensationOf, createChildTableSql, createLinkTableSql, createRecordTableSql, type DdlStep } from './ddl-step';
import { DdlRepository, type PlanRow } from './ddl.repository';

/** Test-only fault injection: makes a plan "crash" (process death) or fail at a given step. */
export interface DdlFaults {
  crashAfterStep?: number;
  failAtStep?: number;
}
export const DDL_FAULTS = Symbol('DDL_FAULTS');

/** Thrown to imitate the process dying mid-plan: nothing is compensated, the plan stays running. */
export class SimulatedCrash extends Error {}

const BATCH = 1000;

/**
 * Applies persisted DDL plans one workspace at a time. Each step checks the catalog first, so a
 * plan interrupted by a crash resumes safely on the next start; a step that fails rolls the
 * plan back with compensating steps (MySQL commits DDL implicitly, so no transaction can).
 */
@Injectable()
export class DdlRunnerService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DdlRunner');

  constructor(
    private readonly repo: DdlRepository,
    @Optional() @Inject(DDL_FAULTS) private readonly faults: DdlFaults | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const plan of await this.repo.unfinishedPlans()) {
      this.logger.warn(`Resuming DDL plan ${plan.id} (${plan.kind}, ${plan.status}, ${plan.done_steps}/${plan.steps.length} steps done)`);
      try {
        await this.execute(plan.id);
      } catch (err) {
        this.logger.error(`DDL plan ${plan.id} could not be completed and was rolled back: ${(err as Error).message}`);
      }
    }
  }

  /** Runs (or resumes) a plan to the end; throws the step's error after rolling back. */
  async execute(planId: string): Promise<void> {
    const first = await this.repo.findPlan(planId);
    if (!first) throw new Error(`DDL plan ${planId} not found`);
    await this.repo.withWorkspaceLock(first.workspace_id, () => this.executeHeld(planId));
  }

  /** Like execute, for a caller that already holds the workspace's DDL lock. */
  async executeHeld(planId: string): Promise<void> {
    {
      const plan = (await this.repo.findPlan(planId))!;
      if (plan.status === 'done' || plan.status === 'rolled_back') return;
      if (plan.status === 'rolling_back') return this.rollback(plan, plan.error ?? 'interrupted rollback');
      await this.repo.setProgress(plan.id, { status: 'running' });
      for (let i = plan.done_steps; i < plan.steps.length; i++) {
        try {
          if (this.faults?.failAtStep === i + 1) throw new Error(`injected failure at step ${i + 1}`);
          await this.apply(plan.steps[i]);
        } catch (err) {
          if (err instanceof SimulatedCrash) throw err;
          plan.done_steps = i + 1; // the failed step may be half-applied: compensate it too
          await this.rollback(plan, (err as Error).message);
          throw err instanceof AppError ? err : new AppError('SCHEMA_CHANGE_FAILED', `The schema change failed and was rolled back: ${(err as Error).message}`);
        }
        await this.repo.setProgress(plan.id, { doneSteps: i + 1 });
        if (this.faults?.crashAfterStep === i + 1) throw new SimulatedCrash(`simulated crash after step ${i + 1}`);
      }
      await this.repo.finish(plan.id, 'done', plan.meta.onDone);
    }
  }

  /** Serialises schema changes of one workspace: checks, plan and DDL run under one lock. */
  withWorkspaceLock<T>(workspaceId: string, fn: () => Promise<T>): Promise<T> {
    return this.repo.withWorkspaceLock(workspaceId, fn);
  }

  private async rollback(plan: PlanRow, reason: string): Promise<void> {
    await this.repo.setProgress(plan.id, { status: 'rolling_back', error: reason.slice(0, 2000) });
    for (let i = Math.min(plan.done_steps, plan.steps.length) - 1; i >= 0; i--) {
      const undo = compensationOf(plan.steps[i]);
      if (undo) await this.apply(undo);
    }
    await this.repo.finish(plan.id, 'rolled_back', plan.meta.onRollback);
  }

  private async apply(step: DdlStep): Promise<void> {
    const d = this.repo.dialect;
    switch (step.op) {
      case 'createRecordTable':
      case 'createLinkTable':
      case 'createChildTable': {
        if (await this.repo.tableExists(step.table)) return;
        const sql = step.op === 'createRecordTable' ? createRecordTableSql(d, step.table) : step.op === 'createLinkTable' ? createLinkTableSql(d, step.table) : createChildTableSql(d, step.table);
        for (const s of sql) await this.repo.exec(s);
        return;
      }
      case 'addColumn':
        if (await this.repo.columnExists(step.table, step.column)) return;
        await this.repo.exec(`ALTER TABLE ${assertPhysicalName(step.table)} ADD COLUMN ${assertPhysicalName(step.column)} ${columnTypeSql(d, step.spec)} NULL`);
        return;
      case 'createIndex':
        if (await this.repo.indexExists(step.table, step.index)) return;
        await this.repo.exec(
          `CREATE ${step.unique ? 'UNIQUE ' : ''}INDEX ${assertPhysicalName(step.index)} ON ${assertPhysicalName(step.table)} (${step.columns.map(assertPhysicalName).join(', ')})`,
        );
        return;
      case 'dropIndex':
        if (!(await this.repo.indexExists(step.table, step.index))) return;
        await this.repo.exec(d === 'mysql' ? `DROP INDEX ${assertPhysicalName(step.index)} ON ${assertPhysicalName(step.table)}` : `DROP INDEX ${assertPhysicalName(step.index)}`);
        return;
      case 'dropColumn':
        if (!(await this.repo.tableExists(step.table)) || !(await this.repo.columnExists(step.table, step.column))) return;
        await this.repo.exec(`ALTER TABLE ${assertPhysicalName(step.table)} DROP COLUMN ${assertPhysicalName(step.column)}`);
        return;
      case 'dropTable':
        if (!(await this.repo.tableExists(step.table))) return;
        await this.repo.exec(`DROP TABLE ${assertPhysicalName(step.table)}`);
        return;
      case 'backfill':
      case 'verifyBackfill':
        await this.backfill(step);
        return;
    }
  }

  /**
   * Copies converted values into the new column, in batches, for rows not yet copied (so it
   * is idempotent and catches rows written meanwhile). verifyBackfill then refuses when any
   * row's value does not fit the new type.
   */
  private async backfill(step: Extract<DdlStep, { op: 'backfill' | 'verifyBackfill' }>): Promise<void> {
    const t = assertPhysicalName(step.table);
    const from = assertPhysicalName(step.from);
    const to = assertPhysicalName(step.to);
    const converter = new ValueConverter(step.change);
    const misfits: number[] = [];
    let misfitCount = 0;
    let lastId = 0;
    for (;;) {
      const rows = await this.repo.query<{ id: number; v: unknown }>(`SELECT id, ${from} AS v FROM ${t} WHERE id > ? AND ${from} IS NOT NULL AND ${to} IS NULL ORDER BY id LIMIT ${BATCH}`, [lastId]);
      if (!rows.length) break;
      lastId = Number(rows[rows.length - 1].id);
      const cases: unknown[] = [];
      const ids: number[] = [];
      for (const r of rows) {
        const v = converter.convert(r.v);
        if (v === undefined || v === null) {
          misfitCount++;
          if (misfits.length < 10) misfits.push(Number(r.id));
          continue;
        }
        cases.push(Number(r.id), v);
        ids.push(Number(r.id));
      }
      if (ids.length) {
        await this.repo.exec(`UPDATE ${t} SET ${to} = CASE id ${ids.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (${ids.map(() => '?').join(', ')})`, [...cases, ...ids]);
      }
      if (rows.length < BATCH) break;
    }
    if (step.op === 'verifyBackfill' && misfitCount > 0) {
      throw new AppError('TYPE_CHANGE_DATA_MISMATCH', `${misfitCount} record(s) hold values that do not fit type ${step.change.to.type}; nothing was changed`, {
        rowCount: misfitCount,
        sampleIds: misfits,
        field: step.change.from.key,
      });
    }
  }
}
