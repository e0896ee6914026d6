import { formatSerial, recordInput, type Issue, issuesFromAjvErrors, sameJson, serialPeriod } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { nowStorage } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import type { FieldMeta } from '../entities/entity-meta';
import { childColumns, type RecordDto, toDbValue } from './record-codec';
import { attachFileMetadata, checkReferences, fileIdsOf } from './references';
import { parseFilterOrThrow, RecordsQueryService } from './records-query.service';
import type { EntityAccess } from '../access/access.service';
import { RecordsRepository } from './records.repository';
import { type AuditEntry, BULK_CREATE, type IdRange } from '../audit/audit.repository';
import { childFields } from '../entities/field-planner';
import { AuditService } from '../audit/audit.service';
import { ComputedService } from '../computed/computed.service';
import { type ApplyFormInput, type CompiledForm, FormRuntime } from '../forms/form-runtime.service';

export const MAX_BULK = 5000;
export const BULK_LIMIT = 10_000;

type Values = Record<string, unknown>;
type Changes = Record<string, { from: unknown; to: unknown }>;

function validationError(issues: Issue[]): AppError {
  const shown = issues.slice(0, 200);
  return new AppError('VALIDATION_FAILED', `${issues.length} invalid value(s): ${[...new Set(shown.map((i) => i.path))].slice(0, 10).join(', ')}`, {
    errors: shown,
  });
}

/** Record writes: validate, check references, then one transaction with history. */
@Injectable()
export class RecordsService {
  constructor(
    private readonly repo: RecordsRepository,
    private readonly runtime: EntityRuntime,
    private readonly reads: RecordsQueryService,
    private readonly audit: AuditService,
    private readonly computed: ComputedService,
    private readonly forms: FormRuntime,
  ) {}

  /**
   * `opts` serves public fill-in links: the link's own access (create only, exposed fields) and
   * owner (null or a configured member) instead of a member's.
   */
  async create(ctx: RequestContext, entityId: string, body: unknown, opts: { access?: EntityAccess; ownerId?: string | null } = {}): Promise<RecordDto> {
    const { c, acc } = opts.access ? { c: opts.access.entity, acc: opts.access } : await this.reads.entityAccess(ctx, entityId);
    acc.requireOrThrow('create');
    const { ownerId, input } = await this.takeOwnerOrThrow(ctx, acc, 'create', body);
    // With a published form, required fields are checked after its defaults (applyFormOrThrow).
    const form = await this.forms.publishedOrNull(c);
    const values = this.validateOrThrow(c, input, form ? 'update' : 'create', '', ctx.locale, true); // the request's own body (or takeOwnerOrThrow's copy)
    const formVersion = await this.applyFormOrThrow({ ctx, c, acc, form, values, mode: 'create', prefix: '' });
    const { issues, files } = await checkReferences({
      exec: this.repo.db,
      repo: this.repo,
      runtime: this.runtime,
      workspaceId: ctx.actor.workspaceId,
      fields: c.meta.fields,
      targetScope: this.targetScope(ctx),
      inputs: [{ values, pathPrefix: '' }],
    });
    if (issues.length) throw validationError(issues);
    attachFileMetadata(c.meta.fields, values, files);
    // A published form computed them already, for its rules (unless a formula reads files).
    if (formVersion === null || (await this.computed.readsFiles(c))) await this.computed.fillOnCreate(c, [values]);
    return this.withUniqueErrors(c, () =>
      this.repo.transaction(async (tx) => {
        const [id] = await this.insertRecords(tx, ctx, c, [values], opts.ownerId !== undefined ? opts.ownerId : ownerId, formVersion);
        await this.computed.afterSourceWrite(tx, ctx, c, [{ before: null, after: values }]);
        const rec = await this.reads.readOrThrow(tx, c, id);
        await this.insertHistory(tx, [
          this.history(ctx, c, id, 'create', { ...diff(c, null, rec), ...(ownerId ? { ownerId: { from: null, to: ownerId } } : {}) }),
        ]);
        return acc.project(rec);
      }),
    );
  }

  /** All or nothing: every row is validated first; one transaction writes them all. */
  async bulkCreate(ctx: RequestContext, entityId: string, body: unknown): Promise<{ ids: number[] }> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    acc.requireOrThrow('import');
    const records = (body as { records?: unknown } | null)?.records;
    if (!body || typeof body !== 'object' || !Array.isArray(records)) throw new AppError('INVALID_REQUEST', 'Send { "records": [ ... ] }');
    if (records.length === 0) return { ids: [] };
    if (records.length > MAX_BULK) throw new AppError('INVALID_REQUEST', `At most ${MAX_BULK} records per bulk request, got ${records.length}`);
    // Mass-assignment guard over every row first: a key the member may not write is a 403 naming it (with each row's path), not a validation error.
    acc.assertWritableOrThrow(
      'import',
      records.flatMap((r, i) => (r && typeof r === 'object' && !Array.isArray(r) ? [{ body: r as Values, prefix: `/records/${i}` }] : [])),
      acc.isAdmin,
    );
    const form = await this.forms.publishedOrNull(c);
    const issues: Issue[] = [];
    const all: Values[] = [];
    const owners: (string | undefined)[] = [];
    records.forEach((r, i) => {
      try {
        let input = r;
        if (r && typeof r === 'object' && !Array.isArray(r)) {
          const { ownerId, ...rest } = r as Values;
          if (ownerId !== undefined && typeof ownerId !== 'string')
            throw validationError([{ path: `/records/${i}/ownerId`, code: 'invalid_type', message: 'ownerId must be a member id' }]);
          owners[i] = ownerId as string | undefined;
          input = rest;
        }
        all.push(this.validateOrThrow(c, input, form ? 'update' : 'create', `/records/${i}`, ctx.locale));
      } catch (err) {
        if (err instanceof AppError && err.extra.errors) issues.push(...err.extra.errors);
        else throw err;
      }
    });
    if (issues.length) throw validationError(issues);
    const memo = new Map<string, unknown>();
    // Without a published form the hook has nothing to do; skip 5 000 calls of it.
    if (form)
      for (const [i, values] of all.entries()) {
        try {
          await this.applyFormOrThrow({ ctx, c, acc, form, values, mode: 'create', prefix: `/records/${i}`, memo });
        } catch (err) {
          if (err instanceof AppError && err.extra.errors) issues.push(...err.extra.errors);
          else throw err;
        }
      }
    if (issues.length) throw validationError(issues);
    const ownerIds = [...new Set(owners.filter((o): o is string => !!o))];
    if (ownerIds.length) {
      const known = await this.repo.existingSystemIds(this.repo.db, 'users', ctx.actor.workspaceId, ownerIds);
      const bad = owners
        .map((o, i) =>
          o && !known.has(o) ? { path: `/records/${i}/ownerId`, code: 'not_found', message: 'ownerId must be a member of this workspace' } : null,
        )
        .filter(Boolean) as Issue[];
      if (bad.length) throw validationError(bad);
    }
    const refs = await checkReferences({
      exec: this.repo.db,
      repo: this.repo,
      runtime: this.runtime,
      workspaceId: ctx.actor.workspaceId,
      fields: c.meta.fields,
      targetScope: this.targetScope(ctx),
      inputs: all.map((values, i) => ({ values, pathPrefix: `/records/${i}` })),
    });
    if (refs.issues.length) throw validationError(refs.issues);
    for (const v of all) attachFileMetadata(c.meta.fields, v, refs.files);
    // A published form computed them already, record by record, for its rules (unless a formula reads files).
    if (!form || (await this.computed.readsFiles(c))) await this.computed.fillOnCreate(c, all);
    return this.withUniqueErrors(c, () =>
      this.repo.transaction(async (tx) => {
        const ids = await this.insertRecords(tx, ctx, c, all, owners, form?.version ?? null);
        await this.computed.afterSourceWrite(
          tx,
          ctx,
          c,
          all.map((after) => ({ before: null, after })),
        );
        // One audit entry for the import, not one per record: the values are in the rows, and
        // each record's history finds the entry through its id range (docs/architecture.md).
        const ranges = idRanges(ids);
        const entry = this.audit.entry(ctx, {
          action: BULK_CREATE,
          targetType: 'record',
          targetId: null,
          entityId: c.meta.id,
          changes: { count: ids.length, ids: ranges.map((r) => [r.first, r.last]) },
        });
        await this.audit.repo.insertForRanges(tx, entry, c.meta.id, ranges);
        return { ids };
      }),
    );
  }

  async update(ctx: RequestContext, entityId: string, id: number, body: unknown): Promise<RecordDto> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    await this.reads.assertInScopeOrThrow(this.repo.db, acc, 'edit', id);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('INVALID_REQUEST', 'The request body must be a JSON object');
    const version = (body as Values).version;
    const sent = recordInput(body as Values, { isField: () => false, omit: 'version' });
    const { ownerId, input: rest } = await this.takeOwnerOrThrow(ctx, acc, 'edit', sent);
    if (!Number.isInteger(version) || (version as number) < 1) {
      throw validationError([
        { path: '/version', code: version === undefined ? 'required' : 'invalid_type', message: 'version (the version you read) is required for updates' },
      ]);
    }
    const values = this.validateOrThrow(c, rest, 'update', '', ctx.locale, true); // a copy without `version`
    const { issues, files } = await checkReferences({
      exec: this.repo.db,
      repo: this.repo,
      runtime: this.runtime,
      workspaceId: ctx.actor.workspaceId,
      fields: c.meta.fields,
      targetScope: this.targetScope(ctx),
      inputs: [{ values, pathPrefix: '' }],
    });
    if (issues.length) throw validationError(issues);
    attachFileMetadata(c.meta.fields, values, files);
    const form = await this.forms.publishedOrNull(c);
    return this.withUniqueErrors(c, () =>
      this.repo.transaction(async (tx) => {
        const row = await this.repo.findById(tx, c.meta.table, 'r.id, r.version, r.deleted_at, r.owner_id', id, { forUpdate: true });
        if (!row || row.deleted_at) throw notFound('RECORD_NOT_FOUND', `Record ${id}`);
        await this.reads.assertInScopeOrThrow(tx, acc, 'edit', id);
        const current = await this.reads.readOrThrow(tx, c, id);
        if (Number(row.version) !== version) {
          throw new AppError('VERSION_CONFLICT', `Record ${id} is at version ${row.version}, not ${version}: reload it and apply your change again`, {
            current: acc.project(current),
          });
        }
        const formVersion = await this.applyFormOrThrow({ ctx, c, acc, form, values, mode: 'update', prefix: '', current, exec: tx });
        await this.computed.fillOnUpdate(c, current, values, tx);
        const changed: Values = {};
        for (const [k, v] of Object.entries(values)) if (!sameValue(c.byKey.get(k)!, current[k], v)) changed[k] = v;
        const ownerChanged = ownerId !== undefined && ownerId !== row.owner_id;
        if (!Object.keys(changed).length && !ownerChanged) return acc.project(current);
        const now = nowStorage();
        const sets: [string, unknown][] = [
          ['updated_at', now],
          ['updated_by', ctx.actor.userId],
          ...(ownerChanged ? ([['owner_id', ownerId]] as [string, unknown][]) : []),
          ...(form ? ([['form_version', formVersion]] as [string, unknown][]) : []),
        ];
        for (const f of c.meta.fields) if (f.key in changed && f.physical.column) sets.push([f.physical.column, toDbValue(f, changed[f.key])]);
        const affected = await this.repo.update(tx, c.meta.table, id, version as number, sets);
        if (affected !== 1)
          throw new AppError('VERSION_CONFLICT', `Record ${id} changed meanwhile: reload it`, {
            current: acc.project(await this.reads.readOrThrow(tx, c, id)),
          });
        for (const f of c.meta.fields) if (f.key in changed && f.physical.table) await this.replaceExtra(tx, f, id, changed[f.key], current[f.key]);
        await this.repo.linkFiles(
          tx,
          c.meta.id,
          fileIdsOf(c.meta.fields, changed).map((l) => ({ ...l, recordId: id })),
        );
        const updated = await this.reads.readOrThrow(tx, c, id);
        await this.computed.afterSourceWrite(tx, ctx, c, [{ before: current, after: updated }]);
        const changes = {
          ...diff(c, current, updated, Object.keys(changed)),
          ...(ownerChanged ? { ownerId: { from: row.owner_id ?? null, to: ownerId } } : {}),
        };
        await this.insertHistory(tx, [this.history(ctx, c, id, 'update', changes)]);
        return acc.project(updated);
      }),
    );
  }

  async remove(ctx: RequestContext, entityId: string, id: number): Promise<void> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    await this.repo.transaction(async (tx) => {
      await this.reads.assertInScopeOrThrow(tx, acc, 'delete', id);
      const n = await this.repo.run(
        tx,
        `UPDATE ${c.meta.table} SET deleted_at = ?, deleted_by = ?, version = version + 1 WHERE id = ? AND deleted_at IS NULL`,
        [nowStorage(), ctx.actor.userId, id],
      );
      if (n !== 1) throw notFound('RECORD_NOT_FOUND', `Record ${id}`);
      await this.computed.afterSourceStateChange(tx, ctx, c, [id]);
      await this.insertHistory(tx, [this.history(ctx, c, id, 'delete', {})]);
    });
  }

  async restore(ctx: RequestContext, entityId: string, id: number): Promise<RecordDto> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    return this.repo.transaction(async (tx) => {
      await this.reads.assertInScopeOrThrow(tx, acc, 'delete', id, true);
      const n = await this.repo.run(
        tx,
        `UPDATE ${c.meta.table} SET deleted_at = NULL, deleted_by = NULL, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND deleted_at IS NOT NULL`,
        [nowStorage(), ctx.actor.userId, id],
      );
      if (n !== 1) await this.notInBinOrThrow(tx, c, id);
      await this.computed.afterSourceStateChange(tx, ctx, c, [id]);
      await this.insertHistory(tx, [this.history(ctx, c, id, 'restore', {})]);
      return acc.project(await this.reads.readOrThrow(tx, c, id));
    });
  }

  /** Gone for good (only from the recycle bin); its history stays. */
  async purge(ctx: RequestContext, entityId: string, id: number): Promise<void> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    await this.repo.transaction(async (tx) => {
      await this.reads.assertInScopeOrThrow(tx, acc, 'delete', id, true);
      const n = await this.repo.run(tx, `DELETE FROM ${c.meta.table} WHERE id = ? AND deleted_at IS NOT NULL`, [id]);
      if (n !== 1) await this.notInBinOrThrow(tx, c, id);
      for (const f of c.meta.fields) {
        if (!f.physical.table) continue;
        await this.repo.run(tx, `DELETE FROM ${f.physical.table} WHERE ${f.type === 'subform' ? 'parent_id' : 'record_id'} = ?`, [id]);
      }
      await this.insertHistory(tx, [this.history(ctx, c, id, 'purge', {})]);
    });
  }

  /**
   * Forms hook (docs/forms.md): after ajv, the published form's defaults, read-only fields,
   * hidden-field policy, required-when rules and submit validations (FormRuntime.applyOrThrow)
   * change `values` in place or refuse them; rules see the computed fields as they will be.
   * Returns the form version the record is written with (null without a published form).
   */
  private applyFormOrThrow(
    args: Omit<ApplyFormInput, 'exec' | 'isAdmin' | 'form' | 'compute'> & { form: CompiledForm | null; acc: EntityAccess; exec?: Executor },
  ): Promise<number | null> {
    const { acc, exec, ...rest } = args;
    const compute = (v: Values) =>
      rest.mode === 'create' ? this.computed.fillOnCreate(rest.c, [v]) : this.computed.fillOnUpdate(rest.c, rest.current as RecordDto, v, exec);
    return this.forms.applyOrThrow({ ...rest, exec: exec ?? this.repo.db, isAdmin: acc.isAdmin, compute });
  }

  /** Relations may only point at records the member can view (admins: any). */
  private targetScope(ctx: RequestContext) {
    return async (target: CompiledEntity) => (await this.reads.entityAccessOf(ctx, target)).scopeSqlOrThrow('view');
  }

  /**
   * Mass-assignment guard, then the owner: only admins (of the workspace or the app) may set
   * `ownerId`, and it must name a member of this workspace.
   */
  private async takeOwnerOrThrow(
    ctx: RequestContext,
    acc: EntityAccess,
    action: 'create' | 'edit',
    body: unknown,
  ): Promise<{ ownerId: string | undefined; input: unknown }> {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return { ownerId: undefined, input: body };
    acc.assertWritableOrThrow(action, body as Values, acc.isAdmin);
    const ownerId = (body as Values).ownerId;
    if (ownerId === undefined) return { ownerId: undefined, input: body }; // validateOrThrow copies it
    const input = recordInput(body as Values, { isField: () => false, omit: 'ownerId' });
    if (typeof ownerId !== 'string' || !(await this.repo.existingSystemIds(this.repo.db, 'users', ctx.actor.workspaceId, [ownerId])).has(ownerId)) {
      throw validationError([{ path: '/ownerId', code: 'not_found', message: 'ownerId must be a member of this workspace' }]);
    }
    return { ownerId, input };
  }

  /**
   * Bulk edit: the same values on every record the filter matches within the member's
   * bulk-edit scope (at most 10 000; a match-all filter reaches only what the scope allows).
   */
  async bulkUpdate(ctx: RequestContext, entityId: string, body: unknown): Promise<{ updated: number; ids: number[] }> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    // No bulk-edit action at all: say so (403 FORBIDDEN), rather than naming every value as not writable.
    acc.requireOrThrow('bulk_edit');
    const { filter, values: raw } = this.bulkBodyOrThrow(body, true);
    acc.assertWritableOrThrow('bulk_edit', raw!, false);
    const notColumn = Object.keys(raw!).filter((k) => c.byKey.has(k) && !c.byKey.get(k)!.physical.column);
    if (notColumn.length) throw new AppError('INVALID_REQUEST', `Bulk edit sets plain fields only; not ${notColumn.join(', ')}`, { fields: notColumn });
    const values = this.validateOrThrow(c, raw, 'update', '/values');
    const { issues, files } = await checkReferences({
      exec: this.repo.db,
      repo: this.repo,
      runtime: this.runtime,
      workspaceId: ctx.actor.workspaceId,
      fields: c.meta.fields,
      targetScope: this.targetScope(ctx),
      inputs: [{ values, pathPrefix: '/values' }],
    });
    if (issues.length) throw validationError(issues);
    attachFileMetadata(c.meta.fields, values, files);
    return this.withUniqueErrors(c, () =>
      this.repo.transaction(async (tx) => {
        const rows = await this.reads.matchingRows(tx, c, acc, 'bulk_edit', filter, BULK_LIMIT);
        if (!rows.length) return { updated: 0, ids: [] };
        const ids = rows.map((r) => Number(r.id));
        const now = nowStorage();
        const fields = c.meta.fields.filter((f) => f.key in values);
        const sets: [string, unknown][] = [
          ['updated_at', now],
          ['updated_by', ctx.actor.userId],
          ...fields.map((f) => [f.physical.column!, toDbValue(f, values[f.key])] as [string, unknown]),
        ];
        await this.repo.run(
          tx,
          `UPDATE ${c.meta.table} SET ${sets.map(([col]) => `${col} = ?`).join(', ')}, version = version + 1 WHERE id IN (${ids.map(() => '?').join(', ')})`,
          [...sets.map(([, v]) => v), ...ids],
        );
        await this.computed.recomputeOwn(tx, c, ids);
        const after = new Map((await this.reads.rowsByIds(tx, c, ids)).map((r) => [r.id, r]));
        const before = await this.reads.hydrate(c, rows, tx);
        const changedKeys = [...fields.map((f) => f.key), ...(await this.computed.computedKeys(c, tx))];
        await this.insertHistory(
          tx,
          before.map((b) => this.history(ctx, c, b.id, 'update', diff(c, b, after.get(b.id)!, changedKeys))),
        );
        await this.computed.afterSourceWrite(
          tx,
          ctx,
          c,
          before.map((b) => ({ before: b, after: after.get(b.id)! })),
        );
        return { updated: ids.length, ids };
      }),
    );
  }

  /** Bulk delete to the recycle bin, within the member's delete scope. */
  async bulkDelete(ctx: RequestContext, entityId: string, body: unknown): Promise<{ deleted: number; ids: number[] }> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    const { filter } = this.bulkBodyOrThrow(body, false);
    return this.repo.transaction(async (tx) => {
      const rows = await this.reads.matchingRows(tx, c, acc, 'delete', filter, BULK_LIMIT);
      if (!rows.length) return { deleted: 0, ids: [] };
      const ids = rows.map((r) => Number(r.id));
      await this.repo.run(
        tx,
        `UPDATE ${c.meta.table} SET deleted_at = ?, deleted_by = ?, version = version + 1 WHERE deleted_at IS NULL AND id IN (${ids.map(() => '?').join(', ')})`,
        [nowStorage(), ctx.actor.userId, ...ids],
      );
      await this.computed.afterSourceStateChange(tx, ctx, c, ids);
      await this.insertHistory(
        tx,
        ids.map((id) => this.history(ctx, c, id, 'delete', {})),
      );
      return { deleted: ids.length, ids };
    });
  }

  /** `{ filter, values? }` where filter is a json-logic condition, or `{ all: true }` to mean every record in scope. */
  private bulkBodyOrThrow(body: unknown, withValues: boolean): { filter: unknown; values?: Values } {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new AppError('INVALID_REQUEST', 'Send { "filter": {...}' + (withValues ? ', "values": {...} }' : ' }'));
    const b = body as { filter?: unknown; all?: unknown; values?: unknown };
    const filter = parseFilterOrThrow(b.filter);
    if (filter === null && b.all !== true)
      throw new AppError('INVALID_REQUEST', 'A bulk change needs a filter, or "all": true to mean every record you may change');
    if (filter !== null && b.all === true) throw new AppError('INVALID_REQUEST', 'Send either a filter or "all": true, not both');
    if (withValues && (!b.values || typeof b.values !== 'object' || Array.isArray(b.values) || !Object.keys(b.values).length)) {
      throw new AppError('INVALID_REQUEST', 'values must be an object with at least one field');
    }
    return { filter, values: withValues ? (b.values as Values) : undefined };
  }

  private async notInBinOrThrow(tx: Executor, c: CompiledEntity, id: number): Promise<never> {
    const row = await this.repo.findById(tx, c.meta.table, 'r.id', id);
    if (row) throw new AppError('NOT_IN_RECYCLE_BIN', `Record ${id} is not in the recycle bin`);
    throw notFound('RECORD_NOT_FOUND', `Record ${id}`);
  }

  /**
   * Shape and value checks with the compiled ajv validator of this metadata version. `owned`:
   * the body was parsed for this write and nothing else reads it, so it becomes the values
   * (no copy of a wide record); otherwise they are a copy.
   */
  private validateOrThrow(c: CompiledEntity, body: unknown, mode: 'create' | 'update', prefix: string, locale: 'en' | 'zh-CN' = 'en', owned = false): Values {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw validationError([{ path: prefix || '/', code: 'invalid_type', message: 'A record must be a JSON object' }]);
    }
    const values = owned ? c.blanksToNull(body as Values) : recordInput(body as Values, { isField: (k) => c.byKey.has(k) });
    const validate = mode === 'create' ? c.validateCreate : c.validateUpdate;
    if (!validate(values)) {
      const labelOf = (path: string) => c.byKey.get(path.split('/')[1] ?? '')?.label;
      const issues = issuesFromAjvErrors(validate.errors, locale === 'zh-CN' ? { locale, labelOf } : {});
      throw validationError(prefix ? issues.map((i) => ({ ...i, path: `${prefix}${i.path}` })) : issues);
    }
    for (const f of c.meta.fields) {
      // Link tables keep no order and reads list target ids ascending: compare and log them so.
      if (f.type === 'relation' && Array.isArray(values[f.key])) values[f.key] = [...(values[f.key] as number[])].sort((a, b) => a - b);
    }
    return values;
  }

  /** `owner`: one owner for all, or one per record (bulk import by an admin); the creator by default. */
  private async insertRecords(
    tx: Executor,
    ctx: RequestContext,
    c: CompiledEntity,
    all: Values[],
    owner?: string | null | (string | undefined)[],
    formVersion: number | null = null,
  ): Promise<number[]> {
    const now = nowStorage();
    const serials = c.meta.fields.filter((f) => f.type === 'serial');
    for (const f of serials) {
      const date = new Date();
      const first = await this.repo.nextSerial(tx, f.id, serialPeriod({ settings: f.settings as never, date }), all.length);
      all.forEach((v, i) => (v[f.key] = formatSerial({ settings: f.settings as never, counter: first + i, date })));
    }
    const colFields = c.meta.fields.filter((f) => f.physical.column);
    // A public-link submission acts as nobody: no creator, and the link's owner (or none).
    const actorId = ctx.actor.kind === 'anonymous' ? null : ctx.actor.userId;
    const ownerOf = (i: number) => (Array.isArray(owner) ? owner[i] : owner) ?? actorId;
    const shared: [string, unknown][] = [
      ['version', 1],
      ['created_at', now],
      ['created_by', actorId],
      ['updated_at', now],
      ['updated_by', actorId],
    ];
    const columns = ['owner_id', 'form_version', ...colFields.map((f) => f.physical.column!)];
    const rowOf = (i: number) => {
      const v = all[i];
      const row: unknown[] = [ownerOf(i), formVersion];
      for (const f of colFields) row.push(toDbValue(f, v[f.key]));
      return row;
    };
    const ids =
      all.length === 1
        ? [await this.repo.insert(tx, c.meta.table, [...shared.map(([col]) => col), ...columns], [...shared.map(([, v]) => v), ...rowOf(0)])]
        : await this.repo.insertMany(tx, c.meta.table, { shared, columns, count: all.length, rowOf });
    for (const f of c.meta.fields) {
      if (!f.physical.table) continue;
      if (f.type === 'subform') {
        const cols = childColumns(f);
        const childRows: unknown[][] = [];
        all.forEach((v, i) =>
          ((v[f.key] as Values[] | null) ?? []).forEach((row, order) => childRows.push([ids[i], order, ...cols.map((cc) => toDbValue(cc.def, row[cc.key]))])),
        );
        await this.repo.bulkInsertRows(tx, f.physical.table, ['parent_id', 'row_order', ...cols.map((cc) => cc.column)], childRows);
      } else {
        const links: unknown[][] = [];
        all.forEach((v, i) => [...new Set((v[f.key] as number[] | null) ?? [])].forEach((t) => links.push([ids[i], t])));
        await this.repo.bulkInsertRows(tx, f.physical.table, ['record_id', 'target_id'], links);
      }
    }
    if (c.meta.fields.some(holdsFiles))
      await this.repo.linkFiles(
        tx,
        c.meta.id,
        all.flatMap((v, i) => fileIdsOf(c.meta.fields, v).map((l) => ({ ...l, recordId: ids[i] }))),
      );
    return ids;
  }

  /** Replaces link targets, or child rows keeping the ids of rows sent back with their id. */
  private async replaceExtra(tx: Executor, f: FieldMeta, id: number, next: unknown, current: unknown): Promise<void> {
    const table = f.physical.table!;
    if (f.type !== 'subform') {
      await this.repo.run(tx, `DELETE FROM ${table} WHERE record_id = ?`, [id]);
      await this.repo.bulkInsertRows(
        tx,
        table,
        ['record_id', 'target_id'],
        [...new Set((next as number[] | null) ?? [])].map((t) => [id, t]),
      );
      return;
    }
    const cols = childColumns(f);
    const rows = (next as Values[] | null) ?? [];
    const existing = new Set(((current as Values[] | null) ?? []).map((r) => Number(r.id)));
    const issues: Issue[] = [];
    const seen = new Set<number>();
    rows.forEach((r, i) => {
      if (r.id === undefined) return;
      const path = `/${f.key}/${i}/id`;
      if (!existing.has(Number(r.id))) issues.push({ path, code: 'not_found', message: `Row ${r.id} is not a row of this record` });
      // Two rows with one id would collapse into one: refuse rather than drop a row.
      else if (seen.has(Number(r.id))) issues.push({ path, code: 'duplicate', message: `Row ${r.id} is sent twice` });
      seen.add(Number(r.id));
    });
    if (issues.length) throw validationError(issues);
    const kept = new Set(rows.filter((r) => r.id !== undefined).map((r) => Number(r.id)));
    const gone = [...existing].filter((x) => !kept.has(x));
    if (gone.length) await this.repo.run(tx, `DELETE FROM ${table} WHERE parent_id = ? AND id IN (${gone.map(() => '?').join(', ')})`, [id, ...gone]);
    for (const [order, r] of rows.entries()) {
      const vals = cols.map((cc) => toDbValue(cc.def, r[cc.key]));
      if (r.id !== undefined) {
        await this.repo.run(tx, `UPDATE ${table} SET row_order = ?${cols.map((cc) => `, ${cc.column} = ?`).join('')} WHERE id = ? AND parent_id = ?`, [
          order,
          ...vals,
          Number(r.id),
          id,
        ]);
      } else {
        await this.repo.bulkInsertRows(tx, table, ['parent_id', 'row_order', ...cols.map((cc) => cc.column)], [[id, order, ...vals]]);
      }
    }
  }

  /** Record history is the audit log's record entries: one table, append-only, kept after purge. */
  private history(
    ctx: RequestContext,
    c: CompiledEntity,
    recordId: number,
    action: 'create' | 'update' | 'delete' | 'restore' | 'purge',
    changes: Changes,
  ): AuditEntry {
    return this.audit.entry(ctx, { action: `record.${action}`, targetType: 'record', targetId: String(recordId), entityId: c.meta.id, recordId, changes });
  }

  private insertHistory(tx: Executor, entries: AuditEntry[]): Promise<void> {
    return this.audit.repo.insert(tx, entries);
  }

  /** Maps a unique-index violation to the field it guards. */
  private async withUniqueErrors<T>(c: CompiledEntity, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const msg = String((err as { message?: string }).message ?? '');
      if (/Duplicate entry|UNIQUE constraint failed/i.test(msg)) {
        const f = c.meta.fields.find(
          (x) => (x.physical.uniqueIndex && msg.includes(x.physical.uniqueIndex)) || (x.physical.column && msg.includes(`.${x.physical.column}`)),
        );
        if (f)
          throw new AppError('UNIQUE_VIOLATION', `Another record already has this ${f.label} (${f.key})`, {
            field: f.key,
            errors: [{ path: `/${f.key}`, code: 'duplicate', message: `${f.label} must be unique` }],
          });
      }
      throw err;
    }
  }
}

/** Instants compare in storage form, so '…T10:00:00+02:00' equals the '…T08:00:00.000Z' read back. */
function sameValue(f: FieldMeta, a: unknown, b: unknown): boolean {
  return f.type === 'datetime' ? sameJson(toDbValue(f, a), toDbValue(f, b)) : sameJson(a, b);
}

/** Attachment fields, directly or in a subform's rows. */
const holdsFiles = (f: FieldMeta) => f.type === 'attachment' || (f.type === 'subform' && childFields(f).some((ch) => ch.type === 'attachment'));

/** Ascending ids as runs of consecutive ids. */
function idRanges(ids: number[]): IdRange[] {
  const out: IdRange[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && id === last.last + 1) last.last = id;
    else out.push({ first: id, last: id });
  }
  return out;
}

function diff(c: CompiledEntity, before: RecordDto | null, after: RecordDto, keys?: string[]): Changes {
  const out: Changes = {};
  for (const f of c.meta.fields) {
    if (keys && !keys.includes(f.key)) continue;
    const from = before ? before[f.key] : null;
    const to = after[f.key];
    if (!sameJson(from, to) && !(before === null && (to === null || (Array.isArray(to) && !to.length)))) out[f.key] = { from: from ?? null, to: to ?? null };
  }
  return out;
}
