import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which record (and field) holds which uploaded file, so a download can be checked against record permissions. */
export class FileLinks1763900000030 implements MigrationInterface {
  name = 'FileLinks1763900000030';

  async up(qr: QueryRunner): Promise<void> {
    const mysql = qr.connection.options.type === 'mysql';
    const id = mysql ? 'VARCHAR(36)' : 'TEXT';
    const tail = mysql ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : '';
    await qr.query(
      `CREATE TABLE file_links (file_id ${id} NOT NULL, entity_id ${id} NOT NULL, record_id BIGINT NOT NULL, field_key ${mysql ? 'VARCHAR(64)' : 'TEXT'} NOT NULL, PRIMARY KEY (file_id, entity_id, record_id, field_key))${tail}`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE file_links');
  }
}
