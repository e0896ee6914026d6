import type { FieldDefinition } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../common/request-context';
import type { EntityMeta } from './entity-meta';

/**
 * What a module above the metadata engine checks or sets off around a design change (computed
 * fields: formulas, rollups, pickers). The entities module declares it; the upper module
 * registers at start-up (`EntityDesignHooks.register` in its `onModuleInit`), so entities never
 * imports upward.
 */
export interface EntityDesignHook {
  /** Checks an entity's complete new field list before a change is planned; may fill derived settings in place. */
  prepareFieldsOrThrow?(ctx: RequestContext, args: { entityId: string | null; entityKey: string; fields: FieldDefinition[] }): Promise<void>;
  /** Refuses removing a field something still reads. */
  assertRemovableOrThrow?(ctx: RequestContext, meta: EntityMeta, key: string): Promise<void>;
  /** After a change was applied (its DDL done): what follows from it (recomputes, version bumps elsewhere). */
  afterDesignChange?(ctx: RequestContext, entityId: string, before: EntityMeta | null): Promise<void>;
}

/** The registered design hooks, called in registration order. */
@Injectable()
export class EntityDesignHooks {
  private readonly hooks: EntityDesignHook[] = [];

  register(hook: EntityDesignHook): void {
    this.hooks.push(hook);
  }

  async prepareFieldsOrThrow(ctx: RequestContext, args: { entityId: string | null; entityKey: string; fields: FieldDefinition[] }): Promise<void> {
    for (const h of this.hooks) await h.prepareFieldsOrThrow?.(ctx, args);
  }

  async assertRemovableOrThrow(ctx: RequestContext, meta: EntityMeta, key: string): Promise<void> {
    for (const h of this.hooks) await h.assertRemovableOrThrow?.(ctx, meta, key);
  }

  async afterDesignChange(ctx: RequestContext, entityId: string, before: EntityMeta | null): Promise<void> {
    for (const h of this.hooks) await h.afterDesignChange?.(ctx, entityId, before);
  }
}
