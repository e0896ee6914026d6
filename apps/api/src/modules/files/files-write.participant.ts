import { childFieldsOf, type FieldDefinition, holdsFiles, mimeMatches, referenceOf } from '@crm/schema';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { FieldMeta } from '../entities/entity-meta';
import { collectRefs, kindLabel } from '../records/references';
import type { RecordWrite, TxBatch, Values, WriteBatch, WriteParticipant } from '../records/write-batch';
import { RecordWritePipeline } from '../records/write-pipeline';
import { AuditService } from '../audit/audit.service';
import { type FileMeta, FilesRepository } from './files.repository';
import { FilesService } from './files.service';

const KEY = Symbol('files');
type Values_ = Values;

/** Attachment values in the form reads return ({ id, name, size, mime }), so an unchanged list compares equal on update. */
export function attachFileMetadata(fields: readonly FieldMeta[], values: Values_, files: Map<string, FileMeta>): void {
  const fix = (v: unknown): unknown =>
    Array.isArray(v) ? v.map((item) => files.get(typeof item === 'string' ? item : (item as { id: string }).id) ?? item) : v;
  for (const f of fields) {
    if (!(f.key in values)) continue;
    if (referenceOf(f) === 'file') values[f.key] = fix(values[f.key]);
    const children = childFieldsOf<FieldDefinition>(f).filter((c) => referenceOf(c) === 'file');
    if (children.length && Array.isArray(values[f.key]))
      for (const row of values[f.key] as Values_[]) for (const c of children) if (row && c.key in row) row[c.key] = fix(row[c.key]);
  }
}

/** Files held by attachment fields (subform rows included) of one record's values, with the top-level field holding them. */
export function fileIdsOf(fields: readonly FieldMeta[], values: Values_): { fileId: string; fieldKey: string }[] {
  const out = new Map<string, { fileId: string; fieldKey: string }>();
  const take = (v: unknown, fieldKey: string) => {
    if (!Array.isArray(v)) return;
    for (const item of v) {
      const fileId = typeof item === 'string' ? item : String((item as { id?: unknown })?.id ?? '');
      if (fileId) out.set(`${fileId}:${fieldKey}`, { fileId, fieldKey });
    }
  };
  for (const f of fields) {
    if (!(f.key in values)) continue;
    if (referenceOf(f) === 'file') take(values[f.key], f.key);
    const children = childFieldsOf<FieldDefinition>(f).filter((c) => referenceOf(c) === 'file');
    if (children.length && Array.isArray(values[f.key]))
      for (const row of values[f.key] as Values_[]) for (const c of children) if (row && c.key in row) take(row[c.key], f.key);
  }
  return [...out.values()];
}

/**
 * Attachments' part in record writes. In `normalise` the uploaded files the values name are
 * looked up (one query) and their metadata put into the values, so formulas and rules read
 * what is stored; `references` refuses ids that are no file of this workspace, or a file the
 * member may not attach (someone else's, or attached elsewhere and unreadable to them), alike,
 * as if they did not exist; `persist` remembers which record holds which file (downloads are
 * checked against it), forgets detached ones, and audits each attach and detach.
 */
@Injectable()
export class FilesWriteParticipant implements WriteParticipant, OnModuleInit {
  readonly name = 'files';

  constructor(
    private readonly repo: FilesRepository,
    private readonly files: FilesService,
    private readonly audit: AuditService,
    private readonly pipeline: RecordWritePipeline,
  ) {}

  onModuleInit(): void {
    this.pipeline.register(this);
  }

  private inputs(w: WriteBatch) {
    if (w.kind !== 'create' && w.kind !== 'update') return [];
    if (!w.c.meta.fields.some(holdsFiles)) return [];
    return w.shared ? [{ values: w.shared, pathPrefix: '/values' }] : w.records.map((r) => ({ values: r.values, pathPrefix: r.prefix }));
  }

  async normalise(w: WriteBatch): Promise<void> {
    if (w.issues.length) return;
    const inputs = this.inputs(w);
    const ids = [...new Set(collectRefs(w.c.meta.fields, inputs, 'file').map((r) => String(r.id)))];
    if (!ids.length) return;
    const found = await this.repo.metadata(w.ctx.actor.workspaceId, ids);
    w.scratch.set(KEY, found);
    for (const input of inputs) attachFileMetadata(w.c.meta.fields, input.values, found);
    // A bulk edit's records each carry a copy of the shared values.
    if (w.shared) for (const r of w.records) attachFileMetadata(w.c.meta.fields, r.values, found);
  }

  async references(w: WriteBatch): Promise<void> {
    const refs = collectRefs(w.c.meta.fields, this.inputs(w), 'file');
    if (!refs.length) return;
    let found = (w.scratch.get(KEY) as Map<string, FileMeta> | undefined) ?? new Map<string, FileMeta>();
    const unseen = [...new Set(refs.map((r) => String(r.id)))].filter((id) => !found.has(id));
    if (unseen.length) found = new Map([...found, ...(await this.repo.metadata(w.ctx.actor.workspaceId, unseen))]);
    const single = w.kind === 'update' && w.filter === undefined && w.records[0]?.id !== undefined;
    const record = single ? { entityId: w.c.meta.id, recordId: w.records[0].id! } : null;
    const allowed = await this.files.attachable(w.ctx, [...found.keys()], record);
    for (const r of refs) {
      const file = found.get(String(r.id));
      if (!allowed.has(String(r.id)) || !file) w.issues.push({ path: r.path, code: 'not_found', message: `${kindLabel('file')} ${r.id} does not exist` });
      // Image and signature fields (and attachments with `accept`) hold only files of their kinds.
      else if (!mimeMatches(file.mime, r.fileTypes))
        w.issues.push({ path: r.path, code: 'invalid_file_type', message: `${file.name} is ${file.mime}; this field takes ${r.fileTypes!.join(', ')}` });
    }
  }

  async persist(w: TxBatch): Promise<void> {
    const { c } = w;
    if (!c.meta.fields.some(holdsFiles)) return;
    const entries: { action: string; fileId: string; recordId: number; fieldKey: string }[] = [];
    if (w.kind === 'create') {
      const links = w.records.flatMap((r) => fileIdsOf(c.meta.fields, r.values).map((l) => ({ ...l, recordId: r.id! })));
      await this.repo.link(w.tx, c.meta.id, links);
      for (const l of links) entries.push({ action: 'file.attach', ...l });
    } else if (w.kind === 'update' && !w.unchanged) {
      // A single update or a bulk edit: per record, the file fields it changed gain and lose links.
      const fileKeys = (r: RecordWrite) =>
        (r.changed ?? []).filter((k) => {
          const f = c.byKey.get(k);
          return !!f && holdsFiles(f);
        });
      for (const r of w.records) {
        const keys = fileKeys(r);
        if (!keys.length || r.id === undefined) continue;
        const changed: Values_ = {};
        for (const k of keys) changed[k] = r.values[k];
        const now = fileIdsOf(c.meta.fields, changed);
        for (const key of keys) {
          const before = new Set(await this.repo.linksOf(w.tx, c.meta.id, r.id, key));
          const after = new Set(now.filter((l) => l.fieldKey === key).map((l) => l.fileId));
          const added = [...after].filter((id) => !before.has(id));
          const removed = [...before].filter((id) => !after.has(id));
          await this.repo.link(
            w.tx,
            c.meta.id,
            added.map((fileId) => ({ recordId: r.id!, fileId, fieldKey: key })),
          );
          await this.repo.unlink(w.tx, c.meta.id, r.id, key, removed);
          for (const fileId of added) entries.push({ action: 'file.attach', fileId, recordId: r.id, fieldKey: key });
          for (const fileId of removed) entries.push({ action: 'file.detach', fileId, recordId: r.id, fieldKey: key });
        }
      }
    }
    if (entries.length)
      await this.audit.write(
        w.ctx,
        entries.map((e) => ({
          action: e.action,
          targetType: 'file',
          targetId: e.fileId,
          entityId: c.meta.id,
          recordId: e.recordId,
          changes: { field: e.fieldKey },
        })),
        w.tx,
      );
  }
}
