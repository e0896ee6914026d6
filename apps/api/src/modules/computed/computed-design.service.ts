import { assertConditionSafeOrThrow, compileFilterOrThrow, conditionFieldKeys, findCycle, formTokens, prepareComputedFieldsOrThrow } from '@crm/rules';
import { childFieldsOf, type FieldDefinition, isNumericField, type RollupSettings, sameJson, SYSTEM_FIELDS } from '@crm/schema';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppError, isKnownCode } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import { AccessService, type EntityAccess } from '../access/access.service';
import { type EntityDesignHook, EntityDesignHooks } from '../entities/entity-design-hooks';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import type { EntityMeta, FieldMeta } from '../entities/entity-meta';
import { rollupInputs } from './computed-plans';
import { ComputedRepository } from './computed.repository';
import { ComputedService } from './computed.service';

const topKey = (ref: string) => ref.split('.')[0];

/** The condition operations the filter compiler knows (packages/rules condition-ast). */
const CONDITION_OPS = new Set(['and', 'or', '!', '==', '!=', '>', '>=', '<', '<=', 'in', 'contains', 'starts_with', 'is_empty', 'is_not_empty', 'date_range']);

/** The first operation of a condition the compiler does not know, or null. */
function unknownOperation(node: unknown): string | null {
  if (typeof node === 'boolean' || node === null || typeof node !== 'object' || Array.isArray(node)) return null;
  for (const [op, args] of Object.entries(node)) {
    if (!CONDITION_OPS.has(op)) return op;
    if (op === 'and' || op === 'or' || op === '!') {
      for (const item of Array.isArray(args) ? args : [args]) {
        const found = unknownOperation(item);
        if (found !== null) return found;
      }
    }
  }
  return null;
}

/**
 * A formula or loop error as the API answers it: the formula's code and position, the field
 * (`total`, `items.amount`) and the path of its expression in the request body.
 */
function asDesignError(err: unknown, fields: FieldDefinition[], inEntityBody: boolean): unknown {
  const e = err as { name?: string; code?: string; message?: string; details?: Record<string, unknown> };
  if ((e.name !== 'FormulaError' && e.name !== 'ComputedError') || !isKnownCode(e.code)) return err;
  const { formulaField, path: astPath, ...details } = e.details ?? {};
  const name = String(formulaField ?? details.field ?? '');
  const [top, child] = name.split('.');
  const index = fields.findIndex((f) => f.key === top);
  const childIndex = child === undefined ? -1 : childFieldsOf(fields[index] ?? ({} as FieldDefinition)).findIndex((c) => c.key === child);
  const path = `${inEntityBody && index >= 0 ? `/fields/${index}` : ''}${childIndex >= 0 ? `/settings/fields/${childIndex}` : ''}/settings/expression`;
  const extra: Record<string, unknown> = {
    ...details,
    ...(astPath ? { astPath } : {}),
    ...(name ? { field: name } : {}),
    ...(details.field && details.field !== name ? { reference: details.field } : {}),
  };
  if (e.code === 'FORMULA_CYCLE') return new AppError(e.code, e.message ?? 'Formulas depend on each other in a loop', extra);
  return new AppError(e.code, name ? `Formula "${name}": ${e.message}` : (e.message ?? 'Invalid formula'), {
    ...extra,
    errors: [{ path, code: e.code.toLowerCase(), message: e.message ?? '' }],
  });
}

function invalidSettings(field: string, path: string, code: string, message: string): AppError {
  return new AppError('INVALID_SETTINGS', `Field "${field}": ${message}`, { field, errors: [{ path: `/settings${path}`, code, message }] });
}

/**
 * Design-time checks of formulas, rollups and relation pickers, and what a design change sets
 * off: registered with the metadata engine's design hooks at start-up.
 */
@Injectable()
export class ComputedDesignService implements EntityDesignHook, OnModuleInit {
  constructor(
    private readonly runtime: EntityRuntime,
    private readonly repo: ComputedRepository,
    private readonly computed: ComputedService,
    private readonly hooks: EntityDesignHooks,
    private readonly access: AccessService,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  /**
   * Checks an entity's complete new field list before a design change is planned: formulas
   * parse and type-check (400 with the position), results fit their result type, no loop
   * between formulas (FORMULA_CYCLE naming the keys in order, across entities through rollups
   * too), rollups aggregate a number field of an entity whose relation points here, picker
   * settings name real fields, and rollups elsewhere over this entity still find what they
   * read. Fills each formula's `settings.ast` in place.
   */
  async prepareFieldsOrThrow(ctx: RequestContext, args: { entityId: string | null; entityKey: string; fields: FieldDefinition[] }): Promise<void> {
    const ws = ctx.actor.workspaceId;
    try {
      prepareComputedFieldsOrThrow({ fields: args.fields });
    } catch (err) {
      throw asDesignError(err, args.fields, args.entityId === null);
    }
    const byKey = new Map(args.fields.map((f) => [f.key, f]));
    const stored = args.entityId ? (await this.runtime.getOrThrow(ws, args.entityId).catch(() => null))?.byKey : undefined;
    // References to other entities are checked against the designer for what this change sets or alters;
    // a field left as it was keeps references its designer could make.
    const designer = (f: FieldDefinition) => {
      const was = stored?.get(f.key);
      return !was || was.type !== f.type || !sameJson(was.settings, f.settings) ? ctx : null;
    };
    for (const f of args.fields) {
      if (f.type === 'rollup') await this.checkRollupOrThrow(ws, args.entityId, f, byKey, designer(f));
      if (f.type === 'relation') await this.checkPickerOrThrow(ws, f, f.key, byKey, null, designer(f));
      for (const child of childFieldsOf(f))
        if (child.type === 'relation') await this.checkPickerOrThrow(ws, child, `${f.key}.${child.key}`, byKey, childFieldsOf(f), designer(f));
    }
    if (!args.entityId) return;
    for (const d of await this.dependentsOf(ws, args.entityId)) {
      const missing = [...rollupInputs(d.settings)].filter((k) => !byKey.has(k));
      const rel = byKey.get(d.settings.relationField);
      const problem = missing.length
        ? `needs ${missing.map((k) => `"${k}"`).join(', ')}`
        : rel?.type !== 'relation' || rel.settings.targetEntityId !== d.entityId
          ? `needs "${d.settings.relationField}" to stay a relation to its entity`
          : d.settings.field && !isNumericField(byKey.get(d.settings.field)!)
            ? `aggregates "${d.settings.field}", which must stay a number`
            : null;
      if (problem)
        throw new AppError('FIELD_IN_USE', `Rollup "${d.key}" of another entity ${problem}`, { usedBy: [`${d.entityId}:${d.key}`], fields: missing });
    }
    await this.assertNoCrossEntityCycleOrThrow(ws, args.entityId, args.entityKey, args.fields);
  }

  /** A field that a formula, or a rollup of another entity, reads cannot be removed (409 FIELD_IN_USE naming them). */
  async assertRemovableOrThrow(ctx: RequestContext, meta: EntityMeta, key: string): Promise<void> {
    const plan = prepareComputedFieldsOrThrow({ fields: meta.fields.map((f) => ({ ...f, settings: { ...f.settings } })) });
    const usedBy = plan.recordSteps.filter((s) => s.key !== key && s.refs.some((r) => topKey(r) === key)).map((s) => s.key);
    for (const d of await this.dependentsOf(ctx.actor.workspaceId, meta.id)) if (rollupInputs(d.settings).has(key)) usedBy.push(`${d.entityKey}.${d.key}`);
    if (usedBy.length)
      throw new AppError('FIELD_IN_USE', `Field "${key}" is used by ${usedBy.map((u) => `"${u}"`).join(', ')}; change those first`, { field: key, usedBy });
  }

  /**
   * After a design change has been applied: entities whose rollups over them changed get a new
   * metadata version (their cached plans list dependants), and when a computed field, or a
   * field one reads, changed, every record is recomputed.
   */
  async afterDesignChange(ctx: RequestContext, entityId: string, before: EntityMeta | null): Promise<void> {
    const c = await this.runtime.getOrThrow(ctx.actor.workspaceId, entityId);
    const defs = (m: EntityMeta | null) => new Map([...(m?.fields ?? [])].map((f) => [f.key, f]));
    const a = defs(before);
    const b = defs(c.meta);
    // What values depend on: the type, settings and storage (a label or position change is not one).
    const shape = (f: FieldMeta | undefined) => f && { type: f.type, settings: f.settings, physical: f.physical };
    const changed = [...new Set([...a.keys(), ...b.keys()])].filter((k) => !sameJson(shape(a.get(k)), shape(b.get(k))));
    if (!changed.length) return;
    const sources = new Set<string>();
    for (const k of changed) for (const f of [a.get(k), b.get(k)]) if (f?.type === 'rollup') sources.add(String(f.settings.sourceEntityId));
    sources.delete(entityId);
    if (sources.size)
      await this.repo.db.transaction(async (tx) => {
        for (const s of sources) await this.repo.bumpEntityVersion(tx, s);
      });
    const computedRefs = new Set<string>();
    for (const f of c.meta.fields) {
      if (f.type === 'formula' || f.type === 'rollup' || childFieldsOf(f).some((x) => x.type === 'formula')) computedRefs.add(f.key);
    }
    const plan = prepareComputedFieldsOrThrow({ fields: c.meta.fields.map((f) => ({ ...f, settings: { ...f.settings } })) });
    for (const s of plan.recordSteps) for (const r of s.refs) computedRefs.add(topKey(r));
    if (changed.some((k) => computedRefs.has(k) && b.has(k))) await this.computed.recomputeAll(ctx, entityId);
  }

  private async checkRollupOrThrow(
    ws: string,
    entityId: string | null,
    f: FieldDefinition,
    own: Map<string, FieldDefinition>,
    designer: RequestContext | null,
  ): Promise<void> {
    const s = f.settings as RollupSettings;
    if (!entityId)
      throw invalidSettings(f.key, '/sourceEntityId', 'not_yet', 'a rollup needs a relation pointing at this entity: add it once the entity exists');
    const found = await this.runtime.getOrThrow(ws, s.sourceEntityId).catch(() => null);
    // An entity the designer may not read is refused exactly like one that does not exist.
    const acc = found && designer && found.meta.id !== entityId ? await this.access.viewerAccessOrNull(designer, found) : undefined;
    const source = acc === null ? null : found;
    if (!source) throw invalidSettings(f.key, '/sourceEntityId', 'not_found', `entity ${s.sourceEntityId} not found`);
    const fieldsOf = (k: string) => (source.meta.id === entityId ? own.get(k) : acc && !acc.readable(k) ? undefined : source.byKey.get(k));
    const rel = fieldsOf(s.relationField);
    if (!rel) throw invalidSettings(f.key, '/relationField', 'not_found', `${source.meta.name} has no field "${s.relationField}"`);
    if (rel.type !== 'relation' || rel.settings.targetEntityId !== entityId) {
      throw invalidSettings(f.key, '/relationField', 'not_a_relation_here', `"${s.relationField}" of ${source.meta.name} is not a relation to this entity`);
    }
    if (s.field !== undefined) {
      const agg = fieldsOf(s.field);
      if (!agg) throw invalidSettings(f.key, '/field', 'not_found', `${source.meta.name} has no field "${s.field}"`);
      if (s.aggregate !== 'count' && !isNumericField(agg)) throw invalidSettings(f.key, '/field', 'not_numeric', `"${s.field}" is not a number or money field`);
      if (!source.byKey.get(s.field)?.physical.column && source.meta.id !== entityId)
        throw invalidSettings(f.key, '/field', 'not_stored', `"${s.field}" is not stored in a column`);
    }
    if (s.condition !== undefined) {
      this.checkConditionOrThrow(f.key, '/condition', s.condition, source);
      this.checkReadableOrThrow(f.key, '/condition', conditionFieldKeys(s.condition), source, acc);
    }
  }

  /** Fields of another entity a design reads must be readable by the designer; hidden ones are refused as unknown. */
  private checkReadableOrThrow(name: string, path: string, keys: string[], on: CompiledEntity, acc: EntityAccess | null | undefined): void {
    const hidden = acc ? keys.find((k) => on.byKey.has(k) && !acc.readable(k)) : undefined;
    if (hidden !== undefined) throw invalidSettings(name, path, 'unknown_field', `${on.meta.name} has no field "${hidden}"`);
  }

  private checkConditionOrThrow(key: string, path: string, condition: unknown, on: CompiledEntity): void {
    try {
      assertConditionSafeOrThrow(condition);
      compileFilterOrThrow({ filter: condition, resolveField: on.resolveField, dialect: 'sqlite', now: new Date() });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      throw invalidSettings(key, path, String(e.code ?? 'invalid').toLowerCase(), e.message ?? 'invalid condition');
    }
  }

  /** Display fields are column fields of the target; the filter reads the target's fields and names real form fields. */
  private async checkPickerOrThrow(
    ws: string,
    f: FieldDefinition,
    name: string,
    own: Map<string, FieldDefinition>,
    siblings: FieldDefinition[] | null,
    designer: RequestContext | null,
  ): Promise<void> {
    const displayFields = (f.settings.displayFields as string[] | undefined) ?? [];
    const filter = f.settings.filter;
    if (!displayFields.length && filter === undefined) return;
    const target = await this.runtime.getOrThrow(ws, String(f.settings.targetEntityId)).catch(() => null);
    if (!target) return; // the relation check reports a missing target
    const acc = designer ? await this.access.viewerAccessOrNull(designer, target) : undefined;
    if (acc === null) return; // the relation check refuses a target the designer may not see
    displayFields.forEach((k, i) => {
      if (!target.byKey.get(k)?.physical.column || (acc && !acc.readable(k)))
        throw invalidSettings(name, `/displayFields/${i}`, 'not_found', `${target.meta.name} has no field "${k}" that can be shown`);
    });
    if (filter === undefined) return;
    try {
      assertConditionSafeOrThrow(filter);
    } catch (err) {
      throw invalidSettings(name, '/filter', 'invalid_filter', (err as Error).message);
    }
    for (const k of conditionFieldKeys(filter)) {
      if (!target.byKey.has(k) && !(SYSTEM_FIELDS as readonly string[]).includes(k))
        throw invalidSettings(name, '/filter', 'unknown_field', `${target.meta.name} has no field "${k}"`);
    }
    this.checkReadableOrThrow(name, '/filter', conditionFieldKeys(filter), target, acc);
    for (const t of formTokens(filter)) {
      const known = t.scope === 'form' ? own.has(t.key) : !!siblings?.some((x) => x.key === t.key);
      if (!known)
        throw invalidSettings(
          name,
          '/filter',
          'unknown_field',
          `$${t.scope}.${t.key} names no field of ${t.scope === 'form' ? 'this form' : 'this subform row'}`,
        );
    }
    this.checkPickerFilterOrThrow(name, filter, target);
  }

  /**
   * The options route substitutes `$form.`/`$row.` tokens and compiles the filter: one without
   * tokens is compiled now exactly so; one with tokens (values unknown until run time) must use
   * only operations the compiler knows, so a saved field never answers 400 on every options call.
   */
  private checkPickerFilterOrThrow(name: string, filter: unknown, target: CompiledEntity): void {
    if (!formTokens(filter).length) return this.checkConditionOrThrow(name, '/filter', filter, target);
    const unknown = unknownOperation(filter);
    if (unknown !== null) throw invalidSettings(name, '/filter', 'invalid_filter', `Unsupported operation "${unknown.slice(0, 48)}"`);
  }

  private async dependentsOf(ws: string, entityId: string) {
    const rows = (await this.repo.rollupFields(ws)).filter((r) => r.settings.sourceEntityId === entityId && r.entityId !== entityId);
    const out: { entityId: string; entityKey: string; key: string; settings: RollupSettings }[] = [];
    for (const r of rows) {
      const t = await this.runtime.getOrThrow(ws, r.entityId).catch(() => null);
      out.push({ entityId: r.entityId, entityKey: t?.meta.key ?? r.entityId, key: r.key, settings: r.settings as unknown as RollupSettings });
    }
    return out;
  }

  /**
   * A loop through rollups: entity A's rollup reads B's field, which (through B's formulas and
   * rollups) reads A's rollup. Walks forward from this entity along rollup sources; every
   * loop this change could close passes through one of its rollups.
   */
  private async assertNoCrossEntityCycleOrThrow(ws: string, entityId: string, entityKey: string, fields: FieldDefinition[]): Promise<void> {
    if (!fields.some((f) => f.type === 'rollup')) return;
    const graph = new Map<string, string[]>();
    const names = new Map<string, string>();
    const seen = new Set<string>([entityId]);
    const queue: { id: string; key: string; fields: FieldDefinition[] }[] = [{ id: entityId, key: entityKey, fields }];
    while (queue.length) {
      const e = queue.shift()!;
      const node = (k: string) => {
        const id = `${e.id}:${k}`;
        names.set(id, `${e.key}.${k}`);
        return id;
      };
      const plan = prepareComputedFieldsOrThrow({ fields: e.fields.map((f) => ({ ...f, settings: { ...f.settings } })) });
      for (const s of plan.recordSteps)
        graph.set(
          node(s.key),
          s.refs.map((r) => node(r)),
        );
      for (const f of e.fields) {
        for (const child of childFieldsOf(f)) {
          if (child.type !== 'formula') continue;
          const step = plan.rowSteps.find((r) => r.subform === f.key)?.steps.find((x) => x.key === child.key);
          graph.set(
            node(`${f.key}.${child.key}`),
            (step?.refs ?? []).map((r) => node(`${f.key}.${topKey(r)}`)),
          );
        }
        if (f.type !== 'rollup') continue;
        const s = f.settings as RollupSettings;
        const source =
          s.sourceEntityId === entityId
            ? { id: entityId, key: entityKey, fields }
            : await this.runtime.getOrThrow(ws, s.sourceEntityId).then(
                (c) => ({ id: c.meta.id, key: c.meta.key, fields: c.meta.fields as FieldDefinition[] }),
                () => null,
              );
        if (!source) continue;
        graph.set(
          node(f.key),
          [...rollupInputs(s)].map((k) => {
            const id = `${source.id}:${k}`;
            names.set(id, `${source.key}.${k}`);
            return id;
          }),
        );
        if (!seen.has(source.id)) {
          seen.add(source.id);
          queue.push(source);
        }
      }
    }
    const cycle = findCycle({ graph });
    if (cycle) {
      const named = cycle.map((id) => names.get(id) ?? id);
      throw new AppError('FORMULA_CYCLE', `Computed fields depend on each other in a loop: ${named.join(' → ')}`, { cycle: named });
    }
  }
}
