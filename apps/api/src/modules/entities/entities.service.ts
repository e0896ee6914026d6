import { type FieldDefinition, getFieldTypeOrThrow, normalizeFieldOrThrow, validateKeyOrThrow } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, physicalName } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { AccessService } from '../access/access.service';
import { AppsService } from '../apps/apps.service';
import { AuditService } from '../audit/audit.service';
import { ComputedDesignService } from '../computed/computed-design.service';
import { DdlRunnerService } from '../ddl/ddl-runner.service';
import type { DdlStep, MetaAction } from '../ddl/ddl-step';
import { DdlRepository } from '../ddl/ddl.repository';
import { assertNoDuplicatesOrThrow, assertNoEmptiesOrThrow, assertValuesFitOrThrow } from './data-fit';
import { type EntityDto, entityDto, type EntityMeta, type FieldMeta, type PhysicalField } from './entity-meta';
import { EntityRuntime } from './entity-runtime.service';
import { assignPhysical, childColumnSteps, childFields, stepsForNewField, wantsIndex, wantsUnique } from './field-planner';
import { MetadataRepository } from './metadata.repository';
import { typeChangeSupported } from './type-change';

const FIELD_INPUT_KEYS = ['key', 'label', 'type', 'required', 'unique', 'indexed', 'settings'];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Normalises one field input, with error paths under `prefix` (e.g. `/fields/2`). */
function normalizeOrThrow(input: unknown, prefix = ''): FieldDefinition {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new AppError('VALIDATION_FAILED', 'A field must be an object', {
      errors: [{ path: prefix || '/', code: 'invalid_type', message: 'A field must be an object' }],
    });
  }
  const unknownKeys = Object.keys(input).filter((k) => !FIELD_INPUT_KEYS.includes(k));
  if (unknownKeys.length) {
    throw new AppError('VALIDATION_FAILED', `Unknown field properties: ${unknownKeys.join(', ')}`, {
      errors: unknownKeys.map((k) => ({ path: `${prefix}/${k}`, code: 'unknown_field', message: `${k} is not a field property` })),
    });
  }
  const raw = input as Record<string, unknown>;
  try {
    return normalizeFieldOrThrow({ field: { ...raw, settings: raw.settings ?? {} } as unknown as FieldDefinition });
  } catch (err) {
    const e = err as { issues?: { path: string }[] };
    if (prefix && Array.isArray(e.issues)) for (const i of e.issues) i.path = `${prefix}${i.path}`;
    throw err;
  }
}

/**
 * Normalises a changed field. Flags in `droppable` were carried over from the old type, not
 * asked for: they stay where the new type supports them (a unique code stays unique as a
 * number) and are dropped where it does not, instead of failing the change.
 */
function normalizeChangeOrThrow(input: Record<string, unknown>, droppable: string[]): FieldDefinition {
  try {
    return normalizeOrThrow(input);
  } catch (err) {
    const paths = ((err as { issues?: { path: string }[] }).issues ?? []).map((i) => i.path);
    if (!paths.length || !paths.every((p) => droppable.includes(p.slice(1)))) throw err;
    return normalizeOrThrow({ ...input, ...Object.fromEntries(paths.map((p) => [p.slice(1), false])) });
  }
}

/** The metadata engine: entities and fields, each change a persisted DDL plan run under the workspace lock. */
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
    private readonly computedDesign: ComputedDesignService,
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
    const fields = (rawFields as unknown[]).map((f, i) => normalizeOrThrow(f, `/fields/${i}`));
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.key)) throw new AppError('DUPLICATE_KEY', `Two fields use the key "${f.key}"`, { key: f.key });
      seen.add(f.key);
    }
    for (const f of fields) await this.assertRelationTargetOrThrow(ws, f);
    await this.computedDesign.prepareFieldsOrThrow(ctx, { entityId: null, entityKey: key!, fields });
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

  async update(ctx: RequestContext, entityId: string, body: unknown): Promise<EntityDto> {
    const input = new InputChecker(body).only(['name', 'displayField']);
    const name = input.string('name', { max: 200, min: 1 });
    const displayRaw = input.raw('displayField');
    input.doneOrThrow();
    const meta = await this.loadOrThrow(ctx, entityId);
    if (displayRaw !== undefined && displayRaw !== null && !meta.fields.some((f) => f.key === displayRaw)) {
      throw new AppError('VALIDATION_FAILED', `displayField "${String(displayRaw)}" is not an active field`, {
        errors: [{ path: '/displayField', code: 'invalid_option', message: 'not a field key' }],
      });
    }
    // Any change moves the version: compiled entities (name included) are cached by version.
    const changed = name !== undefined || displayRaw !== undefined;
    await this.repo.transaction((tx) =>
      this.repo.updateEntity(
        tx,
        entityId,
        { name, display_field: displayRaw === undefined ? undefined : (displayRaw as string | null) },
        nowStorage(),
        changed,
      ),
    );
    return this.changed(ctx, entityId, 'entity.update', meta);
  }

  async remove(ctx: RequestContext, entityId: string): Promise<void> {
    await this.loadOrThrow(ctx, entityId);
    await this.repo.transaction((tx) => this.repo.softDeleteEntity(tx, entityId, nowStorage()));
  }

  async addField(ctx: RequestContext, entityId: string, body: unknown): Promise<EntityDto> {
    const field = normalizeOrThrow(body);
    const ws = ctx.actor.workspaceId;
    await this.assertRelationTargetOrThrow(ws, field);
    return this.ddl.withWorkspaceLock(ws, async () => {
      const meta = await this.loadOrThrow(ctx, entityId);
      await this.assertNoUnfinishedPlanOrThrow(entityId);
      if (await this.repo.fieldKeyTaken(entityId, field.key)) {
        const removed = meta.removedFields.some((f) => f.key === field.key);
        throw new AppError(
          'DUPLICATE_KEY',
          removed ? `A removed field still holds the key "${field.key}"; restore or purge it first` : `A field with key "${field.key}" already exists`,
          { key: field.key },
        );
      }
      if (field.required) await this.assertNoLiveRecordsOrThrow(meta, field.key);
      await this.computedDesign.prepareFieldsOrThrow(ctx, { entityId, entityKey: meta.key, fields: [...meta.fields, field] });
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
      await this.computedDesign.afterDesignChange(ctx, entityId, meta);
      return this.changed(ctx, entityId, 'field.add', meta);
    });
  }

  async updateField(ctx: RequestContext, entityId: string, key: string, body: unknown): Promise<EntityDto> {
    const input = new InputChecker(body).only(['label', 'required', 'unique', 'indexed', 'settings', 'type']);
    input.doneOrThrow();
    const patch = body as Record<string, unknown>;
    const ws = ctx.actor.workspaceId;
    return this.ddl.withWorkspaceLock(ws, async () => {
      const meta = await this.loadOrThrow(ctx, entityId);
      const old = meta.fields.find((f) => f.key === key);
      if (!old) throw notFound('FIELD_NOT_FOUND', `Field "${key}"`);
      await this.assertNoUnfinishedPlanOrThrow(entityId);
      const typeChanged = patch.type !== undefined && patch.type !== old.type;
      const settings =
        patch.settings === undefined ? (typeChanged ? {} : old.settings) : typeChanged ? patch.settings : { ...old.settings, ...(patch.settings as object) };
      const next = normalizeChangeOrThrow(
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
      await this.assertRelationTargetOrThrow(ws, next);
      await this.computedDesign.prepareFieldsOrThrow(ctx, { entityId, entityKey: meta.key, fields: meta.fields.map((f) => (f.key === key ? next : f)) });
      const plan = await this.planFieldChange(meta, old, next);
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
      await this.computedDesign.afterDesignChange(ctx, entityId, meta);
      return this.changed(ctx, entityId, 'field.update', meta);
    });
  }

  /** Checks existing data against the new definition, then lists the DDL that gets there. */
  private async planFieldChange(meta: EntityMeta, old: FieldMeta, next: FieldDefinition): Promise<{ steps: DdlStep[]; physical: PhysicalField }> {
    const oldType = getFieldTypeOrThrow(old.type);
    const newType = getFieldTypeOrThrow(next.type);
    const oldStorage = oldType.storage(old.settings as never);
    const newStorage = newType.storage(next.settings as never);
    const typeChanged = old.type !== next.type;
    const steps: DdlStep[] = [];
    const physical: PhysicalField = JSON.parse(JSON.stringify(old.physical));
    const table = meta.table;

    if (typeChanged && !typeChangeSupported(old.type, next.type)) {
      throw new AppError('TYPE_CHANGE_UNSUPPORTED', `A ${old.type} field cannot become ${next.type}; add a new field instead`, {
        field: old.key,
        from: old.type,
        to: next.type,
      });
    }
    if (!typeChanged && !same(oldStorage, newStorage) && old.type !== 'subform') {
      throw new AppError('TYPE_CHANGE_UNSUPPORTED', `This settings change would change how "${old.key}" is stored; add a new field instead`, {
        field: old.key,
      });
    }
    if (next.required && !old.required) await assertNoEmptiesOrThrow(this.repo, table, old);
    if (old.type === 'subform') return this.planSubformChange(old, next, physical);

    const schemaChanged = !same(oldType.valueSchema(old.settings as never, {}), newType.valueSchema(next.settings as never, {}));
    if (old.physical.column && (typeChanged || schemaChanged)) {
      await assertValuesFitOrThrow(this.repo, table, old.physical.column, { from: old, to: next });
    }
    const needsUnique = wantsUnique(next);
    const needsIndex = wantsIndex(next);

    if (typeChanged && !same(oldStorage, newStorage)) {
      // Expand: a new column, backfilled and checked; the old one is kept (retired) until purge.
      if (newStorage.kind !== 'column' || oldStorage.kind !== 'column')
        throw new AppError('TYPE_CHANGE_UNSUPPORTED', `Cannot change the storage of "${old.key}"`, { field: old.key });
      if (needsUnique) await assertNoDuplicatesOrThrow(this.repo, table, old);
      // verifyBackfill re-syncs every row as the last step before the swap, so edits made
      // while earlier steps ran (or while the plan waited for a restart) are not lost. Old
      // indexes are dropped only after it: a rollback cannot recreate them.
      const column = physicalName('f_');
      steps.push({ op: 'addColumn', table, column, spec: newStorage.column });
      steps.push({ op: 'backfill', table, from: old.physical.column!, to: column, change: { from: old, to: next } });
      physical.retired = [...(old.physical.retired ?? []), old.physical.column!];
      physical.column = column;
      delete physical.index;
      delete physical.uniqueIndex;
      if (needsIndex) {
        physical.index = physicalName('i_');
        steps.push({ op: 'createIndex', table, index: physical.index, columns: [column, 'deleted_at'], unique: false });
      }
      if (needsUnique) {
        physical.uniqueIndex = physicalName('u_');
        steps.push({ op: 'createIndex', table, index: physical.uniqueIndex, columns: [column], unique: true, field: old.key });
      }
      steps.push({ op: 'verifyBackfill', table, from: old.physical.column!, to: column, change: { from: old, to: next } });
      if (old.physical.index) steps.push({ op: 'dropIndex', table, index: old.physical.index });
      if (old.physical.uniqueIndex) steps.push({ op: 'dropIndex', table, index: old.physical.uniqueIndex });
      return { steps, physical };
    }

    if (needsUnique && !physical.uniqueIndex) {
      await assertNoDuplicatesOrThrow(this.repo, table, old);
      physical.uniqueIndex = physicalName('u_');
      steps.push({ op: 'createIndex', table, index: physical.uniqueIndex, columns: [physical.column!], unique: true, field: old.key });
    } else if (!needsUnique && physical.uniqueIndex) {
      steps.push({ op: 'dropIndex', table, index: physical.uniqueIndex });
      delete physical.uniqueIndex;
    }
    if (needsIndex && !physical.index) {
      physical.index = physicalName('i_');
      steps.push({ op: 'createIndex', table, index: physical.index, columns: [physical.column!, 'deleted_at'], unique: false });
    } else if (!needsIndex && physical.index) {
      steps.push({ op: 'dropIndex', table, index: physical.index });
      delete physical.index;
    }
    return { steps, physical };
  }

  /**
   * Subform: changed child fields are checked against the stored rows like top-level fields;
   * new child fields get columns. A removed child keeps its column until the field is purged,
   * and a child re-added under that key gets a fresh one (the old column may hold another type).
   */
  private async planSubformChange(old: FieldMeta, next: FieldDefinition, physical: PhysicalField): Promise<{ steps: DdlStep[]; physical: PhysicalField }> {
    const steps: DdlStep[] = [];
    const before = new Map(childFields(old).map((c) => [c.key, c]));
    physical.children = { ...(physical.children ?? {}) };
    for (const child of childFields(next)) {
      const prev = before.get(child.key);
      if (prev) {
        const prevType = getFieldTypeOrThrow(prev.type);
        const nextType = getFieldTypeOrThrow(child.type);
        const a = prevType.storage(prev.settings as never);
        const b = nextType.storage(child.settings as never);
        if (!same(a, b))
          throw new AppError('TYPE_CHANGE_UNSUPPORTED', `Subform field "${child.key}" cannot change how it is stored; add a new one`, {
            field: `${old.key}.${child.key}`,
          });
        if (prev.type !== child.type && !typeChangeSupported(prev.type, child.type)) {
          throw new AppError('TYPE_CHANGE_UNSUPPORTED', `Subform field "${child.key}" cannot become ${child.type}`, {
            field: `${old.key}.${child.key}`,
            from: prev.type,
            to: child.type,
          });
        }
        if (prev.type !== child.type || !same(prevType.valueSchema(prev.settings as never, {}), nextType.valueSchema(child.settings as never, {}))) {
          const key = `${old.key}.${child.key}`;
          await assertValuesFitOrThrow(
            this.repo,
            physical.table!,
            physical.children[child.key],
            { from: { ...prev, key }, to: { ...child, key } },
            'parent_id',
          );
        }
        continue;
      }
      physical.children[child.key] = physicalName('f_');
      steps.push(...childColumnSteps(physical.table!, physical.children[child.key], child));
    }
    return { steps, physical };
  }

  async removeField(ctx: RequestContext, entityId: string, key: string): Promise<EntityDto> {
    return this.ddl.withWorkspaceLock(ctx.actor.workspaceId, async () => {
      const meta = await this.loadOrThrow(ctx, entityId);
      const field = meta.fields.find((f) => f.key === key);
      if (!field) throw notFound('FIELD_NOT_FOUND', `Field "${key}"`);
      await this.computedDesign.assertRemovableOrThrow(ctx, meta, key);
      await this.repo.transaction(async (tx) => {
        const now = nowStorage();
        await this.repo.updateFieldRow(tx, field.id, { status: 'removed' }, now);
        await this.repo.updateEntity(tx, entityId, meta.displayField === key ? { display_field: null } : {}, now, true);
      });
      await this.computedDesign.afterDesignChange(ctx, entityId, meta);
      return this.changed(ctx, entityId, 'field.remove', meta);
    });
  }

  async restoreField(ctx: RequestContext, entityId: string, key: string): Promise<EntityDto> {
    return this.ddl.withWorkspaceLock(ctx.actor.workspaceId, async () => {
      const meta = await this.loadOrThrow(ctx, entityId);
      const field = meta.removedFields.find((f) => f.key === key);
      if (!field) {
        if (meta.fields.some((f) => f.key === key)) throw new AppError('FIELD_NOT_REMOVED', `Field "${key}" is not removed`, { key });
        throw notFound('FIELD_NOT_FOUND', `Removed field "${key}"`);
      }
      await this.computedDesign.prepareFieldsOrThrow(ctx, { entityId, entityKey: meta.key, fields: [...meta.fields, field] });
      await this.repo.transaction(async (tx) => {
        const now = nowStorage();
        await this.repo.updateFieldRow(tx, field.id, { status: 'active' }, now);
        await this.repo.updateEntity(tx, entityId, {}, now, true);
      });
      await this.computedDesign.afterDesignChange(ctx, entityId, meta);
      return this.changed(ctx, entityId, 'field.restore', meta);
    });
  }

  async purgeField(ctx: RequestContext, entityId: string, key: string): Promise<EntityDto> {
    const ws = ctx.actor.workspaceId;
    return this.ddl.withWorkspaceLock(ws, async () => {
      const meta = await this.loadOrThrow(ctx, entityId);
      const field = meta.removedFields.find((f) => f.key === key);
      if (!field) {
        if (meta.fields.some((f) => f.key === key)) throw new AppError('FIELD_NOT_REMOVED', `Remove field "${key}" before purging it`, { key });
        throw notFound('FIELD_NOT_FOUND', `Removed field "${key}"`);
      }
      await this.assertNoUnfinishedPlanOrThrow(entityId);
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
      return this.changed(ctx, entityId, 'field.purge', meta);
    });
  }

  /** A new required field would leave every existing record empty: add it optional, fill it, then require it. */
  private async assertNoLiveRecordsOrThrow(meta: EntityMeta, key: string): Promise<void> {
    const base = `FROM ${meta.table} r WHERE r.deleted_at IS NULL`;
    const count = Number((await this.repo.count(`SELECT COUNT(*) AS c ${base}`, []))[0]?.c ?? 0);
    if (count === 0) return;
    const ids = await this.repo.count(`SELECT r.id AS c ${base} ORDER BY r.id LIMIT 10`, []);
    throw new AppError(
      'REQUIRED_HAS_EMPTY',
      `${count} existing record(s) would have no value for the new required field "${key}"; add it as optional, fill it, then make it required`,
      {
        field: key,
        rowCount: count,
        sampleIds: ids.map((r) => Number(r.c)),
      },
    );
  }

  /** For design changes: the entity, and the caller must administer its app. */
  private async loadOrThrow(ctx: RequestContext, entityId: string): Promise<EntityMeta> {
    const meta = await this.repo.loadEntity(ctx.actor.workspaceId, entityId);
    if (!meta) throw notFound('ENTITY_NOT_FOUND', `Entity ${entityId}`);
    await this.access.requireAppAdminOrThrow(ctx, meta.appId);
    return meta;
  }

  /** Audits a design change with what moved (name, display field, each field's definition), then answers the entity. */
  private async changed(ctx: RequestContext, entityId: string, action: string, before: EntityMeta | null): Promise<EntityDto> {
    const after = await this.getOrThrow(ctx, entityId);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const prev = before ? entityDto(before) : null;
    for (const k of ['name', 'displayField'] as const) if (prev?.[k] !== after[k]) changes[k] = { from: prev?.[k] ?? null, to: after[k] };
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
  private async assertNoUnfinishedPlanOrThrow(entityId: string): Promise<void> {
    if ((await this.plans.unfinishedForEntity(entityId)) > 0) {
      throw new AppError('SCHEMA_CHANGE_IN_PROGRESS', 'Another schema change of this entity has not finished; try again shortly', { entityId });
    }
  }

  private async assertRelationTargetOrThrow(workspaceId: string, field: FieldDefinition): Promise<void> {
    const check = async (f: FieldDefinition, path: string) => {
      if (f.type !== 'relation') return;
      const target = String(f.settings.targetEntityId ?? '');
      if ((await this.repo.entityVersion(workspaceId, target)) === null) {
        throw new AppError('INVALID_SETTINGS', `Relation "${f.key}" points at entity "${target}", which does not exist`, {
          errors: [{ path: `${path}/settings/targetEntityId`, code: 'not_found', message: `entity ${target} not found` }],
        });
      }
    };
    await check(field, '');
    for (const [i, c] of childFields(field).entries()) await check(c, `/settings/fields/${i}`);
  }
}
