import { emptyForm, FormsError } from '@crm/forms';
import { type FieldDefinition, sameJson } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { nowStorage, storageToIso } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import { AuditService } from '../audit/audit.service';
import type { EntityMeta } from '../entities/entity-meta';
import { EntitiesService } from '../entities/entities.service';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { normalizeFieldInputOrThrow } from '../entities/field-input';
import { FieldsService } from '../entities/fields.service';
import { FormRuntime } from './form-runtime.service';
import { type FormRow, FormsRepository } from './forms.repository';
import { type DesignDocument, type DesignField, type DesignPreview, fieldInputOf, parseRevisionOrThrow, problemOf, readDesignOrThrow } from './form-design';
import { FormsService } from './forms.service';

/**
 * The form designer's draft (docs/forms.md, "Designer drafts"): one document of fields (new
 * ones included) and the form, saved on the server under the form's revision, previewed
 * against the stored data, and published through the field service (each field change its own
 * checked schema change) and the form publish.
 */
@Injectable()
export class FormDesignService {
  constructor(
    private readonly repo: FormsRepository,
    private readonly forms: FormsService,
    private readonly runtime: FormRuntime,
    private readonly entities: EntitiesService,
    private readonly compiled: EntityRuntime,
    private readonly fields: FieldsService,
    private readonly audit: AuditService,
  ) {}

  /** The saved designer document, or one made from the entity's fields and the form draft. */
  async get(ctx: RequestContext, entityId: string) {
    const c = await this.forms.designerOrThrow(ctx, entityId);
    const row = await this.repo.form(ctx.actor.workspaceId, entityId);
    return this.answer(c.meta, row);
  }

  private answer(meta: EntityMeta, row: FormRow | null) {
    const document: DesignDocument = row?.design
      ? (JSON.parse(row.design) as DesignDocument)
      : { fields: meta.fields.map(fieldInputOf), form: row ? JSON.parse(row.draft) : emptyForm() };
    return {
      entityId: meta.id,
      entityVersion: meta.version,
      revision: row ? Number(row.revision) : 0,
      saved: !!row?.design,
      updatedAt: row ? storageToIso(row.draft_updated_at) : null,
      updatedBy: row?.draft_updated_by ?? null,
      /** Keys of the fields the entity has (their keys can no longer change). */
      publishedKeys: meta.fields.map((f) => f.key),
      document,
    };
  }

  /** Saves the document when `revision` is still the stored one; 409 DRAFT_CONFLICT otherwise. */
  async save(ctx: RequestContext, entityId: string, body: unknown) {
    const c = await this.forms.designerOrThrow(ctx, entityId);
    const { revision, document } = readDesignOrThrow(body);
    const ws = ctx.actor.workspaceId;
    const row = await this.repo.form(ws, entityId);
    await this.forms.assertRevisionOrThrow(ctx, entityId, revision, row);
    const at = nowStorage();
    await this.repo.db.transaction(async (tx) => {
      const draft = row?.draft ?? JSON.stringify(emptyForm());
      const saved = await this.repo.saveDraft(tx, {
        workspaceId: ws,
        entityId,
        draft,
        at,
        by: ctx.actor.userId,
        expected: revision,
        design: JSON.stringify(document),
      });
      if (saved === null) await this.forms.assertRevisionOrThrow(ctx, entityId, revision, await this.repo.form(ws, entityId, tx));
    });
    return this.answer(c.meta, await this.repo.form(ws, entityId));
  }

  /** What publishing the saved document would change, with the server's data check for each field change. */
  async preview(ctx: RequestContext, entityId: string): Promise<DesignPreview> {
    const c = await this.forms.designerOrThrow(ctx, entityId);
    const row = await this.repo.form(ctx.actor.workspaceId, entityId);
    const { document } = this.answer(c.meta, row);
    return this.diff(ctx, c, document, row ? Number(row.revision) : 0);
  }

  private async diff(ctx: RequestContext, c: CompiledEntity, doc: DesignDocument, revision: number): Promise<DesignPreview> {
    const meta = await this.entities.loadForDesignOrThrow(ctx, c.meta.id);
    const out: DesignPreview = { revision, added: [], removed: [], renamed: [], typeChanged: [], changed: [], problems: [], publishable: true };
    const seen = new Set<string>();
    const normalized: FieldDefinition[] = [];
    for (const [i, f] of doc.fields.entries()) {
      const path = `/fields/${i}`;
      if (seen.has(f.key)) out.problems.push({ path: `${path}/key`, code: 'DUPLICATE_KEY', message: `Two fields have the key "${f.key}"`, field: f.key });
      seen.add(f.key);
      let next: FieldDefinition;
      try {
        next = normalizeFieldInputOrThrow(fieldInputOf(f), path);
      } catch (err) {
        out.problems.push(...problemOf(err, path, f.key));
        continue;
      }
      normalized.push(next);
      const old = meta.fields.find((x) => x.key === f.key);
      if (!old) {
        if (meta.removedFields.some((x) => x.key === f.key))
          out.problems.push({ path: `${path}/key`, code: 'DUPLICATE_KEY', message: `A removed field still holds the key "${f.key}"`, field: f.key });
        out.added.push({ key: f.key, label: f.label, type: f.type });
        continue;
      }
      if (old.label !== next.label) out.renamed.push({ key: f.key, from: old.label, to: next.label });
      const patch = changePatch(old, next);
      if (!patch) continue;
      const refusal = await this.fields.checkFieldChange(ctx, meta.id, f.key, patch);
      const check = refusal ? problemOf(refusal, path, f.key)[0] : null;
      if (check) out.problems.push(check);
      const entry = { key: f.key, label: next.label, check };
      if (old.type !== next.type) out.typeChanged.push({ ...entry, from: old.type, to: next.type });
      else out.changed.push({ ...entry, what: Object.keys(patch).filter((k) => k !== 'label') });
    }
    for (const f of meta.fields) if (!seen.has(f.key)) out.removed.push({ key: f.key, label: f.label, type: f.type });
    try {
      const future = { ...c, meta: { ...c.meta, fields: normalized as EntityMeta['fields'] } };
      await this.runtime.normalizeOrThrow(future, doc.form, ctx);
    } catch (err) {
      if (!(err instanceof FormsError)) throw err;
      out.problems.push(...err.issues.map((i) => ({ ...i, path: `/form${i.path}` })));
    }
    out.publishable = out.problems.length === 0;
    return out;
  }

  /**
   * Applies the saved document: removals, changes, additions (each through the field service,
   * which checks the data again and refuses what does not fit), then saves and publishes the
   * form. Only for the revision the admin previewed; refused as a whole when the preview finds
   * a problem. A field change that fails midway (data changed since the preview) leaves the
   * changes already applied and the document in place: preview again and publish the rest.
   */
  async publish(ctx: RequestContext, entityId: string, body: unknown) {
    const revision = parseRevisionOrThrow((body as { revision?: unknown } | null)?.revision, 'revision');
    const c = await this.forms.designerOrThrow(ctx, entityId);
    const ws = ctx.actor.workspaceId;
    const row = await this.repo.form(ws, entityId);
    await this.forms.assertRevisionOrThrow(ctx, entityId, revision, row);
    const doc = this.answer(c.meta, row).document;
    const preview = await this.diff(ctx, c, doc, revision);
    if (!preview.publishable) throw new AppError('DESIGN_REFUSED', `${preview.problems.length} problem(s) stop this publish; nothing was changed`, { preview });
    const byKey = new Map(doc.fields.map((f) => [f.key, f]));
    for (const f of preview.removed) await this.fields.removeField(ctx, entityId, f.key);
    for (const f of [...preview.typeChanged, ...preview.changed]) {
      const old = c.meta.fields.find((x) => x.key === f.key)!;
      await this.fields.updateField(ctx, entityId, f.key, changePatch(old, normalizeFieldInputOrThrow(fieldInputOf(byKey.get(f.key)!)))!);
    }
    for (const f of preview.renamed) {
      if (!preview.changed.some((x) => x.key === f.key) && !preview.typeChanged.some((x) => x.key === f.key))
        await this.fields.updateField(ctx, entityId, f.key, { label: f.to });
    }
    for (const f of preview.added) await this.fields.addField(ctx, entityId, fieldInputOf(byKey.get(f.key)!));
    const now = await this.repo.form(ws, entityId);
    await this.forms.saveDraft(ctx, entityId, doc.form, String(now ? Number(now.revision) : 0));
    const published = await this.forms.publish(ctx, entityId);
    const after = await this.repo.form(ws, entityId);
    await this.repo.db.transaction(async (tx) => {
      await this.repo.saveDraft(tx, { workspaceId: ws, entityId, draft: after!.draft, at: nowStorage(), by: ctx.actor.userId, design: null });
      await this.audit.write(
        ctx,
        {
          action: 'form.design_publish',
          targetType: 'form',
          targetId: entityId,
          entityId,
          changes: { added: { from: null, to: preview.added.map((f) => f.key) }, removed: { from: preview.removed.map((f) => f.key), to: null } },
        },
        tx,
      );
    });
    const done = await this.repo.form(ws, entityId);
    const fresh = await this.compiled.getOrThrow(ws, entityId);
    return { ...published, revision: Number(done!.revision), entityVersion: fresh.meta.version, applied: preview };
  }
}

/** The field-service patch turning `old` into `next` (null: nothing but maybe the label changes). */
function changePatch(old: DesignField & { settings: object }, next: FieldDefinition): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  if (old.type !== next.type) patch.type = next.type;
  if (!sameJson(old.settings, next.settings)) patch.settings = next.settings;
  for (const k of ['required', 'unique', 'indexed'] as const) if (!!old[k] !== !!next[k]) patch[k] = !!next[k];
  if (!Object.keys(patch).length) return null;
  if (old.label !== next.label) patch.label = next.label;
  return patch;
}
