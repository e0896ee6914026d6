import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';

export interface FormRow {
  entity_id: string;
  draft: string;
  draft_updated_at: string;
  draft_updated_by: string | null;
  published_version: number | null;
  /** Counts every save of the draft or the designer document (optimistic concurrency). */
  revision: number;
  /** The designer document (JSON) while it holds unpublished changes; null otherwise. */
  design: string | null;
}

export interface FormVersionRow {
  version: number;
  definition: string;
  entity_version: number;
  published_at: string;
  published_by: string | null;
}

export interface PublicLinkRow {
  id: string;
  workspace_id: string;
  entity_id: string;
  exposed_fields: string;
  owner_id: string | null;
  enabled: number;
  created_at: string;
  created_by: string | null;
  rotated_at: string | null;
  updated_at: string;
}

const FORM_COLS = 'entity_id, draft, draft_updated_at, draft_updated_by, published_version, revision, design';
const LINK_COLS = 'id, workspace_id, entity_id, exposed_fields, owner_id, enabled, created_at, created_by, rotated_at, updated_at';

/** Forms, their published versions, public links and public submissions: the only SQL of the forms module. */
@Injectable()
export class FormsRepository {
  constructor(readonly db: Db) {}

  get dialect() {
    return this.db.dialect;
  }

  async form(workspaceId: string, entityId: string, exec: Executor = this.db): Promise<FormRow | null> {
    const rows = await exec.query<FormRow>(`SELECT ${FORM_COLS} FROM forms WHERE entity_id = ? AND workspace_id = ?`, [entityId, workspaceId]);
    return rows[0] ?? null;
  }

  /** The one query a record write pays for forms: which version is published. */
  async publishedVersion(workspaceId: string, entityId: string): Promise<number | null> {
    const rows = await this.db.query<{ v: number | null }>('SELECT published_version AS v FROM forms WHERE entity_id = ? AND workspace_id = ?', [
      entityId,
      workspaceId,
    ]);
    return rows[0]?.v === null || rows[0]?.v === undefined ? null : Number(rows[0].v);
  }

  /**
   * Saves the draft (and the designer document when `design` is given; null clears it) and
   * counts one revision. With `expected`, only when the stored revision is still that one (a
   * compare-and-set in one statement): the new revision, or null when someone saved in between.
   */
  async saveDraft(
    exec: Executor,
    args: { workspaceId: string; entityId: string; draft: string; at: string; by: string; expected?: number; design?: string | null },
  ): Promise<number | null> {
    const sets = ['draft = ?', 'draft_updated_at = ?', 'draft_updated_by = ?', 'revision = revision + 1'];
    const params: unknown[] = [args.draft, args.at, args.by];
    if (args.design !== undefined) {
      sets.push('design = ?');
      params.push(args.design);
    }
    const where = ['entity_id = ?', 'workspace_id = ?'];
    params.push(args.entityId, args.workspaceId);
    if (args.expected !== undefined) {
      where.push('revision = ?');
      params.push(args.expected);
    }
    const n = await exec.run(`UPDATE forms SET ${sets.join(', ')} WHERE ${where.join(' AND ')}`, params);
    if (n.affected > 0) return (await this.form(args.workspaceId, args.entityId, exec))?.revision ?? null;
    const exists = await this.form(args.workspaceId, args.entityId, exec);
    if (exists || (args.expected !== undefined && args.expected !== 0)) return null;
    try {
      await exec.run(
        'INSERT INTO forms (entity_id, workspace_id, draft, draft_updated_at, draft_updated_by, published_version, created_at, revision, design) VALUES (?, ?, ?, ?, ?, NULL, ?, 1, ?)',
        [args.entityId, args.workspaceId, args.draft, args.at, args.by, args.at, args.design ?? null],
      );
    } catch (err) {
      // Two first saves at once: the other one won.
      if (await this.form(args.workspaceId, args.entityId, exec)) return null;
      throw err;
    }
    return 1;
  }

  /** Locks the form row for a publish (MySQL); SQLite transactions are serialised anyway. */
  async lockForm(exec: Executor, workspaceId: string, entityId: string): Promise<FormRow | null> {
    const lock = exec.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const rows = await exec.query<FormRow>(`SELECT ${FORM_COLS} FROM forms WHERE entity_id = ? AND workspace_id = ?${lock}`, [entityId, workspaceId]);
    return rows[0] ?? null;
  }

  async insertVersion(
    exec: Executor,
    args: { workspaceId: string; entityId: string; version: number; definition: string; entityVersion: number; at: string; by: string },
  ): Promise<void> {
    await exec.run(
      'INSERT INTO form_versions (entity_id, version, workspace_id, definition, entity_version, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [args.entityId, args.version, args.workspaceId, args.definition, args.entityVersion, args.at, args.by],
    );
    await exec.run('UPDATE forms SET published_version = ? WHERE entity_id = ? AND workspace_id = ?', [args.version, args.entityId, args.workspaceId]);
  }

  async version(workspaceId: string, entityId: string, version: number): Promise<FormVersionRow | null> {
    const rows = await this.db.query<FormVersionRow>(
      'SELECT version, definition, entity_version, published_at, published_by FROM form_versions WHERE entity_id = ? AND workspace_id = ? AND version = ?',
      [entityId, workspaceId, version],
    );
    return rows[0] ?? null;
  }

  async versions(workspaceId: string, entityId: string): Promise<Omit<FormVersionRow, 'definition'>[]> {
    return this.db.query(
      'SELECT version, entity_version, published_at, published_by FROM form_versions WHERE entity_id = ? AND workspace_id = ? ORDER BY version DESC LIMIT 500',
      [entityId, workspaceId],
    );
  }

  async linkOfEntity(workspaceId: string, entityId: string): Promise<PublicLinkRow | null> {
    const rows = await this.db.query<PublicLinkRow>(`SELECT ${LINK_COLS} FROM public_links WHERE entity_id = ? AND workspace_id = ?`, [entityId, workspaceId]);
    return rows[0] ?? null;
  }

  async linkByTokenHash(hash: string): Promise<PublicLinkRow | null> {
    const rows = await this.db.query<PublicLinkRow>(`SELECT ${LINK_COLS} FROM public_links WHERE token_hash = ?`, [hash]);
    return rows[0] ?? null;
  }

  async insertLink(row: Omit<PublicLinkRow, 'rotated_at'> & { token_hash: string }): Promise<void> {
    await this.db.run(
      'INSERT INTO public_links (id, workspace_id, entity_id, token_hash, exposed_fields, owner_id, enabled, created_at, created_by, rotated_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)',
      [row.id, row.workspace_id, row.entity_id, row.token_hash, row.exposed_fields, row.owner_id, row.enabled, row.created_at, row.created_by, row.updated_at],
    );
  }

  async rotateLink(id: string, tokenHash: string, at: string): Promise<void> {
    await this.db.run('UPDATE public_links SET token_hash = ?, rotated_at = ?, updated_at = ? WHERE id = ?', [tokenHash, at, at, id]);
  }

  async updateLink(id: string, patch: { exposed_fields: string; owner_id: string | null; enabled: number; updated_at: string }): Promise<void> {
    await this.db.run('UPDATE public_links SET exposed_fields = ?, owner_id = ?, enabled = ?, updated_at = ? WHERE id = ?', [
      patch.exposed_fields,
      patch.owner_id,
      patch.enabled,
      patch.updated_at,
      id,
    ]);
  }

  async insertSubmission(args: { linkId: string; ip: string; at: string }): Promise<number> {
    return (await this.db.run('INSERT INTO public_submissions (link_id, ip, created_at) VALUES (?, ?, ?)', [args.linkId, args.ip, args.at])).insertId;
  }

  async completeSubmission(id: number, receiptId: string, recordId: number): Promise<void> {
    await this.db.run('UPDATE public_submissions SET receipt_id = ?, record_id = ? WHERE id = ?', [receiptId, recordId, id]);
  }

  /** Attempts older than a day only served rate limiting; receipts stay in the audit log. */
  async pruneSubmissions(before: string): Promise<void> {
    await this.db.run('DELETE FROM public_submissions WHERE created_at < ?', [before]);
  }

  /** The newest live record of a table matching a compiled condition: one value of one column. */
  /** A published version's definition, read in the caller's transaction. */
  async versionIn(tx: Executor, entityId: string, version: number): Promise<{ definition: string; published_at: string } | undefined> {
    const rows = await tx.query<{ definition: string; published_at: string }>(
      'SELECT definition, published_at FROM form_versions WHERE entity_id = ? AND version = ?',
      [entityId, version],
    );
    return rows[0];
  }

  /** The newest live record's value matching `where`, within `scope` (the acting member's view scope; null: every record). */
  async lookupValue(
    exec: Executor,
    table: string,
    column: string,
    where: { sql: string; params: unknown[] },
    scope: { sql: string; params: unknown[] } | null = null,
  ): Promise<unknown> {
    const rows = await exec.query<{ v: unknown }>(
      `SELECT r.${column} AS v FROM ${table} r WHERE r.deleted_at IS NULL AND (${where.sql})${scope ? ` AND (${scope.sql})` : ''} ORDER BY r.id DESC LIMIT 1`,
      scope ? [...where.params, ...scope.params] : where.params,
    );
    return rows.length ? rows[0].v : undefined;
  }

  async memberExists(workspaceId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query("SELECT id FROM users WHERE id = ? AND workspace_id = ? AND status = 'active'", [userId, workspaceId]);
    return rows.length > 0;
  }
}
