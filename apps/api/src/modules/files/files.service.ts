import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { EntityRuntime } from '../entities/entity-runtime.service';
import { RecordsRepository } from '../records/records.repository';
import { FilesRepository } from './files.repository';
import { storedMime, thumbnail } from './images';

export interface FileDto {
  id: string;
  name: string;
  size: number;
  mime: string;
}

/** Attachments: bytes on local disk under DATA_DIR/files, metadata in the files table. */
@Injectable()
export class FilesService {
  constructor(
    private readonly repo: FilesRepository,
    private readonly records: RecordsRepository,
    private readonly runtime: EntityRuntime,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upload(ctx: RequestContext, file: { originalname: string; mimetype: string; size: number; buffer: Buffer } | undefined): Promise<FileDto> {
    if (!file)
      throw new AppError('VALIDATION_FAILED', 'Send the file as multipart form data in a part named "file"', {
        errors: [{ path: '/file', code: 'required', message: 'file is required' }],
      });
    const id = newId();
    const rel = join(ctx.actor.workspaceId, id.slice(0, 2), id);
    const abs = join(this.config.dataDir, 'files', rel);
    await mkdir(join(abs, '..'), { recursive: true });
    await writeFile(abs, file.buffer);
    const name =
      Buffer.from(file.originalname, 'latin1')
        .toString('utf8')
        .replace(/[\\/]/g, '_')
        .replace(/\p{Cc}/gu, '_')
        .slice(0, 255) || 'file';
    const claimed = /^[\w.+-]+\/[\w.+-]+$/.test(file.mimetype) ? file.mimetype.slice(0, 128) : 'application/octet-stream';
    const mime = await storedMime(claimed, file.buffer);
    await this.repo.insert({
      id,
      workspaceId: ctx.actor.workspaceId,
      name,
      mime,
      size: file.size,
      storage_path: rel,
      created_by: ctx.actor.userId,
      createdAt: nowStorage(),
    });
    await this.audit.write(ctx, { action: 'file.upload', targetType: 'file', targetId: id, changes: { name, size: file.size, mime } });
    return { id, name, size: file.size, mime };
  }

  /**
   * Workspace admins and the uploader may always download; anyone else only a file held by a
   * record they can view, through an attachment field they can read. A token narrowed to apps
   * reaches a file only through a record of those apps (or its own upload not yet attached).
   */
  private async mayDownload(ctx: RequestContext, fileId: string, createdBy: string | null): Promise<boolean> {
    const narrowed = !!ctx.actor.appIds;
    const own = createdBy !== null && createdBy === ctx.actor.userId;
    if (!narrowed && (ctx.actor.isAdmin || own)) return true;
    const links = await this.repo.links(fileId);
    if (own && !links.length) return true;
    return this.readableThrough(ctx, links);
  }

  /** Whether one of these records holding the file is in the member's view scope, through an attachment field they can read. */
  private async readableThrough(ctx: RequestContext, links: { entity_id: string; record_id: number; field_key: string }[]): Promise<boolean> {
    for (const link of links) {
      let c;
      try {
        c = await this.runtime.getOrThrow(ctx.actor.workspaceId, link.entity_id);
      } catch {
        continue;
      }
      const acc = await this.access.forEntity(ctx, c).catch(() => null);
      if (!acc || !acc.can('view') || !c.byKey.has(link.field_key) || !acc.readable(link.field_key)) continue;
      if (await this.records.inScope(this.records.db, c.meta.table, Number(link.record_id), false, acc.scopeSqlOrThrow('view'))) return true;
    }
    return false;
  }

  /**
   * The files among `ids` (all existing) the member may attach: their own upload while no record
   * holds it, a file they can already read through a record they may view, or one the written
   * record already holds (an update sending its list back). Workspace admins read every file.
   */
  async attachable(ctx: RequestContext, ids: string[], record: { entityId: string; recordId: number } | null): Promise<Set<string>> {
    if (ctx.actor.isAdmin && !ctx.actor.appIds) return new Set(ids);
    const info = await this.repo.attachInfo(ctx.actor.workspaceId, ids);
    const held = record ? await this.repo.heldBy(record.entityId, record.recordId, ids) : new Set<string>();
    const out = new Set<string>();
    for (const id of ids) {
      const f = info.get(id);
      if (!f) continue;
      const own = ctx.actor.userId !== '' && f.createdBy === ctx.actor.userId;
      if (held.has(id) || (own && !f.linked) || (await this.readableThrough(ctx, await this.repo.links(id)))) out.add(id);
    }
    return out;
  }

  async open(ctx: RequestContext, id: string): Promise<{ file: FileDto; stream: NodeJS.ReadableStream }> {
    const r = await this.repo.find(ctx.actor.workspaceId, id);
    // A file the member may not reach answers like one that does not exist.
    if (!r || !(await this.mayDownload(ctx, r.id, r.created_by))) throw notFound('FILE_NOT_FOUND', `File ${id.slice(0, 40)}`);
    // Workspace admins open any file, past the record checks: that is on the record.
    if (ctx.actor.isAdmin) await this.audit.write(ctx, { action: 'file.download', targetType: 'file', targetId: r.id, changes: { name: r.name } });
    return {
      file: { id: r.id, name: r.name, size: Number(r.size), mime: r.mime },
      stream: createReadStream(join(this.config.dataDir, 'files', r.storage_path)),
    };
  }

  /**
   * A small WebP of a picture the member may download (image and signature cells, previews),
   * made once and kept beside the file. Files that are no PNG/JPEG/GIF/WebP have none.
   */
  async thumbnail(ctx: RequestContext, id: string): Promise<Buffer> {
    const r = await this.repo.find(ctx.actor.workspaceId, id);
    if (!r || !(await this.mayDownload(ctx, r.id, r.created_by))) throw notFound('FILE_NOT_FOUND', `File ${id.slice(0, 40)}`);
    if (!['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(r.mime)) {
      throw new AppError('INVALID_REQUEST', `${r.name} is ${r.mime}, not a picture: it has no thumbnail`);
    }
    const abs = join(this.config.dataDir, 'files', r.storage_path);
    const cached = `${abs}.thumb.webp`;
    try {
      return await readFile(cached);
    } catch {
      const made = await thumbnail(abs);
      await writeFile(cached, made);
      return made;
    }
  }
}
