import { buildComputedPlanOrThrow, type ComputedPlan, conditionFieldKeys } from '@crm/rules';
import type { RollupSettings } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { BoundedCache } from '../../common/bounded-cache';
import type { Executor } from '../../database/db';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import { ComputedRepository } from './computed.repository';

/** A rollup in another entity that aggregates this one. */
export interface DependentRollup {
  targetEntityId: string;
  key: string;
  settings: RollupSettings;
  /** Keys of this (source) entity the rollup reads: the relation, the aggregated field, the condition's fields. */
  inputs: Set<string>;
}

export interface EntityComputation {
  entityId: string;
  workspaceId: string;
  version: number;
  plan: ComputedPlan;
  /** Rollups elsewhere over this entity: the workspace bumps this entity's version when they change. */
  dependents: DependentRollup[];
}

export function rollupInputs(settings: RollupSettings): Set<string> {
  return new Set([settings.relationField, ...(settings.field ? [settings.field] : []), ...(settings.condition ? conditionFieldKeys(settings.condition) : [])]);
}

/**
 * Computation plans by (entity, metadata version): built once per version, never per request.
 * A plan also lists the rollups of other entities over this one; adding, changing or removing
 * such a rollup moves this entity's version (see ComputedDesignService), so the list is fresh.
 */
@Injectable()
export class ComputedPlans {
  /** How many plans were built (tests assert none are built per request). */
  static builds = 0;
  private readonly cache = new BoundedCache<string, EntityComputation>(500);

  constructor(private readonly repo: ComputedRepository) {}

  /** `exec`: the transaction to read in, when called inside one (SQLite has a single connection). */
  async forEntity(c: CompiledEntity, exec?: Executor): Promise<EntityComputation> {
    const hit = this.cache.get(c.meta.id);
    if (hit && hit.version === c.meta.version && hit.workspaceId === c.meta.workspaceId) return hit;
    ComputedPlans.builds++;
    const plan = buildComputedPlanOrThrow({ fields: c.meta.fields });
    const dependents = (await this.repo.rollupFields(c.meta.workspaceId, exec))
      .filter((r) => r.settings.sourceEntityId === c.meta.id)
      .map((r) => ({
        targetEntityId: r.entityId,
        key: r.key,
        settings: r.settings as unknown as RollupSettings,
        inputs: rollupInputs(r.settings as unknown as RollupSettings),
      }));
    const built: EntityComputation = {
      entityId: c.meta.id,
      workspaceId: c.meta.workspaceId,
      version: c.meta.version,
      plan,
      dependents,
    };
    this.cache.set(c.meta.id, built);
    return built;
  }
}
