import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/**
 * The form designer's draft (docs/forms.md, "Designer drafts"): `revision` counts every save of
 * the form draft or the designer document, so a save based on an older revision is refused
 * (409 DRAFT_CONFLICT) instead of overwriting someone else's work; `design` holds the designer
 * document (the fields as the designer has them, new ones included, and the form) until it
 * is published through the field service.
 */
export class FormDesigns1763900000200 implements MigrationInterface {
  name = 'FormDesigns1763900000200';

  async up(qr: QueryRunner): Promise<void> {
    const { text } = sqlTypes(qr);
    await qr.query('ALTER TABLE forms ADD COLUMN revision INTEGER NOT NULL DEFAULT 0');
    await qr.query(`ALTER TABLE forms ADD COLUMN design ${text} NULL`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('ALTER TABLE forms DROP COLUMN design');
    await qr.query('ALTER TABLE forms DROP COLUMN revision');
  }
}
