import type { Action } from '@crm/access';
import { copyRecord, issuesFromAjvErrors, recordInput } from '@crm/schema';
import type { ValidateFunction } from 'ajv';
import { AppError } from '../../common/errors';
import type { RecordsQueryService } from './records-query.service';
import type { RecordsRepository } from './records.repository';
import { prefixed, type RecordWrite, type Values, validationError, type WriteBatch } from './write-batch';

/** At most this many records per bulk edit. */
export const BULK_LIMIT = 10_000;

const isObject = (v: unknown): v is Values => !!v && typeof v === 'object' && !Array.isArray(v);

/** The required keys of a compiled schema (the create schema's own list: one source of truth). */
const requiredOf = (validate: ValidateFunction): readonly string[] => (validate.schema as { required?: string[] }).required ?? [];

/**
 * An import's create whose values passed the same record schema's property checks already
 * (`WriteBatch.valuesChecked`): only the schema's required fields are looked at here (a miss or a
 * null answers false, and the full schema then runs and words the issue).
 */
function prechecked(w: WriteBatch, r: RecordWrite, validate: ValidateFunction): boolean {
  if (w.valuesChecked !== 'import-schema' || w.source !== 'import' || w.kind !== 'create') return false;
  for (const key of requiredOf(validate)) {
    const v = r.values[key];
    if (v === undefined || v === null) return false;
  }
  return true;
}

/**
 * The normalise stage of records: the mass-assignment guard, the owner, '' as null, and the
 * compiled ajv validator (types, options, ranges, formats; required fields too unless a later
 * stage checks them). Update loads the stored record and refuses a stale version; a bulk edit
 * loads the records its filter matches.
 */
export class WriteNormaliser {
  constructor(
    private readonly repo: RecordsRepository,
    private readonly reads: RecordsQueryService,
  ) {}

  async normalise(w: WriteBatch): Promise<void> {
    if (w.kind === 'create') await this.create(w);
    else if (w.kind === 'update' && w.filter === undefined) await this.update(w);
    else if (w.kind === 'update') await this.bulkUpdate(w);
  }

  private async create(w: WriteBatch): Promise<void> {
    const action: Action = w.source === 'bulk' || w.source === 'import' ? 'import' : 'create';
    w.acc.assertWritableOrThrow(
      action,
      w.records.flatMap((r) => (isObject(r.input) ? [{ body: r.input, prefix: r.prefix }] : [])),
      w.acc.isAdmin,
    );
    for (const r of w.records) {
      if (!isObject(r.input)) {
        w.issues.push({ path: r.prefix || '/', code: 'invalid_type', message: 'A record must be a JSON object' });
        continue;
      }
      if (!this.takeOwner(w, r, r.input)) continue;
      // An owned body becomes the values (blanks to null in place); otherwise they are a copy.
      r.values =
        w.owned && r.input.ownerId === undefined ? w.c.blanksToNull(r.input) : recordInput(r.input, { isField: (k) => w.c.byKey.has(k), omit: 'ownerId' });
      this.validate(w, r, w.requiredLater ? 'update' : 'create');
    }
    await this.checkOwners(w);
  }

  private async update(w: WriteBatch): Promise<void> {
    const r = w.records[0];
    const body = r.input as Values;
    const sent = recordInput(body, { isField: () => false, omit: 'version' });
    w.acc.assertWritableOrThrow('edit', sent, w.acc.isAdmin);
    const version = w.expectedVersion;
    if (!Number.isInteger(version) || (version as number) < 1) {
      throw validationError([
        { path: '/version', code: version === undefined ? 'required' : 'invalid_type', message: 'version (the version you read) is required for updates' },
      ]);
    }
    if (!this.takeOwner(w, r, sent)) return;
    // `sent` is this write's own copy: blanks to null in place unless ownerId must be left out.
    r.values = sent.ownerId === undefined ? w.c.blanksToNull(sent) : recordInput(sent, { isField: (k) => w.c.byKey.has(k), omit: 'ownerId' });
    this.validate(w, r, 'update');
    await this.checkOwners(w);
    if (w.issues.length) return;
    // The write starts from the record as stored (read here unless the caller just read it); persist re-checks the version under lock.
    r.current ??= await this.reads.readOrThrow(this.repo.db, w.c, r.id!);
    if (r.current.version !== version) {
      throw new AppError('VERSION_CONFLICT', `Record ${r.id} is at version ${r.current.version}, not ${version}: reload it and apply your change again`, {
        current: w.acc.project(r.current),
      });
    }
  }

  /** Bulk edit: the same plain values on every record the filter matches in the member's bulk-edit scope. */
  private async bulkUpdate(w: WriteBatch): Promise<void> {
    const raw = w.shared!;
    w.acc.assertWritableOrThrow('bulk_edit', raw, false);
    const notColumn = Object.keys(raw).filter((k) => w.c.byKey.has(k) && !w.c.byKey.get(k)!.physical.column);
    if (notColumn.length) throw new AppError('INVALID_REQUEST', `Bulk edit sets plain fields only; not ${notColumn.join(', ')}`, { fields: notColumn });
    const shared: RecordWrite = { prefix: '/values', values: recordInput(raw, { isField: (k) => w.c.byKey.has(k) }) };
    this.validate(w, shared, 'update', false);
    if (w.issues.length) return;
    w.shared = shared.values;
    const rows = await this.reads.matchingRows(this.repo.db, w.c, w.acc, 'bulk_edit', w.filter ?? null, BULK_LIMIT, false);
    for (const current of await this.reads.hydrate(w.c, rows, this.repo.db)) {
      w.records.push({ prefix: '/values', id: current.id, current, values: copyRecord(shared.values) });
    }
  }

  /** ownerId: a string naming a member (checked with the others in one query); false when the record is refused. */
  private takeOwner(w: WriteBatch, r: RecordWrite, body: Values): boolean {
    const ownerId = body.ownerId;
    if (ownerId === undefined) return true;
    if (typeof ownerId !== 'string') {
      w.issues.push({ path: `${r.prefix}/ownerId`, code: 'invalid_type', message: 'ownerId must be a member id' });
      return false;
    }
    r.ownerId = ownerId;
    return true;
  }

  private async checkOwners(w: WriteBatch): Promise<void> {
    const named = w.records.filter((r) => typeof r.ownerId === 'string');
    if (!named.length) return;
    const known = await this.repo.existingSystemIds(this.repo.db, 'users', w.ctx.actor.workspaceId, [...new Set(named.map((r) => r.ownerId as string))]);
    for (const r of named)
      if (!known.has(r.ownerId as string))
        w.issues.push({ path: `${r.prefix}/ownerId`, code: 'not_found', message: 'ownerId must be a member of this workspace' });
  }

  /** The compiled validator of this metadata version; relation id lists sorted (link tables keep no order, reads list ids ascending). */
  private validate(w: WriteBatch, r: RecordWrite, mode: 'create' | 'update', localized = true): void {
    const { c } = w;
    const validate = mode === 'create' ? c.validateCreate : c.validateUpdate;
    if (!(prechecked(w, r, validate) || validate(r.values))) {
      const labelOf = (path: string) => c.byKey.get(path.split('/')[1] ?? '')?.label;
      const locale = localized ? w.ctx.locale : 'en';
      w.issues.push(...prefixed(r.prefix, issuesFromAjvErrors(validate.errors, locale === 'zh-CN' ? { locale, labelOf } : {})));
      return;
    }
    for (const f of c.meta.fields) {
      if (f.type === 'relation' && Array.isArray(r.values[f.key])) r.values[f.key] = [...(r.values[f.key] as number[])].sort((a, b) => a - b);
    }
  }
}
