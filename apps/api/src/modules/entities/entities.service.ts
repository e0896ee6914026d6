import { childFieldsOf, type FieldDefinition, validateKeyOrThrow } from '@crm/schema';
import { compileSortOrThrow } from '@crm/rules';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, physicalName } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { AccessService } from '../access/access.service';
import { AppsService } from '../apps/apps.service';
import { AuditService } from '../audit/audit.service';
import { DdlRunnerService } from '../ddl/ddl-runner.service';
import type { DdlStep } from '../ddl/ddl-step';
import { DdlRepository } from '../ddl/ddl.repository';
import { EntityDesignHooks } from './entity-design-hooks';
import { type EntityDto, entityDto, type EntityMeta, type FieldMeta } from './entity-meta';
import { EntityRuntime } from './entity-runtime.service';
import { normalizeFieldInputOrThrow } from './field-input';
import { assignPhysical, stepsForNewField } from './field-planner';
import { MetadataRepository } from './metadata.repository';

/** The metadata engine: entities (create, rename, remove, what a member sees of them); fields are FieldsService's. */
@Injectable()
export class EntitiesService {
  constructor(
    private readonly repo: MetadataRepository,
    private readonly ddl: DdlRunnerService,
    private readonly plans: DdlRepository,
    private readonly apps: AppsService,
    private readonly runtime: EntityRuntime,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly design: EntityDesignHooks,
  ) {}

  async list(ctx: RequestContext, appId: string): Promise<EntityDto[]> {
    await this.apps.getOrThrow(ctx, appId);
    const ids = await this.repo.listEntityIds(ctx.actor.workspaceId, appId);
    const out: EntityDto[] = [];
    for (const id of ids) {
      const dto = await this.visibleDtoOrNull(ctx, id);
      if (dto) out.push(dto);
    }
    return out;
  }

  async getOrThrow(ctx: RequestContext, entityId: string): Promise<EntityDto> {
    const dto = await this.visibleDtoOrNull(ctx, entityId);
    if (!dto) throw notFound('ENTITY_NOT_FOUND', `Entity ${entityId}`);
    return dto;
  }

  async recordSchema(ctx: RequestContext, entityId: string): Promise<Record<string, unknown>> {
    await this.getOrThrow(ctx, entityId);
    const c = await this.runtime.getOrThrow(ctx.actor.workspaceId, entityId);
    // Like the definition (visibleDtoOrNull): a member's schema leaves out the fields hidden from them.
    const keys = (await this.access.forEntity(ctx, c)).visibleFieldKeys();
    if (keys === 'all') return c.createSchema;
    const { properties, required, ...rest } = c.createSchema as { properties?: Record<string, unknown>; required?: string[] };
    const kept = (required ?? []).filter((k) => keys.has(k));
    return {
      ...rest,
      properties: Object.fromEntries(Object.entries(properties ?? {}).filter(([k]) => keys.has(k))),
      ...(kept.length ? { required: kept } : {}),
    };
  }

  /**
   * The entity as this member may see it: admins of its app get all of it; members only an
   * entity a group of theirs opens (view or create), with the fields they may read or fill in.
   */
  private async visibleDtoOrNull(ctx: RequestContext, entityId: string): Promise<EntityDto | null> {
    let c;
    try {
      c = await this.runtime.getOrThrow(ctx.actor.workspaceId, entityId);
    } catch {
      return null;
    }
    const acc = await this.access.forEntity(ctx, c);
    if (acc.isAdmin) return entityDto(c.meta);
    if (!acc.can('view') && !acc.can('create')) return null;
    const keys = acc.visibleFieldKeys();
    const dto = entityDto(c.meta);
    return { ...dto, fields: dto.fields.filter((f) => keys === 'all' || keys.has(f.key)), removedFields: [] };
  }

  async create(ctx: RequestContext, appId: string, body: unknown): Promise<EntityDto> {
    const input = new InputChecker(body).only(['key', 'name', 'fields', 'displayField']);
    const key = input.string('key', { required: true, trim: false });
    const name = input.string('name', { required: true, max: 200 });
    const displayField = input.string('displayField', { max: 48 });
    const rawFields = input.raw('fields') ?? [];
    if (!Array.isArray(rawFields)) input.issues.push({ path: '/fields', code: 'invalid_type', message: 'fields must be an array' });
    else if (rawFields.length > 500) input.issues.push({ path: '/fields', code: 'too_many', message: 'at most 500 fields' });
    input.doneOrThrow();
    validateKeyOrThrow({ kind: 'entity', key: key! });
    const ws = ctx.actor.workspaceId;
    await this.apps.getOrThrow(ctx, appId);
    await this.access.requireAppAdminOrThrow(ctx, appId);
    const fields = (rawFields as unknown[]).map((f, i) => normalizeFieldInputOrThrow(f, `/fields/${i}`));
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.key)) throw new AppError('DUPLICATE_KEY', `Two fields use the key "${f.key}"`, { key: f.key });
      seen.add(f.key);
    }
    for (const f of fields) await this.assertRelationTargetOrThrow(ctx, f);
    await this.design.prepareFieldsOrThrow(ctx, { entityId: null, entityKey: key!, fields });
    if (displayField && !seen.has(displayField)) {
      throw new AppError('VALIDATION_FAILED', `displayField "${displayField}" is not one of the fields`, {
        errors: [{ path: '/displayField', code: 'invalid_option', message: 'not a field key' }],
      });
    }

    return this.ddl.withWorkspaceLock(ws, async () => {
      if (await this.repo.entityKeyTaken(appId, key!)) throw new AppError('DUPLICATE_KEY', `An entity with key "${key}" already exists in this app`, { key });
      const entityId = newId();
      const table = physicalName('t_');
      const metas: FieldMeta[] = fields.map((f, i) => ({ ...f, id: newId(), status: 'active', position: i + 1, physical: assignPhysical(f) }));
      const steps: DdlStep[] = [{ op: 'createRecordTable', table }, ...metas.flatMap((f) => stepsForNewField(table, f))];
      const planId = newId();
      const now = nowStorage();
      const defaultDisplay = displayField ?? fields.find((f) => f.type === 'text')?.key ?? null;
      await this.repo.transaction(async (tx) => {
        await this.repo.insertEntity(tx, {
          id: entityId,
          workspaceId: ws,
          appId,
          key: key!,
          name: name!,
          table,
          displayField: defaultDisplay,
          status: 'pending',
          now,
        });
        for (const f of metas) await this.repo.insertField(tx, { id: entityId, workspaceId: ws }, f, now);
        await this.plans.insertPlan(tx, {
          id: planId,
          workspaceId: ws,
          entityId,
          kind: 'create_entity',
          steps,
          meta: { onDone: [{ op: 'activateEntity', entityId }], onRollback: [{ op: 'deleteEntity', entityId }] },
        });
      });
      await this.ddl.executeHeld(planId);
      return this.changed(ctx, entityId, 'entity.create', null);
    });
  }

  /** PATCH: name, title field (displayField), default sort, recycle-bin retention. */
  async update(ctx: RequestContext, entityId: string, body: unknown): Promise<EntityDto> {
    const input = new InputChecker(body).only(['name', 'displayField', 'defaultSort', 'recycleRetentionDays']);
    const name = input.string('name', { max: 200, min: 1 });
    const displayRaw = input.raw('displayField');
    const sortRaw = input.raw('defaultSort');
    const retention = input.raw('recycleRetentionDays');
    if (sortRaw !== undefined && sortRaw !== null && (typeof sortRaw !== 'string' || sortRaw.length > 200)) {
      input.issues.push({ path: '/defaultSort', code: 'invalid_type', message: 'defaultSort must be text such as "-amount,name", or null' });
    }
    if (retention !== undefined && retention !== null && !(Number.isInteger(retention) && (retention as number) >= 1 && (retention as number) <= 3650)) {
      input.issues.push({
        path: '/recycleRetentionDays',
        code: 'out_of_range',
        message: 'recycleRetentionDays must be a whole number of days from 1 to 3650, or null',
      });
    }
    input.doneOrThrow();
    const meta = await this.loadForDesignOrThrow(ctx, entityId);
    if (displayRaw !== undefined && displayRaw !== null && !meta.fields.some((f) => f.key === displayRaw)) {
      throw new AppError('VALIDATION_FAILED', `displayField "${String(displayRaw)}" is not an active field`, {
        errors: [{ path: '/displayField', code: 'invalid_option', message: 'not a field key' }],
      });
    }
    const defaultSort = typeof sortRaw === 'string' ? sortRaw.trim() || null : (sortRaw as null | undefined);
    if (defaultSort) await this.checkSortOrThrow(ctx, entityId, defaultSort);
    // Any change moves the version: compiled entities (name included) are cached by version.
    const changed = [name, displayRaw, sortRaw, retention].some((v) => v !== undefined);
    const patch = {
      name,
      display_field: displayRaw as string | null | undefined,
      default_sort: defaultSort,
      recycle_retention_days: retention as number | null | undefined,
    };
    await this.repo.transaction((tx) => this.repo.updateEntity(tx, entityId, patch, nowStorage(), changed));
    return this.changed(ctx, entityId, 'entity.update', meta);
  }

  /** A default sort must name sortable fields of the entity, as a list's `sort` would. */
  private async checkSortOrThrow(ctx: RequestContext, entityId: string, sort: string): Promise<void> {
    const c = await this.runtime.getOrThrow(ctx.actor.workspaceId, entityId);
    try {
      compileSortOrThrow({ sort, resolveField: c.resolveField });
    } catch (err) {
      throw new AppError('VALIDATION_FAILED', `defaultSort: ${(err as Error).message}`, {
        errors: [{ path: '/defaultSort', code: 'invalid_sort', message: (err as Error).message }],
      });
    }
  }

  async remove(ctx: RequestContext, entityId: string): Promise<void> {
    await this.loadForDesignOrThrow(ctx, entityId);
    await this.repo.transaction((tx) => this.repo.softDeleteEntity(tx, entityId, nowStorage()));
  }

  /** For design changes: the entity, and the caller must administer its app. */
  async loadForDesignOrThrow(ctx: RequestContext, entityId: string): Promise<EntityMeta> {
    const meta = await this.repo.loadEntity(ctx.actor.workspaceId, entityId);
    if (!meta) throw notFound('ENTITY_NOT_FOUND', `Entity ${entityId}`);
    await this.access.requireDesignerOrThrow(ctx, meta);
    return meta;
  }

  /** Audits a design change with what moved (name, display field, each field's definition), then answers the entity. */
  async changed(ctx: RequestContext, entityId: string, action: string, before: EntityMeta | null): Promise<EntityDto> {
    const after = await this.getOrThrow(ctx, entityId);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const prev = before ? entityDto(before) : null;
    for (const k of ['name', 'displayField', 'defaultSort', 'recycleRetentionDays'] as const)
      if (prev?.[k] !== after[k]) changes[k] = { from: prev?.[k] ?? null, to: after[k] };
    const defs = (d: EntityDto | null) => {
      const m = new Map<string, Record<string, unknown>>();
      for (const f of d?.fields ?? []) m.set(f.key, { ...f, removed: false });
      for (const f of d?.removedFields ?? []) m.set(f.key, { ...f, removed: true });
      return m;
    };
    const a = defs(prev);
    const b = defs(after);
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      if (JSON.stringify(a.get(key) ?? null) !== JSON.stringify(b.get(key) ?? null))
        changes[`fields.${key}`] = { from: a.get(key) ?? null, to: b.get(key) ?? null };
    }
    await this.audit.write(ctx, { action, targetType: 'entity', targetId: entityId, entityId, changes });
    return after;
  }

  /** A plan that could not be finished even when resumed keeps the entity's schema frozen. */
  async assertNoUnfinishedPlanOrThrow(entityId: string): Promise<void> {
    if ((await this.plans.unfinishedForEntity(entityId)) > 0) {
      throw new AppError('SCHEMA_CHANGE_IN_PROGRESS', 'Another schema change of this entity has not finished; try again shortly', { entityId });
    }
  }

  /** A relation's target must exist and be readable by the designer; one they may not see is refused as if it did not exist. */
  async assertRelationTargetOrThrow(ctx: RequestContext, field: FieldDefinition): Promise<void> {
    const workspaceId = ctx.actor.workspaceId;
    const visible = async (target: string) => {
      if ((await this.repo.entityVersion(workspaceId, target)) === null) return false;
      const c = await this.runtime.getOrThrow(workspaceId, target).catch(() => null);
      return !!c && (await this.access.viewerAccessOrNull(ctx, c)) !== null;
    };
    const check = async (f: FieldDefinition, path: string) => {
      if (f.type !== 'relation') return;
      const target = String(f.settings.targetEntityId ?? '');
      if (!(await visible(target))) {
        throw new AppError('INVALID_SETTINGS', `Relation "${f.key}" points at entity "${target}", which does not exist`, {
          errors: [{ path: `${path}/settings/targetEntityId`, code: 'not_found', message: `entity ${target} not found` }],
        });
      }
    };
    await check(field, '');
    for (const [i, c] of childFieldsOf(field).entries()) await check(c, `/settings/fields/${i}`);
  }
}
