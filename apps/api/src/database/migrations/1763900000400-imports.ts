import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/**
 * Import sessions (docs/import-export.md, "The API"): one row per uploaded file, from upload to
 * the end of its background job. The file and its error rows live under DATA_DIR/imports; the
 * row holds what was read, the user's choices, the job's progress and its counts.
 * `rows_done` counts the data rows whose batch committed (`last_row` is the last one's number): both move in the write's transaction,
 * so a job run again after a crash resumes after it and writes nothing twice.
 */
export class Imports1763900000400 implements MigrationInterface {
  name = 'Imports1763900000400';

  async up(qr: QueryRunner): Promise<void> {
    const { ts, id, str, text, tail } = sqlTypes(qr);
    await qr.query(
      `CREATE TABLE import_sessions (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, entity_id ${id} NOT NULL,
        created_by ${id} NOT NULL, kind ${str(16)} NOT NULL, file_name ${str(255)} NOT NULL, format ${str(8)} NOT NULL,
        size BIGINT NOT NULL, storage_dir ${str(255)} NOT NULL, table_options ${text} NOT NULL, info ${text} NULL,
        settings ${text} NULL, actor ${text} NULL, status ${str(16)} NOT NULL, phase ${str(16)} NULL,
        total_rows INTEGER NULL, rows_read INTEGER NOT NULL DEFAULT 0, rows_done INTEGER NOT NULL DEFAULT 0, last_row INTEGER NOT NULL DEFAULT 0,
        created_count INTEGER NOT NULL DEFAULT 0, updated_count INTEGER NOT NULL DEFAULT 0, error_rows INTEGER NOT NULL DEFAULT 0,
        error_count INTEGER NOT NULL DEFAULT 0, job_id BIGINT NULL, last_error ${text} NULL,
        created_at ${ts} NOT NULL, updated_at ${ts} NOT NULL, finished_at ${ts} NULL)${tail}`,
    );
    await qr.query('CREATE INDEX ix_import_sessions_owner ON import_sessions (workspace_id, created_by, created_at)');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE import_sessions');
  }
}
