import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/** System tables. Record tables are made at run time by DDL plans, not here. */
export class Init1763900000000 implements MigrationInterface {
  name = 'Init1763900000000';

  async up(qr: QueryRunner): Promise<void> {
    const { mysql, ts, id, str, text, bigAuto, tail } = sqlTypes(qr);
    const stmts = [
      `CREATE TABLE workspaces (id ${id} NOT NULL PRIMARY KEY, name ${str(200)} NOT NULL, created_at ${ts} NOT NULL)${tail}`,
      `CREATE TABLE users (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, email ${str(255)} NOT NULL,
        name ${str(200)} NOT NULL, password_hash ${str(255)} NOT NULL, is_admin ${mysql ? 'TINYINT(1)' : 'INTEGER'} NOT NULL DEFAULT 0,
        status ${str(20)} NOT NULL DEFAULT 'active', created_at ${ts} NOT NULL, updated_at ${ts} NOT NULL)${tail}`,
      `CREATE UNIQUE INDEX ux_users_email ON users (email)`,
      `CREATE INDEX ix_users_workspace ON users (workspace_id)`,
      `CREATE TABLE departments (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, name ${str(200)} NOT NULL,
        parent_id ${id} NULL, head_user_id ${id} NULL, created_at ${ts} NOT NULL)${tail}`,
      `CREATE INDEX ix_departments_workspace ON departments (workspace_id)`,
      `CREATE TABLE sessions (id ${id} NOT NULL PRIMARY KEY, token_hash ${str(64)} NOT NULL, user_id ${id} NOT NULL,
        workspace_id ${id} NOT NULL, expires_at ${ts} NOT NULL, created_at ${ts} NOT NULL, ip ${str(64)} NULL)${tail}`,
      `CREATE UNIQUE INDEX ux_sessions_token ON sessions (token_hash)`,
      `CREATE INDEX ix_sessions_user ON sessions (user_id)`,
      `CREATE TABLE apps (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, \`key\` ${str(64)} NOT NULL,
        name ${str(200)} NOT NULL, description ${text} NULL, created_at ${ts} NOT NULL, updated_at ${ts} NOT NULL,
        deleted_at ${ts} NULL)${tail}`,
      `CREATE UNIQUE INDEX ux_apps_key ON apps (workspace_id, \`key\`)`,
      `CREATE TABLE entities (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, app_id ${id} NOT NULL,
        \`key\` ${str(64)} NOT NULL, name ${str(200)} NOT NULL, table_name ${str(64)} NOT NULL,
        version INTEGER NOT NULL DEFAULT 1, display_field ${str(64)} NULL, status ${str(20)} NOT NULL DEFAULT 'active',
        created_at ${ts} NOT NULL, updated_at ${ts} NOT NULL, deleted_at ${ts} NULL)${tail}`,
      `CREATE UNIQUE INDEX ux_entities_key ON entities (app_id, \`key\`)`,
      `CREATE INDEX ix_entities_workspace ON entities (workspace_id)`,
      `CREATE TABLE fields (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, entity_id ${id} NOT NULL,
        \`key\` ${str(64)} NOT NULL, label ${str(200)} NOT NULL, type ${str(32)} NOT NULL, settings ${text} NOT NULL,
        required ${mysql ? 'TINYINT(1)' : 'INTEGER'} NOT NULL DEFAULT 0, is_unique ${mysql ? 'TINYINT(1)' : 'INTEGER'} NOT NULL DEFAULT 0,
        indexed ${mysql ? 'TINYINT(1)' : 'INTEGER'} NOT NULL DEFAULT 0, physical ${text} NOT NULL, position INTEGER NOT NULL,
        status ${str(20)} NOT NULL, created_at ${ts} NOT NULL, updated_at ${ts} NOT NULL)${tail}`,
      `CREATE UNIQUE INDEX ux_fields_key ON fields (entity_id, \`key\`)`,
      `CREATE TABLE ddl_plans (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, entity_id ${id} NULL,
        kind ${str(32)} NOT NULL, steps ${text} NOT NULL, meta ${text} NOT NULL, status ${str(20)} NOT NULL,
        done_steps INTEGER NOT NULL DEFAULT 0, error ${text} NULL, created_at ${ts} NOT NULL, updated_at ${ts} NOT NULL)${tail}`,
      `CREATE INDEX ix_ddl_plans_status ON ddl_plans (status)`,
      `CREATE TABLE serial_counters (field_id ${id} NOT NULL, period ${str(16)} NOT NULL, value BIGINT NOT NULL,
        PRIMARY KEY (field_id, period))${tail}`,
      `CREATE TABLE record_history (id ${bigAuto}, workspace_id ${id} NOT NULL, entity_id ${id} NOT NULL,
        record_id BIGINT NOT NULL, action ${str(16)} NOT NULL, actor_id ${id} NULL, changes ${text} NOT NULL,
        request_id ${str(64)} NULL, created_at ${ts} NOT NULL)${tail}`,
      `CREATE INDEX ix_record_history_record ON record_history (entity_id, record_id)`,
      `CREATE TABLE files (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, name ${str(255)} NOT NULL,
        mime ${str(128)} NOT NULL, size BIGINT NOT NULL, storage_path ${str(255)} NOT NULL, created_by ${id} NULL,
        created_at ${ts} NOT NULL)${tail}`,
      `CREATE INDEX ix_files_workspace ON files (workspace_id)`,
    ];
    for (const sql of stmts) await qr.query(sql);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'files',
      'record_history',
      'serial_counters',
      'ddl_plans',
      'fields',
      'entities',
      'apps',
      'sessions',
      'departments',
      'users',
      'workspaces',
    ]) {
      await qr.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
