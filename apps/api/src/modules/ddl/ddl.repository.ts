import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';
import { nowStorage } from '../../common/ids';
import type { DdlStep, MetaAction, PlanMeta } from './ddl-step';

export type PlanStatus = 'pending' | 'running' | 'rolling_back' | 'done' | 'rolled_back';

export interface PlanRow {
  id: string;
  workspace_id: string;
  entity_id: string | null;
  kind: string;
  steps: DdlStep[];
  meta: PlanMeta;
  status: PlanStatus;
  done_steps: number;
  error: string | null;
}

type RawPlan = Omit<PlanRow, 'steps' | 'meta'> & { steps: string; meta: string };

/** Persisted DDL plans and the catalog checks that make each step idempotent. */
@Injectable()
export class DdlRepository {
  constructor(private readonly db: Db) {}

  get dialect() {
    return this.db.dialect;
  }

  async insertPlan(
    tx: Executor,
    plan: { id: string; workspaceId: string; entityId: string | null; kind: string; steps: DdlStep[]; meta: PlanMeta },
  ): Promise<void> {
    const now = nowStorage();
    await tx.run(
      'INSERT INTO ddl_plans (id, workspace_id, entity_id, kind, steps, meta, status, done_steps, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)',
      [plan.id, plan.workspaceId, plan.entityId, plan.kind, JSON.stringify(plan.steps), JSON.stringify(plan.meta), 'pending', now, now],
    );
  }

  async findPlan(id: string): Promise<PlanRow | undefined> {
    const rows = await this.db.query<RawPlan>('SELECT id, workspace_id, entity_id, kind, steps, meta, status, done_steps, error FROM ddl_plans WHERE id = ?', [
      id,
    ]);
    return rows[0] && parse(rows[0]);
  }

  /** Plans not yet done or rolled back, oldest first; of one workspace when given. */
  async unfinishedPlans(workspaceId?: string): Promise<PlanRow[]> {
    const rows = await this.db.query<RawPlan>(
      `SELECT id, workspace_id, entity_id, kind, steps, meta, status, done_steps, error FROM ddl_plans WHERE status IN ('pending', 'running', 'rolling_back')${workspaceId ? ' AND workspace_id = ?' : ''} ORDER BY created_at`,
      workspaceId ? [workspaceId] : [],
    );
    return rows.map(parse);
  }

  async unfinishedForEntity(entityId: string): Promise<number> {
    const rows = await this.db.query<{ c: number }>(
      "SELECT COUNT(*) AS c FROM ddl_plans WHERE entity_id = ? AND status IN ('pending', 'running', 'rolling_back')",
      [entityId],
    );
    return Number(rows[0]?.c ?? 0);
  }

  async setProgress(id: string, patch: { status?: PlanStatus; doneSteps?: number; error?: string | null }): Promise<void> {
    const sets = ['updated_at = ?'];
    const params: unknown[] = [nowStorage()];
    if (patch.status) {
      sets.push('status = ?');
      params.push(patch.status);
    }
    if (patch.doneSteps !== undefined) {
      sets.push('done_steps = ?');
      params.push(patch.doneSteps);
    }
    if (patch.error !== undefined) {
      sets.push('error = ?');
      params.push(patch.error);
    }
    params.push(id);
    await this.db.run(`UPDATE ddl_plans SET ${sets.join(', ')} WHERE id = ?`, params);
  }

  /** Applies metadata actions and closes the plan in one transaction. */
  async finish(id: string, status: 'done' | 'rolled_back', actions: MetaAction[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      const now = nowStorage();
      for (const a of actions) await applyMetaAction(tx, a, now);
      await tx.run('UPDATE ddl_plans SET status = ?, updated_at = ? WHERE id = ?', [status, now, id]);
    });
  }

  withWorkspaceLock<T>(workspaceId: string, fn: () => Promise<T>): Promise<T> {
    return this.db.withLock(`ddl:${workspaceId}`, fn, 120);
  }
}

function parse(r: RawPlan): PlanRow {
  return { ...r, done_steps: Number(r.done_steps), steps: JSON.parse(r.steps) as DdlStep[], meta: JSON.parse(r.meta) as PlanMeta };
}

async function applyMetaAction(tx: Executor, a: MetaAction, now: string): Promise<void> {
  switch (a.op) {
    case 'activateEntity':
      await tx.run("UPDATE entities SET status = 'active', updated_at = ? WHERE id = ?", [now, a.entityId]);
      return;
    case 'deleteEntity':
      await tx.run('DELETE FROM fields WHERE entity_id = ?', [a.entityId]);
      await tx.run('DELETE FROM entities WHERE id = ?', [a.entityId]);
      return;
    case 'activateField':
      await tx.run("UPDATE fields SET status = 'active', updated_at = ? WHERE id = ?", [now, a.fieldId]);
      return;
    case 'deleteField':
      await tx.run('DELETE FROM fields WHERE id = ?', [a.fieldId]);
      return;
    case 'updateField': {
      const keys = Object.keys(a.patch) as (keyof typeof a.patch)[];
      const allowed = ['label', 'type', 'settings', 'physical', 'required', 'is_unique', 'indexed', 'status'];
      const sets = keys.filter((k) => allowed.includes(k)).map((k) => `${k} = ?`);
      await tx.run(`UPDATE fields SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ?`, [
        ...keys.filter((k) => allowed.includes(k)).map((k) => a.patch[k]),
        now,
        a.fieldId,
      ]);
      return;
    }
    case 'bumpVersion':
      await tx.run('UPDATE entities SET version = version + 1, updated_at = ? WHERE id = ?', [now, a.entityId]);
      return;
  }
}
