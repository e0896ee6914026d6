import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';

export interface FileRow {
  id: string;
  name: string;
  size: number;
  mime: string;
  storage_path: string;
  created_by: string | null;
}

/** File metadata as records show it in attachment values. */
export interface FileMeta {
  id: string;
  name: string;
  size: number;
  mime: string;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The files table (metadata of uploaded bytes) and file_links (which record holds which file). */
@Injectable()
export class FilesRepository {
  constructor(readonly db: Db) {}

  async insert(f: FileRow & { workspaceId: string; createdAt: string }): Promise<void> {
    await this.db.run('INSERT INTO files (id, workspace_id, name, mime, size, storage_path, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      f.id,
      f.workspaceId,
      f.name,
      f.mime,
      f.size,
      f.storage_path,
      f.created_by,
      f.createdAt,
    ]);
  }

  async find(workspaceId: string, id: string): Promise<FileRow | undefined> {
    const rows = await this.db.query<FileRow>('SELECT id, name, size, mime, storage_path, created_by FROM files WHERE id = ? AND workspace_id = ?', [
      id,
      workspaceId,
    ]);
    return rows[0];
  }

  /** Metadata of the files among `ids` that exist in the workspace, in chunks of 1000. */
  async metadata(workspaceId: string, ids: string[]): Promise<Map<string, FileMeta>> {
    const out = new Map<string, FileMeta>();
    for (let i = 0; i < ids.length; i += 1000) {
      const part = ids.slice(i, i + 1000);
      const rows = await this.db.query<FileMeta>(`SELECT id, name, size, mime FROM files WHERE workspace_id = ? AND id IN (${placeholders(part.length)})`, [
        workspaceId,
        ...part,
      ]);
      for (const r of rows) out.set(String(r.id), { id: String(r.id), name: r.name, size: Number(r.size), mime: r.mime });
    }
    return out;
  }

  /** Who uploaded each of `ids` and whether any record holds it yet (the attach rule). */
  async attachInfo(workspaceId: string, ids: string[]): Promise<Map<string, { createdBy: string | null; linked: boolean }>> {
    const out = new Map<string, { createdBy: string | null; linked: boolean }>();
    for (let i = 0; i < ids.length; i += 1000) {
      const part = ids.slice(i, i + 1000);
      const rows = await this.db.query<{ id: string; created_by: string | null; linked: number | null }>(
        `SELECT f.id, f.created_by, (SELECT 1 FROM file_links l WHERE l.file_id = f.id LIMIT 1) AS linked FROM files f WHERE f.workspace_id = ? AND f.id IN (${placeholders(part.length)})`,
        [workspaceId, ...part],
      );
      for (const r of rows) out.set(String(r.id), { createdBy: r.created_by, linked: r.linked !== null && Number(r.linked) === 1 });
    }
    return out;
  }

  /** The files among `ids` that this record already holds (an update sending its list back). */
  async heldBy(entityId: string, recordId: number, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.db.query<{ file_id: string }>(
      `SELECT DISTINCT file_id FROM file_links WHERE entity_id = ? AND record_id = ? AND file_id IN (${placeholders(ids.length)})`,
      [entityId, recordId, ...ids],
    );
    return new Set(rows.map((r) => String(r.file_id)));
  }

  /** The files a record holds in one field. */
  async linksOf(tx: Executor, entityId: string, recordId: number, fieldKey: string): Promise<string[]> {
    const rows = await tx.query<{ file_id: string }>('SELECT file_id FROM file_links WHERE entity_id = ? AND record_id = ? AND field_key = ?', [
      entityId,
      recordId,
      fieldKey,
    ]);
    return rows.map((r) => String(r.file_id));
  }

  /** A record no longer holds these files in this field (detached): downloads through it stop. */
  async unlink(tx: Executor, entityId: string, recordId: number, fieldKey: string, fileIds: string[]): Promise<void> {
    if (!fileIds.length) return;
    await tx.run(`DELETE FROM file_links WHERE entity_id = ? AND record_id = ? AND field_key = ? AND file_id IN (${placeholders(fileIds.length)})`, [
      entityId,
      recordId,
      fieldKey,
      ...fileIds,
    ]);
  }

  /** The records holding a file (at most 50). */
  links(fileId: string): Promise<{ entity_id: string; record_id: number; field_key: string }[]> {
    return this.db.query('SELECT entity_id, record_id, field_key FROM file_links WHERE file_id = ? LIMIT 50', [fileId]);
  }

  /** Remembers which record holds which files (downloads are checked against it). */
  async link(tx: Executor, entityId: string, links: { recordId: number; fileId: string; fieldKey: string }[]): Promise<void> {
    for (const l of links) {
      const exists = await tx.query('SELECT 1 AS x FROM file_links WHERE file_id = ? AND entity_id = ? AND record_id = ? AND field_key = ?', [
        l.fileId,
        entityId,
        l.recordId,
        l.fieldKey,
      ]);
      if (!exists.length)
        await tx.run('INSERT INTO file_links (file_id, entity_id, record_id, field_key) VALUES (?, ?, ?, ?)', [l.fileId, entityId, l.recordId, l.fieldKey]);
    }
  }
}
