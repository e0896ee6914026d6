import { emptyForm, type FormDefinition, FormsError, isLocale, linkageRequest, type Locale } from '@crm/forms';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { AppError, notFound } from '../../common/errors';
import { nowStorage, storageToIso } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import { AccessService, type EntityAccess } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { FormRuntime, invalidForm } from './form-runtime.service';
import { parseRevisionOrThrow } from './form-design';
import { type FormRow, FormsRepository } from './forms.repository';

/** Form design (draft, publish, versions) and the published form's schemas; public-link settings are PublicLinksService's. */
@Injectable()
export class FormsService {
  constructor(
    private readonly repo: FormsRepository,
    private readonly runtime: FormRuntime,
    private readonly entities: EntityRuntime,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The entity and the member's access; a member who can neither view nor create does not see it. */
  private async entityOrThrow(ctx: RequestContext, entityId: string): Promise<{ c: CompiledEntity; acc: EntityAccess; admin: boolean }> {
    const c = await this.entities.getOrThrow(ctx.actor.workspaceId, entityId);
    const acc = await this.access.forEntity(ctx, c);
    const admin = await this.access.isAppAdmin(ctx, c.meta.appId);
    if (!admin && !acc.can('view') && !acc.can('create')) throw notFound('ENTITY_NOT_FOUND', `Entity ${entityId}`);
    return { c, acc, admin };
  }

  /** The entity, for one of its designers (workspace admins and admins of its app). */
  async designerOrThrow(ctx: RequestContext, entityId: string): Promise<CompiledEntity> {
    const { c, admin } = await this.entityOrThrow(ctx, entityId);
    if (!admin) throw new AppError('FORBIDDEN', 'Only workspace admins and admins of this app design its forms');
    return c;
  }

  /** Published form for everyone who can use the entity; the draft and the version list for its designers. */
  async get(ctx: RequestContext, entityId: string) {
    const { c, acc, admin } = await this.entityOrThrow(ctx, entityId);
    const row = await this.repo.form(ctx.actor.workspaceId, entityId);
    const published = row?.published_version ? await this.runtime.versionOrThrow(c, Number(row.published_version)) : null;
    const meta = row?.published_version ? await this.repo.version(ctx.actor.workspaceId, entityId, Number(row.published_version)) : null;
    const out: Record<string, unknown> = {
      entityId,
      published:
        published && meta
          ? {
              version: published.version,
              definition: admin ? published.definition : this.forMember(published.definition, acc),
              publishedAt: storageToIso(meta.published_at),
              publishedBy: meta.published_by,
              ...(admin ? { problems: published.problems } : {}),
            }
          : null,
    };
    if (admin) {
      out.draft = row
        ? {
            definition: JSON.parse(row.draft) as FormDefinition,
            updatedAt: storageToIso(row.draft_updated_at),
            updatedBy: row.draft_updated_by,
            revision: Number(row.revision),
            hasDesign: row.design !== null,
          }
        : { definition: emptyForm(), updatedAt: null, updatedBy: null, revision: 0, hasDesign: false };
      out.versions = (await this.repo.versions(ctx.actor.workspaceId, entityId)).map((v) => ({
        version: Number(v.version),
        entityVersion: Number(v.entity_version),
        publishedAt: storageToIso(v.published_at),
        publishedBy: v.published_by,
      }));
    }
    return out;
  }

  /**
   * Saves the draft (checked like a publish); staff keep the published version until the next
   * publish. With `If-Match: "<revision>"` the save lands only on that revision: a stale one is
   * refused with 409 DRAFT_CONFLICT and the current revision, never overwriting a newer save.
   */
  async saveDraft(ctx: RequestContext, entityId: string, body: unknown, ifMatch?: string) {
    const expected = ifMatch === undefined ? undefined : parseRevisionOrThrow(ifMatch, 'If-Match');
    const c = await this.designerOrThrow(ctx, entityId);
    const stored = await this.repo.form(ctx.actor.workspaceId, entityId);
    if (expected !== undefined) await this.assertRevisionOrThrow(ctx, entityId, expected, stored);
    const kept = stored ? (JSON.parse(stored.draft) as { fields?: unknown }).fields : undefined;
    const definition = await this.normalizeOrThrow(ctx, c, body, '', kept);
    const at = nowStorage();
    await this.repo.db.transaction(async (tx) => {
      const saved = await this.repo.saveDraft(tx, {
        workspaceId: ctx.actor.workspaceId,
        entityId,
        draft: JSON.stringify(definition),
        at,
        by: ctx.actor.userId,
        expected,
      });
      if (saved === null) await this.assertRevisionOrThrow(ctx, entityId, expected ?? -1, await this.repo.form(ctx.actor.workspaceId, entityId, tx));
      await this.audit.write(ctx, { action: 'form.draft_save', targetType: 'form', targetId: entityId, entityId }, tx);
    });
    return this.get(ctx, entityId);
  }

  /** Refuses a save based on another revision than the stored one: 409 DRAFT_CONFLICT with who saved last. */
  async assertRevisionOrThrow(ctx: RequestContext, entityId: string, expected: number, row: FormRow | null): Promise<void> {
    const current = row ? Number(row.revision) : 0;
    if (current === expected) return;
    throw new AppError('DRAFT_CONFLICT', `The draft was saved by someone else (revision ${current}, you edited revision ${expected}); reload it`, {
      currentRevision: current,
      updatedAt: row ? storageToIso(row.draft_updated_at) : null,
      updatedBy: row?.draft_updated_by ?? null,
    });
  }

  /**
   * Publishes the draft as the next immutable version (checked again against the fields as they
   * are now). Publishing a draft equal to the published version changes nothing.
   */
  async publish(ctx: RequestContext, entityId: string): Promise<{ version: number; publishedAt: string; created: boolean }> {
    const c = await this.designerOrThrow(ctx, entityId);
    const ws = ctx.actor.workspaceId;
    const row = await this.repo.form(ws, entityId);
    // The draft's linkages were checked against whoever saved them: publishing keeps them.
    const draft = row ? (JSON.parse(row.draft) as { fields?: unknown }) : emptyForm();
    const definition = await this.normalizeOrThrow(ctx, c, draft, '/draft', draft.fields);
    const text = JSON.stringify(definition);
    const at = nowStorage();
    return this.repo.db.transaction(async (tx) => {
      let locked = await this.repo.lockForm(tx, ws, entityId);
      if (!locked) {
        await this.repo.saveDraft(tx, { workspaceId: ws, entityId, draft: text, at, by: ctx.actor.userId });
        locked = await this.repo.lockForm(tx, ws, entityId);
      }
      const latest = locked?.published_version ? Number(locked.published_version) : 0;
      if (latest) {
        const prev = await this.repo.versionIn(tx, entityId, latest);
        if (prev?.definition === text) return { version: latest, publishedAt: storageToIso(prev.published_at)!, created: false };
      }
      const version = latest + 1;
      await this.repo.insertVersion(tx, { workspaceId: ws, entityId, version, definition: text, entityVersion: c.meta.version, at, by: ctx.actor.userId });
      await this.audit.write(
        ctx,
        { action: 'form.publish', targetType: 'form', targetId: entityId, entityId, changes: { version: { from: latest || null, to: version } } },
        tx,
      );
      return { version, publishedAt: storageToIso(at)!, created: true };
    });
  }

  async version(ctx: RequestContext, entityId: string, raw: string) {
    const { acc, admin } = await this.entityOrThrow(ctx, entityId);
    if (!/^[1-9]\d{0,8}$/.test(raw)) throw notFound('FORM_VERSION_NOT_FOUND', `Form version ${raw.slice(0, 20)}`);
    const row = await this.repo.version(ctx.actor.workspaceId, entityId, Number(raw));
    if (!row) throw notFound('FORM_VERSION_NOT_FOUND', `Form version ${raw}`);
    const definition = JSON.parse(row.definition) as FormDefinition;
    return {
      version: Number(row.version),
      entityVersion: Number(row.entity_version),
      publishedAt: storageToIso(row.published_at),
      publishedBy: row.published_by,
      definition: admin ? definition : this.forMember(definition, acc),
    };
  }

  /**
   * JSON Schema + uiSchema of the published version in one language, with the form's rules for
   * evaluateFormRules in the browser. Members get the fields they may see; those they may not
   * fill in are read-only. Before a form is published: the default form (version 0, every field
   * in the entity's order, no rules).
   */
  async schema(ctx: RequestContext, entityId: string, rawLocale: unknown) {
    const locale: Locale = isLocale(rawLocale) ? rawLocale : rawLocale === undefined || rawLocale === '' ? (ctx.locale ?? 'en') : this.badLocale(rawLocale);
    const { c, acc, admin } = await this.entityOrThrow(ctx, entityId);
    const form = (await this.runtime.publishedOrNull(c)) ?? (await this.runtime.defaultForm(c));
    const { schema, uiSchema } = form.schemas[locale];
    if (admin) return { entityId, version: form.version, locale, schema, uiSchema, form: form.definition };
    return {
      entityId,
      version: form.version,
      locale,
      ...restrictSchemas({ schema, uiSchema, keys: acc.visibleFieldKeys(), writable: acc.access.writable('create') }),
      form: this.forMember(form.definition, acc),
    };
  }

  /**
   * The value of `field`'s data-linkage default for the form's current `values`, looked up as the
   * member (FormRuntime.lookup: their view scope on the source entity, null for what they may not
   * read): what a save would fill in, for the form to show as the member types.
   */
  async linkage(ctx: RequestContext, entityId: string, body: unknown): Promise<{ field: string; value: unknown }> {
    const { c, acc, admin } = await this.entityOrThrow(ctx, entityId);
    const b = (body ?? {}) as { field?: unknown; values?: unknown };
    const bad = (path: string, code: string, message: string): never => {
      throw new AppError('INVALID_REQUEST', message, { errors: [{ path, code, message }] });
    };
    if (typeof body !== 'object' || body === null || Array.isArray(body)) bad('', 'invalid_type', 'The body must be an object { field, values }');
    if (typeof b.field !== 'string' || !b.field) bad('/field', 'invalid_type', 'field must be the key of a form field');
    const values = b.values ?? {};
    if (typeof values !== 'object' || values === null || Array.isArray(values)) bad('/values', 'invalid_type', 'values must be an object of the form’s values');
    const field = b.field as string;
    const form = (await this.runtime.publishedOrNull(c)) ?? (await this.runtime.defaultForm(c));
    const keys = admin ? 'all' : acc.visibleFieldKeys();
    const visible = keys === 'all' ? c.byKey.has(field) : keys.has(field);
    if (!visible || form.definition.fields[field]?.default?.kind !== 'linkage')
      bad('/field', 'no_linkage', `${JSON.stringify(field.slice(0, 64))} is not a field of this form with a data-linkage default`);
    const req = linkageRequest({ form: form.definition, key: field, values: values as Record<string, unknown> });
    return { field, value: req ? await this.runtime.lookup(ctx, c, req, new Date()) : null };
  }

  private badLocale(raw: unknown): never {
    throw new AppError('INVALID_REQUEST', `locale must be zh-CN or en, not ${JSON.stringify(String(raw).slice(0, 20))}`, {
      errors: [{ path: '/locale', code: 'invalid_option', message: 'zh-CN or en' }],
    });
  }

  /** A definition without the settings of fields the member cannot see. */
  private forMember(def: FormDefinition, acc: EntityAccess): FormDefinition {
    const keys = acc.visibleFieldKeys();
    if (keys === 'all') return def;
    return { ...def, fields: Object.fromEntries(Object.entries(def.fields).filter(([k]) => keys.has(k))) };
  }

  /** Checked against the designer: a data linkage names only entities and fields they can read. */
  private async normalizeOrThrow(ctx: RequestContext, c: CompiledEntity, raw: unknown, prefix = '', kept?: unknown): Promise<FormDefinition> {
    try {
      return await this.runtime.normalizeOrThrow(c, raw, ctx, kept);
    } catch (err) {
      if (err instanceof FormsError) throw invalidForm(err, prefix);
      throw err;
    }
  }

  // ---- public links (admin side) ----
}

/** The schemas limited to the fields a member sees; fields they cannot fill in become read-only. */
export function restrictSchemas({
  schema,
  uiSchema,
  keys,
  writable,
}: {
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  keys: Set<string> | 'all';
  writable: Set<string> | ReadonlySet<string> | 'all';
}) {
  const props = schema.properties as Record<string, unknown>;
  const visible = Object.keys(props).filter((k) => keys === 'all' || keys.has(k));
  const s = {
    ...schema,
    properties: Object.fromEntries(visible.map((k) => [k, props[k]])),
    required: ((schema.required as string[]) ?? []).filter((k) => visible.includes(k) && (writable === 'all' || writable.has(k))),
  };
  if (!(s.required as string[]).length) delete (s as Record<string, unknown>).required;
  const ui: Record<string, unknown> = { ...uiSchema, 'ui:order': [...visible.filter((k) => (uiSchema['ui:order'] as string[]).includes(k)), '*'] };
  for (const k of Object.keys(props)) {
    if (!visible.includes(k)) delete ui[k];
    else if (writable !== 'all' && !writable.has(k)) ui[k] = { ...(ui[k] as object), 'ui:readonly': true };
  }
  return { schema: s, uiSchema: ui };
}
