import {
  applyHiddenFieldPolicy,
  buildFormSchemas,
  emptyForm,
  evaluateFormRules,
  type FormDefinition,
  FormsError,
  type LinkageRequest,
  type Locale,
  LOCALES,
  normalizeFormOrThrow,
  resolveDefaults,
} from '@crm/forms';
import { compileFilterOrThrow, RulesError } from '@crm/rules';
import {
  copyRecord,
  type FieldDefinition,
  type FieldTypeDefinition,
  getFieldTypeOrThrow,
  type Issue,
  issuesFromAjvErrors,
  type JsonSchema,
  sameJson,
} from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { FormsRepository } from './forms.repository';

type Values = Record<string, unknown>;

/** Everything derived from one published form version over one entity metadata version. */
export interface CompiledForm {
  entityId: string;
  entityVersion: number;
  version: number;
  /** The published definition, re-checked against the entity's current fields. */
  definition: FormDefinition;
  /** Parts of the published definition dropped because the entity changed since (shown to admins). */
  problems: Issue[];
  fields: readonly FieldDefinition[];
  schemas: Record<Locale, { schema: JsonSchema; uiSchema: Record<string, unknown> }>;
  readOnlyKeys: string[];
  defaultKeys: string[];
}

export interface ApplyFormInput {
  exec: Executor;
  ctx: RequestContext;
  c: CompiledEntity;
  form: CompiledForm | null;
  /** Values that passed ajv; changed in place to what is written. */
  values: Values;
  mode: 'create' | 'update';
  /** Issue path prefix (`/records/3` in a bulk create). */
  prefix: string;
  /** Update: the stored record (API form). */
  current?: Record<string, unknown>;
  /** Admins of the app may write read-only fields (imports, corrections); members' values are ignored. */
  isAdmin: boolean;
  /** Linkage answers shared by the records of one bulk create. */
  memo?: Map<string, unknown>;
  /**
   * Fills the server-computed fields (formulas, rollups) in, so rules can read them: on create
   * into `values` themselves (the caller need not compute them again), on update into a copy.
   */
  compute?: (values: Values) => Promise<void>;
}

const typeOf = (f: FieldDefinition) => getFieldTypeOrThrow(f.type) as FieldTypeDefinition<Record<string, unknown>>;

export function formValidationError(issues: Issue[]): AppError {
  const shown = issues.slice(0, 200);
  return new AppError('VALIDATION_FAILED', `${issues.length} invalid value(s): ${[...new Set(shown.map((i) => i.path || '/'))].slice(0, 10).join(', ')}`, {
    errors: shown,
  });
}

/** Problems of a form definition as a 400 INVALID_FORM with every path. */
export function invalidForm(err: FormsError, prefix = ''): AppError {
  return new AppError('INVALID_FORM', err.message, {
    errors: err.issues.map((i) => ({ ...i, path: prefix + i.path, message: prefix && i.message.startsWith(i.path) ? prefix + i.message : i.message })),
  });
}

/**
 * Published forms compiled once per (entity, entity metadata version, form version) — like
 * EntityRuntime — and the write hook that applies them. A write pays one indexed query to learn
 * the published version; nothing is normalized, parsed or built on a request after the first.
 */
@Injectable()
export class FormRuntime {
  /** How many times form artefacts were compiled (tests assert none happen per request). */
  static compiles = 0;
  private readonly cache = new Map<string, CompiledForm>();
  private readonly maxEntries = 500;
  /**
   * Linkage targets as last seen outside a transaction. Inside one (updates) the metadata
   * lookup cannot run on SQLite's single connection, so the lookup uses these.
   */
  private readonly targets = new Map<string, CompiledEntity>();

  constructor(
    readonly repo: FormsRepository,
    private readonly entities: EntityRuntime,
  ) {}

  /** The published form of the entity, or null when none was published. */
  async publishedOrNull(c: CompiledEntity): Promise<CompiledForm | null> {
    const v = await this.repo.publishedVersion(c.meta.workspaceId, c.meta.id);
    return v === null ? null : this.versionOrThrow(c, v);
  }

  async versionOrThrow(c: CompiledEntity, version: number): Promise<CompiledForm> {
    const key = `${c.meta.id}:${c.meta.version}:${version}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const row = await this.repo.version(c.meta.workspaceId, c.meta.id, version);
    if (!row) throw notFound('FORM_VERSION_NOT_FOUND', `Form version ${version}`);
    const compiled = await this.compile(c, version, JSON.parse(row.definition) as unknown);
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, compiled);
    return compiled;
  }

  private async compile(c: CompiledEntity, version: number, raw: unknown): Promise<CompiledForm> {
    FormRuntime.compiles++;
    const { definition, problems } = await this.lenientOrEmpty(c, raw);
    const schemas = {} as CompiledForm['schemas'];
    for (const locale of LOCALES) schemas[locale] = buildFormSchemas({ entityFields: c.meta.fields, form: definition, locale });
    return {
      entityId: c.meta.id,
      entityVersion: c.meta.version,
      version,
      definition,
      problems,
      fields: c.meta.fields,
      schemas,
      readOnlyKeys: Object.entries(definition.fields)
        .filter(([, f]) => f.readOnly)
        .map(([k]) => k),
      defaultKeys: Object.entries(definition.fields)
        .filter(([, f]) => f.default)
        .map(([k]) => k),
    };
  }

  /** Normalizes a definition against the entity as it is now; FormsError when it does not fit. */
  async normalizeOrThrow(c: CompiledEntity, raw: unknown): Promise<FormDefinition> {
    const targets = new Map<string, readonly FieldDefinition[]>([[c.meta.id, c.meta.fields]]);
    const fields = raw && typeof raw === 'object' ? (raw as { fields?: unknown }).fields : undefined;
    if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
      for (const cfg of Object.values(fields as Record<string, unknown>).slice(0, 500)) {
        const id = (cfg as { default?: { entityId?: unknown } } | null)?.default?.entityId;
        if (typeof id !== 'string' || targets.has(id) || targets.size > 50) continue;
        try {
          const target = await this.entities.getOrThrow(c.meta.workspaceId, id);
          this.remember(target);
          targets.set(id, target.meta.fields);
        } catch {
          /* unknown or foreign entity: normalize reports it */
        }
      }
    }
    return normalizeFormOrThrow({ form: raw, fields: c.meta.fields, targetFields: (id) => targets.get(id) });
  }

  /**
   * A published definition over fields changed since: parts that no longer fit (rules naming a
   * removed field, a layout slot of a purged field) are dropped and reported, never failing writes.
   */
  private async lenientOrEmpty(c: CompiledEntity, raw: unknown): Promise<{ definition: FormDefinition; problems: Issue[] }> {
    let current = structuredClone(raw) as Record<string, any>;
    const problems: Issue[] = [];
    for (let round = 0; round < 5; round++) {
      try {
        return { definition: await this.normalizeOrThrow(c, current), problems };
      } catch (err) {
        if (!(err instanceof FormsError)) throw err;
        problems.push(...err.issues);
        current = dropProblemParts(current, err.issues);
      }
    }
    return { definition: emptyForm(), problems };
  }

  /**
   * The forms hook of record writes (after ajv): members' values of read-only fields are ignored;
   * on create, defaults fill the fields left out (static, formula, data linkage: one query per
   * linkage field); the hidden-field policy applies; then required fields (entity and
   * required-when) and submit validations are checked, and values the form set are checked
   * against the field schemas. Issues are localized (ctx.locale). Returns the form version the
   * record is written with (null without a published form).
   */
  async applyOrThrow(input: ApplyFormInput): Promise<number | null> {
    const { ctx, c, form, values, mode, prefix, current } = input;
    if (!form) return null;
    const locale = ctx.locale ?? 'en';
    const now = new Date();
    const def = form.definition;
    if (!input.isAdmin) for (const k of form.readOnlyKeys) delete values[k];
    const lookup = (req: LinkageRequest) => this.lookup(input, req, now);
    // Create starts from the values themselves and copies only what defaults or the policy change
    // (copyRecord: wide records spread into new hidden classes at great cost); update overlays the stored record.
    let merged: Values = mode === 'update' ? Object.assign(copyRecord(current ?? {}), values) : values;
    const issues: Issue[] = [];
    if (mode === 'create') {
      const missing = form.defaultKeys.filter((k) => merged[k] === undefined);
      if (missing.length) {
        const res = await resolveDefaults({ form: def, values: merged, keys: missing, now, fields: form.fields, locale, lookup });
        merged = res.values;
        issues.push(...res.issues);
      }
    }
    // `merged` is this call's own (a copy, or on create the values it changes anyway): cleared in place.
    const settled = await applyHiddenFieldPolicy({ form: def, values: merged, now, fields: form.fields, locale, lookup, inPlace: true });
    merged = settled.values as Values;
    issues.push(...settled.issues);
    // Write back what the form decided; values it set (not the submitter) get the field checks ajv gave the rest.
    const setByForm: Values = {};
    if (merged !== values) {
      for (const f of c.meta.fields) {
        const k = f.key;
        if (!typeOf(f).writable) continue;
        if (merged[k] === undefined || (k in values && sameJson(values[k], merged[k]))) continue;
        if (mode === 'update' && !(k in values) && sameJson(current?.[k], merged[k])) continue;
        values[k] = merged[k];
        setByForm[k] = merged[k];
      }
    }
    // Rules see the record as it will be, computed fields included. On create that is `values`
    // now (what the form decided is written back; `compute` fills the rest in, once, for the
    // rules and the write); on update, the stored record with the changes, on a copy.
    const seen = mode === 'create' ? values : copyRecord(merged);
    await input.compute?.(seen);
    issues.push(...evaluateFormRules({ form: def, values: seen, now, fields: form.fields, locale }).issues);
    if (Object.keys(setByForm).length && !c.validateUpdate(setByForm)) {
      const labelOf = (p: string) => c.byKey.get(p.split('/')[1] ?? '')?.label;
      issues.push(
        ...issuesFromAjvErrors(c.validateUpdate.errors, { locale, ...(locale === 'zh-CN' ? { labelOf } : {}) }).map((i) => ({ ...i, code: 'invalid_default' })),
      );
    }
    if (issues.length) throw formValidationError(prefix ? issues.map((i) => ({ ...i, path: `${prefix}${i.path}` })) : issues);
    return form.version;
  }

  private remember(target: CompiledEntity): CompiledEntity {
    if (this.targets.size >= this.maxEntries && !this.targets.has(target.meta.id)) this.targets.delete(this.targets.keys().next().value!);
    this.targets.set(target.meta.id, target);
    return target;
  }

  /** One query per linkage: `valueField` of the newest live record matching the condition. */
  private async lookup(input: ApplyFormInput, req: LinkageRequest, now: Date): Promise<unknown> {
    const key = JSON.stringify(req);
    if (input.memo?.has(key)) return input.memo.get(key);
    let value: unknown = null;
    const inTransaction = input.exec !== this.repo.db;
    try {
      const target = inTransaction ? this.targets.get(req.entityId) : this.remember(await this.entities.getOrThrow(input.c.meta.workspaceId, req.entityId));
      if (!target || target.meta.workspaceId !== input.c.meta.workspaceId) return null;
      const vf = target.byKey.get(req.valueField);
      if (vf?.physical.column) {
        const where = compileFilterOrThrow({ filter: req.condition, resolveField: target.resolveField, dialect: input.exec.dialect, now });
        const raw = await this.repo.lookupValue(input.exec, target.meta.table, vf.physical.column, where);
        value = raw === undefined || raw === null ? null : typeOf(vf).fromDb(raw, vf.settings);
      }
    } catch (err) {
      // A linkage the target entity no longer fits (entity or field gone, value of another type) gives no value;
      // inside a transaction the remembered target may be a version behind, so any failure does.
      if (!inTransaction && !(err instanceof RulesError) && !(err instanceof AppError && err.code === 'ENTITY_NOT_FOUND')) throw err;
    }
    input.memo?.set(key, value);
    return value;
  }
}

/** Removes the parts of a raw definition that the issues point at (a field's settings, a validation, a layout slot, a section rule). */
function dropProblemParts(raw: Record<string, any>, issues: Issue[]): Record<string, any> {
  const out = structuredClone(raw ?? {});
  const dropValidations = new Set<number>();
  for (const { path } of issues) {
    const seg = path.split('/').slice(1);
    if (seg[0] === 'fields' && seg[1] !== undefined && out.fields) delete out.fields[seg[1].replace(/~1/g, '/').replace(/~0/g, '~')];
    else if (seg[0] === 'validations' && seg[1] !== undefined) dropValidations.add(Number(seg[1]));
    else if (seg[0] === 'layout') {
      const ruleAt = seg.indexOf('visibleWhen');
      const target = ruleAt > 0 ? seg.slice(0, ruleAt) : seg.slice(0, seg[seg.length - 1] === 'key' ? -1 : seg.length);
      let parent: any = out;
      for (const s of target.slice(0, -1)) parent = parent?.[s];
      const last = target[target.length - 1];
      if (ruleAt > 0) delete parent?.[last]?.visibleWhen;
      else if (Array.isArray(parent)) parent[Number(last)] = null;
    } else if (seg.length === 0 || seg[0] === 'submitHint' || seg[0] === 'hiddenFieldPolicy') delete out[seg[0] ?? ''];
  }
  if (Array.isArray(out.validations)) out.validations = out.validations.filter((_: unknown, i: number) => !dropValidations.has(i));
  const compactLayout = (nodes: any[]): any[] =>
    nodes
      .filter((n) => n !== null)
      .map((n) =>
        n?.type === 'section' && Array.isArray(n.children)
          ? { ...n, children: compactLayout(n.children) }
          : n?.type === 'tabs' && Array.isArray(n.tabs)
            ? { ...n, tabs: n.tabs.map((t: any) => ({ ...t, children: Array.isArray(t?.children) ? compactLayout(t.children) : [] })) }
            : n,
      );
  if (Array.isArray(out.layout)) out.layout = compactLayout(out.layout);
  return out;
}
