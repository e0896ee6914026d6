import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/** Comments on a record (the record page), with the members they @mention. */
export class RecordComments1763900001500 implements MigrationInterface {
  name = 'RecordComments1763900001500';

  async up(qr: QueryRunner): Promise<void> {
    const t = sqlTypes(qr);
    await qr.query(
      `CREATE TABLE record_comments (id ${t.id} NOT NULL PRIMARY KEY, workspace_id ${t.id} NOT NULL, entity_id ${t.id} NOT NULL, record_id BIGINT NOT NULL, author_id ${t.id} NOT NULL, body ${t.text} NOT NULL, mentions ${t.text} NOT NULL, created_at ${t.ts} NOT NULL)${t.tail}`,
    );
    await qr.query('CREATE INDEX record_comments_record ON record_comments (workspace_id, entity_id, record_id, created_at)');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE record_comments');
  }
}
