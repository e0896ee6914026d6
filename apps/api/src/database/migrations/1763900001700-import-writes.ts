import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/**
 * The undo journal of all-or-nothing imports (docs/import-export.md, "All or nothing"): one row
 * per record an import created (`pre_image` null) or updated (`pre_image` the changed fields'
 * values before it), written in the transaction that writes the record. When the pipeline
 * refuses a row later, the job purges the created records and restores the updated ones from
 * it, deleting each row as its record is undone; a job run again after a crash finishes the undo.
 */
export class ImportWrites1763900001700 implements MigrationInterface {
  name = 'ImportWrites1763900001700';

  async up(qr: QueryRunner): Promise<void> {
    const { id, text, tail } = sqlTypes(qr);
    await qr.query(
      `CREATE TABLE import_writes (import_id ${id} NOT NULL, seq BIGINT NOT NULL, record_id BIGINT NOT NULL,
        pre_image ${text} NULL, PRIMARY KEY (import_id, seq))${tail}`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE import_writes');
  }
}
