import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/**
 * Forms: each entity's draft form, its published (immutable) versions, public fill-in links
 * and their submissions (rate limiting, receipts), and a `form_version` column on every record
 * table so records remember the form version they were written with. Record tables made after
 * this get the column from `createRecordTableSql`.
 */
export class Forms1763900000020 implements MigrationInterface {
  name = 'Forms1763900000020';

  async up(qr: QueryRunner): Promise<void> {
    const { mysql, ts, id, str, text, bool, bigAuto, tail } = sqlTypes(qr);
    const stmts = [
      `CREATE TABLE forms (entity_id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, draft ${text} NOT NULL,
        draft_updated_at ${ts} NOT NULL, draft_updated_by ${id} NULL, published_version INTEGER NULL, created_at ${ts} NOT NULL)${tail}`,
      `CREATE TABLE form_versions (entity_id ${id} NOT NULL, version INTEGER NOT NULL, workspace_id ${id} NOT NULL,
        definition ${text} NOT NULL, entity_version INTEGER NOT NULL, published_at ${ts} NOT NULL, published_by ${id} NULL,
        PRIMARY KEY (entity_id, version))${tail}`,
      `CREATE TABLE public_links (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, entity_id ${id} NOT NULL,
        token_hash ${str(64)} NOT NULL, exposed_fields ${text} NOT NULL, owner_id ${id} NULL, enabled ${bool} NOT NULL DEFAULT 1,
        created_at ${ts} NOT NULL, created_by ${id} NULL, rotated_at ${ts} NULL, updated_at ${ts} NOT NULL)${tail}`,
      `CREATE UNIQUE INDEX ux_public_links_token ON public_links (token_hash)`,
      `CREATE UNIQUE INDEX ux_public_links_entity ON public_links (entity_id)`,
      `CREATE TABLE public_submissions (id ${bigAuto}, link_id ${id} NOT NULL, ip ${str(64)} NOT NULL, receipt_id ${str(40)} NULL,
        record_id BIGINT NULL, created_at ${ts} NOT NULL)${tail}`,
      `CREATE INDEX ix_public_submissions_link ON public_submissions (link_id, created_at)`,
      `CREATE INDEX ix_public_submissions_ip ON public_submissions (ip, created_at)`,
      `CREATE INDEX ix_public_submissions_at ON public_submissions (created_at)`,
    ];
    for (const sql of stmts) await qr.query(sql);
    const tables = (await qr.query('SELECT table_name AS t FROM entities')) as { t: string }[];
    for (const { t } of tables) {
      // Generated names only (t_ + 12 characters); anything else never reaches DDL.
      if (!/^t_[a-z0-9]{1,62}$/.test(t)) throw new Error(`Unexpected record table name "${t}"`);
      const columns = mysql
        ? ((await qr.query('SELECT COLUMN_NAME AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?', [t])) as {
            c: string;
          }[])
        : ((await qr.query(`SELECT name AS c FROM pragma_table_info('${t}')`)) as { c: string }[]);
      // A table that does not exist yet (a pending plan) is created with the column.
      if (!columns.length || columns.some((c) => c.c === 'form_version')) continue;
      await qr.query(`ALTER TABLE ${t} ADD COLUMN form_version INTEGER NULL`);
    }
  }

  async down(_qr: QueryRunner): Promise<void> {
    throw new Error(`Migration ${this.name} cannot be reverted: restore a backup instead`);
  }
}
