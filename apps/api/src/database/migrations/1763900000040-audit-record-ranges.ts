import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/**
 * A bulk import writes one audit entry (`record.bulk_create`) instead of one per record; this
 * table maps id ranges of that import to the entry, so a record's history finds its creation
 * with one index seek: the range with the greatest `first_id` not above the record's id.
 */
export class AuditRecordRanges1763900000040 implements MigrationInterface {
  name = 'AuditRecordRanges1763900000040';

  async up(qr: QueryRunner): Promise<void> {
    const { id, tail } = sqlTypes(qr);
    await qr.query(
      `CREATE TABLE audit_record_ranges (entity_id ${id} NOT NULL, first_id BIGINT NOT NULL, last_id BIGINT NOT NULL, audit_id BIGINT NOT NULL,
        PRIMARY KEY (entity_id, first_id, audit_id))${tail}`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE audit_record_ranges');
  }
}
