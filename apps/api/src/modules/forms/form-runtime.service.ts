import { buildFormSchemas, emptyForm, type FormDefinition, FormsError, type LinkageRequest, type Locale, LOCALES, normalizeFormOrThrow } from '@crm/forms';
import { compileFilterOrThrow, conditionFieldKeys, RulesError } from '@crm/rules';
import { type FieldDefinition, fromDbOf, type Issue, type JsonSchema, sameJson } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { BoundedCache } from '../../common/bounded-cache';
import { AppError, notFound } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import type { SqlFragment } from '../access/access.repository';
import { AccessService } from '../access/access.service';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { dropProblemParts } from './form-lenient';
import { FormsRepository } from './forms.repository';

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

/** Problems of a form definition as a 400 INVALID_FORM with every path. */
export function invalidForm(err: FormsError, prefix = ''): AppError {
  return new AppError('INVALID_FORM', err.message, {
    errors: err.issues.map((i) => ({ ...i, path: prefix + i.path, message: prefix && i.message.startsWith(i.path) ? prefix + i.message : i.message })),
  });
}

/**
 * Published forms compiled once per (entity, entity metadata version, form version) — like
 * EntityRuntime. A write pays one indexed query to learn the published version; nothing is
 * normalized, parsed or built on a request after the first. The forms participant of the
 * record-write pipeline (form-write.participant.ts) applies them.
 */
/** The definition without the linkage defaults that equal the stored ones (for the designer check only). */
function withoutKeptLinkages(raw: unknown, kept: unknown): unknown {
  const fields = (raw as { fields?: unknown } | null)?.fields;
  const before = (kept ?? {}) as Record<string, { default?: unknown } | null>;
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return raw;
  const out: Record<string, unknown> = {};
  for (const [key, cfg] of Object.entries(fields as Record<string, unknown>)) {
    const d = (cfg as { default?: { kind?: unknown } } | null)?.default;
    const same = d?.kind === 'linkage' && Object.hasOwn(before, key) && sameJson(before[key]?.default, d);
    if (same) {
      const { default: _kept, ...rest } = cfg as Record<string, unknown>;
      out[key] = rest;
    } else out[key] = cfg;
  }
  return { ...(raw as object), fields: out };
}

@Injectable()
export class FormRuntime {
  /** How many times form artefacts were compiled (tests assert none happen per request). */
  static compiles = 0;
  private readonly cache = new BoundedCache<string, CompiledForm>(500);

  constructor(
    readonly repo: FormsRepository,
    private readonly entities: EntityRuntime,
    private readonly access: AccessService,
  ) {}

  /** The published form of the entity, or null when none was published. */
  async publishedOrNull(c: CompiledEntity): Promise<CompiledForm | null> {
    return this.publishedOf(c, await this.repo.publishedVersion(c.meta.workspaceId, c.meta.id));
  }

  /**
   * The form staff fill in before one is published: every field in the entity's order, no rules
   * (version 0). An entity is usable from the moment it has fields, as in the peers' products.
   */
  async defaultForm(c: CompiledEntity): Promise<CompiledForm> {
    const key = `${c.meta.id}:${c.meta.version}:0`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const compiled = await this.compile(c, 0, emptyForm());
    this.cache.set(key, compiled);
    return compiled;
  }

  /** The compiled form of a published version learnt elsewhere (a write's probe statement); null: none published. */
  publishedOf(c: CompiledEntity, v: unknown): Promise<CompiledForm | null> {
    return v === null || v === undefined ? Promise.resolve(null) : this.versionOrThrow(c, Number(v));
  }

  async versionOrThrow(c: CompiledEntity, version: number): Promise<CompiledForm> {
    const key = `${c.meta.id}:${c.meta.version}:${version}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const row = await this.repo.version(c.meta.workspaceId, c.meta.id, version);
    if (!row) throw notFound('FORM_VERSION_NOT_FOUND', `Form version ${version}`);
    const compiled = await this.compile(c, version, JSON.parse(row.definition) as unknown);
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

  /**
   * Normalizes a definition against the entity as it is now; FormsError when it does not fit.
   * With a designer (saving a draft), a data linkage they set or change may only name an entity
   * they can read, and only fields of it they can read: anything else is refused as unknown. A
   * linkage equal to the one in `kept` (the stored draft's field settings) was checked against
   * whoever set it and stays, so editing another part of the form never fails on it.
   */
  async normalizeOrThrow(c: CompiledEntity, raw: unknown, designer?: RequestContext, kept?: unknown): Promise<FormDefinition> {
    if (designer) await this.normalizeWith(c, withoutKeptLinkages(raw, kept), designer);
    return this.normalizeWith(c, raw);
  }

  private async normalizeWith(c: CompiledEntity, raw: unknown, designer?: RequestContext): Promise<FormDefinition> {
    const targets = new Map<string, readonly FieldDefinition[]>([[c.meta.id, c.meta.fields]]);
    const fields = raw && typeof raw === 'object' ? (raw as { fields?: unknown }).fields : undefined;
    if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
      for (const cfg of Object.values(fields as Record<string, unknown>).slice(0, 500)) {
        const id = (cfg as { default?: { entityId?: unknown } } | null)?.default?.entityId;
        if (typeof id !== 'string' || targets.has(id) || targets.size > 50) continue;
        try {
          const target = await this.entities.getOrThrow(c.meta.workspaceId, id);
          if (!designer) targets.set(id, target.meta.fields);
          else {
            const acc = await this.access.viewerAccessOrNull(designer, target);
            if (acc) targets.set(id, acc.isAdmin ? target.meta.fields : target.meta.fields.filter((f) => acc.readable(f.key)));
          }
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
   * A data-linkage default (one query): `valueField` of the newest live record of the target
   * matching the condition. `memo` shares answers between the records of one bulk create.
   * It reads as the acting member: a target they may not view, a value or condition field
   * hidden from them, gives no value, and only records in their view scope are looked at.
   * A public link's anonymous submitter runs the linkage its designers saved (checked then).
   */
  async lookup(ctx: RequestContext, c: CompiledEntity, req: LinkageRequest, now: Date, memo?: Map<string, unknown>): Promise<unknown> {
    const key = JSON.stringify(req);
    if (memo?.has(key)) return memo.get(key);
    let value: unknown = null;
    try {
      const target = await this.entities.getOrThrow(c.meta.workspaceId, req.entityId);
      const vf = target.meta.workspaceId === c.meta.workspaceId ? target.byKey.get(req.valueField) : undefined;
      const reader = await this.readerOrNull(ctx, target, [req.valueField, ...conditionFieldKeys(req.condition)]);
      if (vf?.physical.column && reader) {
        const where = compileFilterOrThrow({ filter: req.condition, resolveField: target.resolveField, dialect: this.repo.dialect, now });
        const raw = await this.repo.lookupValue(this.repo.db, target.meta.table, vf.physical.column, where, reader.scope);
        value = raw === undefined || raw === null ? null : fromDbOf(vf, raw);
      }
    } catch (err) {
      // A linkage the target entity no longer fits (entity or field gone, value of another type) gives no value.
      if (!(err instanceof RulesError) && !(err instanceof AppError && err.code === 'ENTITY_NOT_FOUND')) throw err;
    }
    memo?.set(key, value);
    return value;
  }

  /** The acting member's view scope on a linkage target when they may read these fields of it; null when they may not. */
  private async readerOrNull(ctx: RequestContext, target: CompiledEntity, keys: string[]): Promise<{ scope: SqlFragment | null } | null> {
    if (ctx.actor.kind === 'anonymous') return { scope: null };
    const acc = await this.access.viewerAccessOrNull(ctx, target);
    if (!acc || !acc.can('view') || keys.some((k) => target.byKey.has(k) && !acc.readable(k))) return null;
    return { scope: acc.scopeSqlOrThrow('view') };
  }
}
