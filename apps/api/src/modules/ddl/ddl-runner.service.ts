import { fromDbOf, ValueConverter } from '@crm/schema';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { AppError } from '../../common/errors';

import { compensationOf, type DdlStep } from './ddl-step';
import { DdlRepository, type PlanRow } from './ddl.repository';
import { SchemaRepository } from './schema.repository';

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
    private readonly schema: SchemaRepository,
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
          if (err instanceof AppError) throw err;
          // Database messages stay in the log and the plan row; the caller gets the outcome.
          this.logger.error(`DDL plan ${plan.id} (${plan.kind}) failed at step ${i + 1} and was rolled back: ${(err as Error).message}`);
          throw new AppError('SCHEMA_CHANGE_FAILED', 'The schema change failed and was rolled back; nothing was changed', { planId: plan.id });
        }
        await this.repo.setProgress(plan.id, { doneSteps: i + 1 });
        if (this.faults?.crashAfterStep === i + 1) throw new SimulatedCrash(`simulated crash after step ${i + 1}`);
      }
      await this.repo.finish(plan.id, 'done', plan.meta.onDone);
    }
  }

  /**
   * Serialises schema changes of one workspace: checks, plan and DDL run under one lock. Plans
   * only run under this lock, so an unfinished plan found while holding it was left by a
   * process that died; it is finished (or rolled back) first instead of waiting for a restart,
   * so a new change never plans from metadata that a stale plan will later overwrite.
   */
  withWorkspaceLock<T>(workspaceId: string, fn: () => Promise<T>): Promise<T> {
    return this.repo.withWorkspaceLock(workspaceId, async () => {
      for (const plan of await this.repo.unfinishedPlans(workspaceId)) {
        this.logger.warn(`Resuming orphaned DDL plan ${plan.id} (${plan.kind}, ${plan.status}, ${plan.done_steps}/${plan.steps.length} steps done)`);
        try {
          await this.executeHeld(plan.id);
        } catch (err) {
          this.logger.error(`Orphaned DDL plan ${plan.id} could not be completed: ${(err as Error).message}`);
        }
      }
      return fn();
    });
  }

  private async rollback(plan: PlanRow, reason: string): Promise<void> {
    // Save the step count too: a crash during the rollback must compensate the failed step as well.
    await this.repo.setProgress(plan.id, { status: 'rolling_back', doneSteps: plan.done_steps, error: reason.slice(0, 2000) });
    for (let i = Math.min(plan.done_steps, plan.steps.length) - 1; i >= 0; i--) {
      const undo = compensationOf(plan.steps[i]);
      if (undo) await this.apply(undo);
    }
    await this.repo.finish(plan.id, 'rolled_back', plan.meta.onRollback);
  }

  private async apply(step: DdlStep): Promise<void> {
    const schema = this.schema;
    switch (step.op) {
      case 'createRecordTable':
      case 'createLinkTable':
      case 'createChildTable':
        if (await schema.tableExists(step.table)) return;
        await schema.createTable(step.op === 'createRecordTable' ? 'record' : step.op === 'createLinkTable' ? 'link' : 'child', step.table);
        return;
      case 'addColumn':
        if (await schema.columnExists(step.table, step.column)) return;
        await schema.addColumn(step.table, step.column, step.spec);
        return;
      case 'createIndex':
        if (await schema.indexExists(step.table, step.index)) return;
        try {
          await schema.createIndex(step.table, step.index, step.columns, step.unique);
        } catch (err) {
          if (step.unique) await this.duplicatesOrThrow(step);
          throw err;
        }
        return;
      case 'dropIndex':
        if (await schema.indexExists(step.table, step.index)) await schema.dropIndex(step.table, step.index);
        return;
      case 'dropColumn':
        if ((await schema.tableExists(step.table)) && (await schema.columnExists(step.table, step.column))) await schema.dropColumn(step.table, step.column);
        return;
      case 'dropTable':
        if (await schema.tableExists(step.table)) await schema.dropTable(step.table);
        return;
      case 'backfill':
      case 'verifyBackfill':
        await this.backfill(step);
        return;
    }
  }

  /**
   * A unique index failed: values may have become equal after a conversion ('7' and '07' as
   * numbers) or been written since the check. Reports them like the up-front check does.
   */
  private async duplicatesOrThrow(step: Extract<DdlStep, { op: 'createIndex' }>): Promise<void> {
    const col = step.columns[0];
    const { count, sampleIds } = await this.schema.duplicates(step.table, col);
    if (!count) return;
    throw new AppError(
      'UNIQUE_HAS_DUPLICATES',
      `${count} record(s) would share values of "${step.field ?? col}"; make them distinct first. Nothing was changed`,
      {
        ...(step.field ? { field: step.field } : {}),
        rowCount: count,
        sampleIds,
      },
    );
  }

  /**
   * backfill copies converted values into the new column, in batches, for rows not yet copied
   * (idempotent, so a resumed plan continues). verifyBackfill runs last, just before the
   * metadata swap: it re-converts every row, rewriting values edited since they were copied
   * (writes go to the old column until the swap), and refuses when any value does not fit.
   */
  private async backfill(step: Extract<DdlStep, { op: 'backfill' | 'verifyBackfill' }>): Promise<void> {
    const { table, from, to } = step;
    const resync = step.op === 'verifyBackfill';
    const converter = new ValueConverter(step.change);
    const apiValue = (stored: unknown) => JSON.stringify(fromDbOf(step.change.to, stored) ?? null);
    const misfits: number[] = [];
    let misfitCount = 0;
    let lastId = 0;
    if (resync) await this.schema.clearEmptiedCopies(table, from, to);
    for (;;) {
      const rows = await this.schema.backfillBatch({ table, from, to, afterId: lastId, limit: BATCH, all: resync });
      if (!rows.length) break;
      lastId = Number(rows[rows.length - 1].id);
      const copies: { id: number; value: unknown }[] = [];
      for (const r of rows) {
        const v = converter.convert(r.v);
        if (v === undefined || v === null) {
          misfitCount++;
          if (misfits.length < 10) misfits.push(Number(r.id));
          continue;
        }
        if (resync && r.cur !== null && r.cur !== undefined && apiValue(r.cur) === apiValue(v)) continue;
        copies.push({ id: Number(r.id), value: v });
      }
      await this.schema.writeCopies(table, to, copies);
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
