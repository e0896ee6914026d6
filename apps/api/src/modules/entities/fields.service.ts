import { sameJson } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { DdlRunnerService } from '../ddl/ddl-runner.service';
import type { DdlStep, MetaAction } from '../ddl/ddl-step';
import { DdlRepository } from '../ddl/ddl.repository';
import { SchemaRepository } from '../ddl/schema.repository';
import { EntitiesService } from './entities.service';
import { EntityDesignHooks } from './entity-design-hooks';
import type { EntityDto, EntityMeta, FieldMeta } from './entity-meta';
import { planFieldChangeOrThrow } from './field-change-plan';
import { normalizeFieldChangeOrThrow, normalizeFieldInputOrThrow } from './field-input';
import { assignPhysical, stepsForNewField } from './field-planner';
import { MetadataRepository } from './metadata.repository';

/** Field changes of an entity: add, change, remove (hide), restore and purge, each a persisted DDL plan run under the workspace lock. */
@Injectable()
export class FieldsService {
  constructor(
    private readonly repo: MetadataRepository,
    private readonly ddl: DdlRunnerService,
    private readonly plans: DdlRepository,
    private readonly entities: EntitiesService,
    private readonly design: EntityDesignHooks,
    private readonly schema: SchemaRepository,
  ) {}

  async addField(ctx: RequestContext, entityId: string, body: unknown): Promise<EntityDto> {
    const field = normalizeFieldInputOrThrow(body);
    const ws = ctx.actor.workspaceId;
    await this.entities.assertRelationTargetOrThrow(ctx, field);
    return this.ddl.withWorkspaceLock(ws, async () => {
      const meta = await this.entities.loadForDesignOrThrow(ctx, entityId);
      await this.entities.assertNoUnfinishedPlanOrThrow(entityId);
      if (await this.repo.fieldKeyTaken(entityId, field.key)) {
        const removed = meta.removedFields.some((f) => f.key === field.key);
        throw new AppError(
          'DUPLICATE_KEY',
          removed ? `A removed field still holds the key "${field.key}"; restore or purge it first` : `A field with key "${field.key}" already exists`,
          { key: field.key },
        );
      }
      if (field.required) await this.assertNoLiveRecordsOrThrow(meta, field.key);
      await this.design.prepareFieldsOrThrow(ctx, { entityId, entityKey: meta.key, fields: [...meta.fields, field] });
      const fm: FieldMeta = {
        ...field,
        id: newId(),
        status: 'pending',
        position: (await this.repo.maxPosition(entityId)) + 1,
        physical: assignPhysical(field),
      };
      const planId = newId();
      await this.repo.transaction(async (tx) => {
        await this.repo.insertField(tx, { id: entityId, workspaceId: ws }, fm, nowStorage());
        await this.plans.insertPlan(tx, {
          id: planId,
          workspaceId: ws,
          entityId,
          kind: 'add_field',
          steps: stepsForNewField(meta.table, fm),
          meta: {
            onDone: [
              { op: 'activateField', fieldId: fm.id },
              { op: 'bumpVersion', entityId },
            ],
            onRollback: [{ op: 'deleteField', fieldId: fm.id }],
          },
        });
      });
      await this.ddl.executeHeld(planId);
      await this.design.afterDesignChange(ctx, entityId, meta);
      return this.entities.changed(ctx, entityId, 'field.add', meta);
    });
  }

  /**
   * What changing a field would do, checked against the stored data without changing anything:
   * the normalized field and the DDL plan, or the AppError the change would be refused with
   * (TYPE_CHANGE_DATA_MISMATCH with rowCount and sampleIds, TYPE_CHANGE_UNSUPPORTED, …).
   * The designer's publish preview uses it.
   */
  async checkFieldChange(ctx: RequestContext, entityId: string, key: string, body: unknown): Promise<AppError | null> {
    try {
      const meta = await this.entities.loadForDesignOrThrow(ctx, entityId);
      await this.planChangeOrThrow(ctx, meta, key, body);
      return null;
    } catch (err) {
      if (err instanceof AppError) return err;
      if (err && typeof err === 'object' && Array.isArray((err as { issues?: unknown }).issues)) {
        return new AppError('VALIDATION_FAILED', (err as Error).message, { errors: (err as { issues: never[] }).issues });
      }
      throw err;
    }
  }

  private async planChangeOrThrow(ctx: RequestContext, meta: EntityMeta, key: string, body: unknown) {
    const input = new InputChecker(body).only(['label', 'required', 'unique', 'indexed', 'settings', 'type']);
    input.doneOrThrow();
    const patch = body as Record<string, unknown>;
    const old = meta.fields.find((f) => f.key === key);
    if (!old) throw notFound('FIELD_NOT_FOUND', `Field "${key}"`);
    const typeChanged = patch.type !== undefined && patch.type !== old.type;
    const settings =
      patch.settings === undefined ? (typeChanged ? {} : old.settings) : typeChanged ? patch.settings : { ...old.settings, ...(patch.settings as object) };
    const next = normalizeFieldChangeOrThrow(
      {
        key: old.key,
        label: patch.label ?? old.label,
        type: patch.type ?? old.type,
        required: patch.required ?? old.required,
        unique: patch.unique ?? old.unique,
        indexed: patch.indexed ?? old.indexed,
        settings,
      },
      typeChanged ? ['unique', 'indexed'].filter((f) => patch[f] === undefined) : [],
    );
    // A relation left as it was keeps its target even when this designer cannot see it.
    if (old.type !== next.type || !sameJson(old.settings, next.settings)) await this.entities.assertRelationTargetOrThrow(ctx, next);
    await this.design.prepareFieldsOrThrow(ctx, { entityId: meta.id, entityKey: meta.key, fields: meta.fields.map((f) => (f.key === key ? next : f)) });
    const plan = await planFieldChangeOrThrow(this.repo, this.schema, meta, old, next);
    return { old, next, plan };
  }

  async updateField(ctx: RequestContext, entityId: string, key: string, body: unknown): Promise<EntityDto> {
    new InputChecker(body).only(['label', 'required', 'unique', 'indexed', 'settings', 'type']).doneOrThrow();
    const ws = ctx.actor.workspaceId;
    return this.ddl.withWorkspaceLock(ws, async () => {
      const meta = await this.entities.loadForDesignOrThrow(ctx, entityId);
      if (!meta.fields.some((f) => f.key === key)) throw notFound('FIELD_NOT_FOUND', `Field "${key}"`);
      await this.entities.assertNoUnfinishedPlanOrThrow(entityId);
      const { old, next, plan } = await this.planChangeOrThrow(ctx, meta, key, body);
      const onDone: MetaAction[] = [
        {
          op: 'updateField',
          fieldId: old.id,
          patch: {
            type: next.type,
            settings: JSON.stringify(next.settings),
            physical: JSON.stringify(plan.physical),
            required: next.required ? 1 : 0,
            is_unique: next.unique ? 1 : 0,
            indexed: next.indexed ? 1 : 0,
            // The label lands with the rest, so a change that rolls back leaves it as it was.
            label: next.label,
          },
        },
        { op: 'bumpVersion', entityId },
      ];
      const planId = newId();
      await this.repo.transaction(async (tx) => {
        await this.plans.insertPlan(tx, { id: planId, workspaceId: ws, entityId, kind: 'change_field', steps: plan.steps, meta: { onDone, onRollback: [] } });
      });
      await this.ddl.executeHeld(planId);
      await this.design.afterDesignChange(ctx, entityId, meta);
      return this.entities.changed(ctx, entityId, 'field.update', meta);
    });
  }

  async removeField(ctx: RequestContext, entityId: string, key: string): Promise<EntityDto> {
    return this.ddl.withWorkspaceLock(ctx.actor.workspaceId, async () => {
      const meta = await this.entities.loadForDesignOrThrow(ctx, entityId);
      const field = meta.fields.find((f) => f.key === key);
      if (!field) throw notFound('FIELD_NOT_FOUND', `Field "${key}"`);
      await this.design.assertRemovableOrThrow(ctx, meta, key);
      await this.repo.transaction(async (tx) => {
        const now = nowStorage();
        await this.repo.updateFieldRow(tx, field.id, { status: 'removed' }, now);
        await this.repo.updateEntity(tx, entityId, meta.displayField === key ? { display_field: null } : {}, now, true);
      });
      await this.design.afterDesignChange(ctx, entityId, meta);
      return this.entities.changed(ctx, entityId, 'field.remove', meta);
    });
  }

  async restoreField(ctx: RequestContext, entityId: string, key: string): Promise<EntityDto> {
    return this.ddl.withWorkspaceLock(ctx.actor.workspaceId, async () => {
      const meta = await this.entities.loadForDesignOrThrow(ctx, entityId);
      const field = meta.removedFields.find((f) => f.key === key);
      if (!field) {
        if (meta.fields.some((f) => f.key === key)) throw new AppError('FIELD_NOT_REMOVED', `Field "${key}" is not removed`, { key });
        throw notFound('FIELD_NOT_FOUND', `Removed field "${key}"`);
      }
      await this.design.prepareFieldsOrThrow(ctx, { entityId, entityKey: meta.key, fields: [...meta.fields, field] });
      await this.repo.transaction(async (tx) => {
        const now = nowStorage();
        await this.repo.updateFieldRow(tx, field.id, { status: 'active' }, now);
        await this.repo.updateEntity(tx, entityId, {}, now, true);
      });
      await this.design.afterDesignChange(ctx, entityId, meta);
      return this.entities.changed(ctx, entityId, 'field.restore', meta);
    });
  }

  async purgeField(ctx: RequestContext, entityId: string, key: string): Promise<EntityDto> {
    const ws = ctx.actor.workspaceId;
    return this.ddl.withWorkspaceLock(ws, async () => {
      const meta = await this.entities.loadForDesignOrThrow(ctx, entityId);
      const field = meta.removedFields.find((f) => f.key === key);
      if (!field) {
        if (meta.fields.some((f) => f.key === key)) throw new AppError('FIELD_NOT_REMOVED', `Remove field "${key}" before purging it`, { key });
        throw notFound('FIELD_NOT_FOUND', `Removed field "${key}"`);
      }
      await this.entities.assertNoUnfinishedPlanOrThrow(entityId);
      const p = field.physical;
      const steps: DdlStep[] = [];
      if (p.index) steps.push({ op: 'dropIndex', table: meta.table, index: p.index });
      if (p.uniqueIndex) steps.push({ op: 'dropIndex', table: meta.table, index: p.uniqueIndex });
      for (const c of [...(p.retired ?? []), ...(p.column ? [p.column] : [])]) steps.push({ op: 'dropColumn', table: meta.table, column: c });
      if (p.table) steps.push({ op: 'dropTable', table: p.table });
      const planId = newId();
      await this.repo.transaction(async (tx) => {
        await this.repo.updateFieldRow(tx, field.id, { status: 'purging' }, nowStorage());
        await this.plans.insertPlan(tx, {
          id: planId,
          workspaceId: ws,
          entityId,
          kind: 'purge_field',
          steps,
          meta: {
            onDone: [
              { op: 'deleteField', fieldId: field.id },
              { op: 'bumpVersion', entityId },
            ],
            onRollback: [{ op: 'updateField', fieldId: field.id, patch: { status: 'removed' } }],
          },
        });
      });
      await this.ddl.executeHeld(planId);
      return this.entities.changed(ctx, entityId, 'field.purge', meta);
    });
  }

  /** A new required field would leave every existing record empty: add it optional, fill it, then require it. */
  private async assertNoLiveRecordsOrThrow(meta: EntityMeta, key: string): Promise<void> {
    const { count, sampleIds } = await this.repo.liveRecords(meta.table);
    if (count === 0) return;
    throw new AppError(
      'REQUIRED_HAS_EMPTY',
      `${count} existing record(s) would have no value for the new required field "${key}"; add it as optional, fill it, then make it required`,
      {
        field: key,
        rowCount: count,
        sampleIds,
      },
    );
  }
}
