import { computeRecordFormulas, computeRowFormulas, emptyRollupValue, type FormulaStep, formulasDependingOn } from '@crm/rules';
import { copyRecord, type FieldDefinition, sameJson } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import type { AuditEntry } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { childColumns, type RecordDto, rowToRecord, selectList, toDbValue, type Row } from '../records/record-codec';
import { loadExtras } from '../records/record-extras';
import { RecordWritesRepository } from '../records/record-writes.repository';
import { RecordsRepository } from '../records/records.repository';
import { ComputedPlans, type EntityComputation } from './computed-plans';
import { ComputedRepository } from './computed.repository';
import { relationStorageOf, rollupQuery, rollupValue } from './rollup-query';

type Values = Record<string, unknown>;

/** One written record as it was before and is after the write (null: it did not / does not exist). */
export interface SourceChange {
  before: Values | null;
  after: Values | null;
}

/** Rollups over rollups may chain; design-time checks refuse loops, this only bounds a surprise. */
const MAX_CASCADE = 8;
/** Records per transaction when a design change recomputes a whole entity. */
const BACKFILL_BATCH = 500;

const idsOf = (v: unknown): number[] =>
  (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]).map(Number).filter((n) => Number.isInteger(n) && n > 0);

/**
 * Computed fields on the write path. Every write computes the record's own formulas (subform
 * row formulas first, then record formulas) in memory before it is stored; after the write,
 * rollups of other entities over the written records are recomputed in the same transaction,
 * one aggregate query per rollup field for all affected targets, and formulas reading those
 * rollups follow. See docs/computed-fields.md.
 */
@Injectable()
export class ComputedService {
  constructor(
    private readonly repo: ComputedRepository,
    private readonly plans: ComputedPlans,
    private readonly runtime: EntityRuntime,
    private readonly records: RecordsRepository,
    private readonly writes: RecordWritesRepository,
    private readonly audit: AuditService,
  ) {}

  /** Create (single and bulk): row formulas, this record's rollups over nothing yet (0 or empty), record formulas. */
  async fillOnCreate(c: CompiledEntity, all: Values[]): Promise<void> {
    const { plan } = await this.plans.forEntity(c);
    if (plan.isEmpty) return;
    const now = new Date();
    for (const values of all) {
      computeRowFormulas({ plan, values, now });
      for (const r of plan.rollups) values[r.key] = emptyRollupValue(r.settings.aggregate);
      computeRecordFormulas({ plan, data: values, now, inPlace: true });
    }
  }

  /**
   * Update: formulas of the subform rows sent, then record formulas over the record as it will
   * be (current values overlaid with the sent ones). Computed values are put into `values`;
   * the caller keeps those that changed.
   */
  async fillOnUpdate(c: CompiledEntity, current: RecordDto, values: Values): Promise<void> {
    const { plan } = await this.plans.forEntity(c);
    if (!plan.recordSteps.length && !plan.rowSteps.length) return;
    const now = new Date();
    computeRowFormulas({ plan, values, now });
    Object.assign(values, computeRecordFormulas({ plan, data: Object.assign(copyRecord(current), values), now }).values);
  }

  /**
   * After records of `c` were created, updated or moved: recompute the rollups of other
   * entities over them, for the targets they pointed at before and after (a changed relation
   * moves the amount from one target to the other). Only changes to what a rollup reads count.
   */
  async afterSourceWrite(tx: Executor, ctx: RequestContext, c: CompiledEntity, changes: SourceChange[], depth = 0): Promise<void> {
    if (!changes.length || depth > MAX_CASCADE) return;
    const comp = await this.plans.forEntity(c, tx);
    if (!comp.dependents.length) return;
    const byTarget = new Map<string, { keys: Set<string>; ids: Set<number> }>();
    for (const d of comp.dependents) {
      const ids = new Set<number>();
      for (const ch of changes) {
        const relevant = !ch.before || !ch.after || [...d.inputs].some((k) => !sameJson(ch.before![k], ch.after![k]));
        if (!relevant) continue;
        for (const v of [ch.before, ch.after]) if (v) for (const id of idsOf(v[d.settings.relationField])) ids.add(id);
      }
      if (!ids.size) continue;
      const entry = byTarget.get(d.targetEntityId) ?? { keys: new Set<string>(), ids: new Set<number>() };
      entry.keys.add(d.key);
      for (const id of ids) entry.ids.add(id);
      byTarget.set(d.targetEntityId, entry);
    }
    for (const [targetId, e] of byTarget) await this.recomputeTargets(tx, ctx, c, targetId, e.keys, [...e.ids], depth);
  }

  /** After records of `c` were deleted to or restored from the recycle bin: their targets' rollups (live records only count). */
  async afterSourceStateChange(tx: Executor, ctx: RequestContext, c: CompiledEntity, ids: number[]): Promise<void> {
    const comp = await this.plans.forEntity(c, tx);
    if (!comp.dependents.length || !ids.length) return;
    const after = new Map<number, Values>(ids.map((id) => [id, {}]));
    for (const key of new Set(comp.dependents.map((d) => d.settings.relationField))) {
      const rel = relationStorageOf(c, key);
      if (!rel) continue;
      const targets = await this.repo.relationTargets(tx, c.meta.table, rel, ids);
      for (const [id, list] of targets) after.get(id)![key] = list;
    }
    await this.afterSourceWrite(
      tx,
      ctx,
      c,
      [...after.values()].map((a) => ({ before: null, after: a })),
    );
  }

  /**
   * After a design change: recompute every computed field of the entity for every record
   * (batches of 500, one transaction each, rows locked), then what depends on them elsewhere.
   * No history entries for this entity's records (the design change is audited); dependants
   * in other entities get theirs.
   */
  async recomputeAll(ctx: RequestContext, entityId: string): Promise<void> {
    const c = await this.runtime.getOrThrow(ctx.actor.workspaceId, entityId);
    const { plan } = await this.plans.forEntity(c);
    if (plan.isEmpty) return;
    const sources = new Map<string, CompiledEntity | null>();
    for (const r of plan.rollups) {
      if (!sources.has(r.settings.sourceEntityId))
        sources.set(r.settings.sourceEntityId, await this.runtime.getOrThrow(ctx.actor.workspaceId, r.settings.sourceEntityId).catch(() => null));
    }
    let afterId = 0;
    for (;;) {
      const ids = await this.repo.idsAfter(c.meta.table, afterId, BACKFILL_BATCH);
      if (!ids.length) return;
      afterId = ids[ids.length - 1];
      await this.repo.db.transaction(async (tx) => {
        const now = new Date();
        const records = await this.load(tx, c, ids, 'all');
        const aggregates = new Map<string, Map<number, unknown>>();
        for (const r of plan.rollups) {
          const source = sources.get(r.settings.sourceEntityId);
          const q = source ? rollupQuery({ source, settings: r.settings, dialect: tx.dialect, now }) : null;
          aggregates.set(r.key, q ? await this.repo.aggregate(tx, q, ids) : new Map());
        }
        const childUpdates = new Map<string, { id: number; sets: Map<string, unknown> }[]>();
        const list = records.map((rec) => {
          const values: Values = { ...rec };
          for (const { subform } of plan.rowSteps) values[subform] = ((rec[subform] as Values[] | null) ?? []).map((row) => ({ ...row }));
          computeRowFormulas({ plan, values, now });
          this.collectChildUpdates(c, rec, values, childUpdates);
          for (const r of plan.rollups) values[r.key] = this.aggregateOf(aggregates.get(r.key)!, rec.id, r.settings);
          const next: Values = {};
          for (const r of plan.rollups) next[r.key] = values[r.key];
          Object.assign(next, computeRecordFormulas({ plan, data: values, now }).values);
          return { before: rec, next };
        });
        for (const [table, updates] of childUpdates) await this.writes.updateColumns(tx, table, updates, false);
        const changed = await this.writeComputed(tx, null, c, list, true);
        await this.afterSourceWrite(tx, ctx, c, changed);
      });
    }
  }

  /** Targets' rollups over `source` (the `keys`), then their formulas that read them; changed records get a version and a history entry. */
  private async recomputeTargets(
    tx: Executor,
    ctx: RequestContext,
    source: CompiledEntity,
    targetEntityId: string,
    keys: Set<string>,
    ids: number[],
    depth: number,
  ): Promise<void> {
    const t = await this.runtime.getOrThrow(source.meta.workspaceId, targetEntityId, tx).catch(() => null);
    if (!t) return; // the target entity was deleted
    const comp = await this.plans.forEntity(t, tx);
    const rollups = comp.plan.rollups.filter((r) => keys.has(r.key) && r.settings.sourceEntityId === source.meta.id);
    if (!rollups.length) return;
    const formulas = formulasDependingOn({ plan: comp.plan, keys: rollups.map((r) => r.key) });
    const now = new Date();
    const records = await this.load(tx, t, ids, formulas);
    if (!records.length) return;
    const found = records.map((r) => r.id);
    const aggregates = new Map<string, Map<number, unknown>>();
    for (const r of rollups) {
      const q = rollupQuery({ source, settings: r.settings, dialect: tx.dialect, now });
      aggregates.set(r.key, q ? await this.repo.aggregate(tx, q, found) : new Map());
    }
    const list = records.map((rec) => {
      const next: Values = {};
      for (const r of rollups) next[r.key] = this.aggregateOf(aggregates.get(r.key)!, rec.id, r.settings);
      if (formulas.length) Object.assign(next, computeRecordFormulas({ plan: comp.plan, data: { ...rec, ...next }, now, steps: formulas }).values);
      return { before: rec, next };
    });
    const changed = await this.writeComputed(tx, ctx, t, list, true);
    await this.afterSourceWrite(tx, ctx, t, changed, depth + 1);
  }

  private aggregateOf(values: Map<number, unknown>, id: number, settings: EntityComputation['plan']['rollups'][number]['settings']): number | null {
    const raw = values.get(id);
    return raw === undefined || raw === null ? emptyRollupValue(settings.aggregate) : rollupValue(raw, settings);
  }

  /** Records by id, locked; with link and subform values when the formulas to run read them. */
  private async load(tx: Executor, c: CompiledEntity, ids: number[], formulas: FormulaStep[] | 'all'): Promise<RecordDto[]> {
    const rows: Row[] = await this.repo.rowsForUpdate(tx, c.meta.table, selectList(c), ids);
    const needsExtras =
      formulas === 'all'
        ? c.meta.fields.some((f) => f.physical.table)
        : formulas.some((s) => s.refs.some((ref) => !!c.byKey.get(ref.split('.')[0])?.physical.table));
    const extras = needsExtras
      ? await loadExtras(
          this.records,
          tx,
          c,
          rows.map((r) => Number(r.id)),
        )
      : undefined;
    return rows.map((r) => rowToRecord(c, r, extras, true));
  }

  private collectChildUpdates(c: CompiledEntity, before: RecordDto, after: Values, out: Map<string, { id: number; sets: Map<string, unknown> }[]>): void {
    for (const f of c.meta.fields) {
      if (f.type !== 'subform' || !f.physical.table) continue;
      const formulas = childColumns(f).filter((cc) => cc.def.type === 'formula');
      if (!formulas.length) continue;
      const old = new Map(((before[f.key] as Values[] | null) ?? []).map((r) => [Number(r.id), r]));
      for (const row of (after[f.key] as Values[] | null) ?? []) {
        const prev = old.get(Number(row.id));
        const sets = new Map<string, unknown>();
        for (const cc of formulas) if (!prev || !sameJson(prev[cc.key], row[cc.key])) sets.set(cc.column, toDbValue(cc.def as FieldDefinition, row[cc.key]));
        if (sets.size) out.set(f.physical.table, [...(out.get(f.physical.table) ?? []), { id: Number(row.id), sets }]);
      }
    }
  }

  /**
   * Stores the computed values that changed, with one statement per 500 records; with `ctx`,
   * each changed record also gets a `record.recompute` history entry by the acting member.
   * Returns the changed records as source changes for the next level of rollups.
   */
  private async writeComputed(
    tx: Executor,
    ctx: RequestContext | null,
    c: CompiledEntity,
    list: { before: RecordDto; next: Values }[],
    bumpVersion: boolean,
  ): Promise<SourceChange[]> {
    const updates: { id: number; sets: Map<string, unknown> }[] = [];
    const entries: AuditEntry[] = [];
    const changed: SourceChange[] = [];
    for (const { before, next } of list) {
      const sets = new Map<string, unknown>();
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      for (const [key, value] of Object.entries(next)) {
        const f = c.byKey.get(key);
        if (!f?.physical.column || sameJson(before[key], value)) continue;
        sets.set(f.physical.column, toDbValue(f, value));
        diff[key] = { from: before[key] ?? null, to: value ?? null };
      }
      if (!sets.size) continue;
      updates.push({ id: before.id, sets });
      changed.push({ before, after: { ...before, ...next } });
      if (ctx)
        entries.push(
          this.audit.entry(ctx, {
            action: 'record.recompute',
            targetType: 'record',
            targetId: String(before.id),
            entityId: c.meta.id,
            recordId: before.id,
            changes: diff,
          }),
        );
    }
    await this.writes.updateColumns(tx, c.meta.table, updates, bumpVersion);
    if (entries.length) await this.audit.repo.insert(tx, entries);
    return changed;
  }
}
