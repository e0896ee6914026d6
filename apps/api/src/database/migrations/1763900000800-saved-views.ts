import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/** Saved views of an entity's records (table, kanban, calendar): a member's own, or shared by an admin (owner_id NULL). */
export class SavedViews1763900000800 implements MigrationInterface {
  name = 'SavedViews1763900000800';

  async up(qr: QueryRunner): Promise<void> {
    const t = sqlTypes(qr);
    await qr.query(
      `CREATE TABLE saved_views (id ${t.id} NOT NULL PRIMARY KEY, workspace_id ${t.id} NOT NULL, entity_id ${t.id} NOT NULL, owner_id ${t.id} NULL, name ${t.str(200)} NOT NULL, kind ${t.str(16)} NOT NULL, config ${t.text} NOT NULL, position INTEGER NOT NULL DEFAULT 0, created_by ${t.id} NOT NULL, created_at ${t.ts} NOT NULL, updated_at ${t.ts} NOT NULL)${t.tail}`,
    );
    await qr.query('CREATE INDEX saved_views_entity ON saved_views (workspace_id, entity_id, owner_id)');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE saved_views');
  }
}
