import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/**
 * The admin shell (issue 10): a member's UI language on their profile; an app's icon, colour,
 * place on the workspace home and navigation (groups of entities, JSON); an entity's default
 * sort and recycle-bin retention. Apps already had `deleted_at` (the trash).
 */
export class AdminShell1763900000600 implements MigrationInterface {
  name = 'AdminShell1763900000600';

  async up(qr: QueryRunner): Promise<void> {
    const { str, text } = sqlTypes(qr);
    await qr.query(`ALTER TABLE users ADD COLUMN language ${str(16)} NULL`);
    await qr.query(`ALTER TABLE apps ADD COLUMN icon ${str(32)} NULL`);
    await qr.query(`ALTER TABLE apps ADD COLUMN color ${str(16)} NULL`);
    await qr.query('ALTER TABLE apps ADD COLUMN position INTEGER NOT NULL DEFAULT 0');
    await qr.query(`ALTER TABLE apps ADD COLUMN navigation ${text} NULL`);
    await qr.query(`ALTER TABLE entities ADD COLUMN default_sort ${str(200)} NULL`);
    await qr.query('ALTER TABLE entities ADD COLUMN recycle_retention_days INTEGER NULL');
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const [table, column] of [
      ['entities', 'recycle_retention_days'],
      ['entities', 'default_sort'],
      ['apps', 'navigation'],
      ['apps', 'position'],
      ['apps', 'color'],
      ['apps', 'icon'],
      ['users', 'language'],
    ]) {
      await qr.query(`ALTER TABLE ${table} DROP COLUMN ${column}`);
    }
  }
}
