import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/**
 * Organisation and access: departments membership, roles, app admins, permission groups,
 * API tokens, invite/reset tokens, login throttling, CSRF, and the append-only audit log
 * (which takes over record history).
 */
export class Organisation1763900000001 implements MigrationInterface {
  name = 'Organisation1763900000001';

  async up(qr: QueryRunner): Promise<void> {
    const { mysql, ts, id, str, text, bool, bigAuto, tail } = sqlTypes(qr);
    const stmts = [
      `ALTER TABLE workspaces ADD COLUMN acl_version INTEGER NOT NULL DEFAULT 1`,
      `ALTER TABLE users ADD COLUMN username ${str(64)} NULL`,
      `CREATE UNIQUE INDEX ux_users_username ON users (workspace_id, username)`,
      `ALTER TABLE sessions ADD COLUMN csrf_hash ${str(64)} NULL`,
      `ALTER TABLE sessions ADD COLUMN last_seen_at ${ts} NULL`,
      `CREATE TABLE department_members (department_id ${id} NOT NULL, user_id ${id} NOT NULL, PRIMARY KEY (department_id, user_id))${tail}`,
      `CREATE INDEX ix_department_members_user ON department_members (user_id)`,
      `CREATE TABLE roles (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, name ${str(100)} NOT NULL, created_at ${ts} NOT NULL)${tail}`,
      `CREATE UNIQUE INDEX ux_roles_name ON roles (workspace_id, name)`,
      `CREATE TABLE role_members (role_id ${id} NOT NULL, user_id ${id} NOT NULL, PRIMARY KEY (role_id, user_id))${tail}`,
      `CREATE INDEX ix_role_members_user ON role_members (user_id)`,
      `CREATE TABLE app_admins (app_id ${id} NOT NULL, user_id ${id} NOT NULL, PRIMARY KEY (app_id, user_id))${tail}`,
      `CREATE INDEX ix_app_admins_user ON app_admins (user_id)`,
      `CREATE TABLE permission_groups (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, entity_id ${id} NOT NULL,
        definition ${text} NOT NULL, position INTEGER NOT NULL, created_at ${ts} NOT NULL, updated_at ${ts} NOT NULL)${tail}`,
      `CREATE INDEX ix_permission_groups_entity ON permission_groups (entity_id)`,
      `CREATE TABLE api_tokens (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, user_id ${id} NOT NULL,
        name ${str(100)} NOT NULL, token_hash ${str(64)} NOT NULL, app_ids ${text} NULL, read_only ${bool} NOT NULL DEFAULT 0,
        created_at ${ts} NOT NULL, last_used_at ${ts} NULL, expires_at ${ts} NULL, revoked_at ${ts} NULL)${tail}`,
      `CREATE UNIQUE INDEX ux_api_tokens_hash ON api_tokens (token_hash)`,
      `CREATE INDEX ix_api_tokens_user ON api_tokens (user_id)`,
      `CREATE TABLE user_tokens (id ${id} NOT NULL PRIMARY KEY, user_id ${id} NOT NULL, kind ${str(16)} NOT NULL,
        token_hash ${str(64)} NOT NULL, expires_at ${ts} NOT NULL, used_at ${ts} NULL, created_at ${ts} NOT NULL)${tail}`,
      `CREATE UNIQUE INDEX ux_user_tokens_hash ON user_tokens (token_hash)`,
      `CREATE TABLE login_failures (id ${bigAuto}, email ${str(255)} NOT NULL, ip ${str(64)} NOT NULL, created_at ${ts} NOT NULL)${tail}`,
      `CREATE INDEX ix_login_failures_email ON login_failures (email, created_at)`,
      `CREATE INDEX ix_login_failures_ip ON login_failures (ip, created_at)`,
      `CREATE TABLE audit_log (id ${bigAuto}, workspace_id ${id} NOT NULL, actor_id ${id} NULL, actor_kind ${str(16)} NOT NULL,
        action ${str(32)} NOT NULL, target_type ${str(32)} NOT NULL, target_id ${str(64)} NULL, entity_id ${id} NULL,
        record_id BIGINT NULL, changes ${text} NOT NULL, request_id ${str(64)} NULL, ip ${str(64)} NULL, created_at ${ts} NOT NULL)${tail}`,
      `CREATE INDEX ix_audit_workspace ON audit_log (workspace_id, id)`,
      `CREATE INDEX ix_audit_record ON audit_log (entity_id, record_id)`,
      `CREATE INDEX ix_audit_actor ON audit_log (workspace_id, actor_id, id)`,
      `INSERT INTO audit_log (workspace_id, actor_id, actor_kind, action, target_type, target_id, entity_id, record_id, changes, request_id, ip, created_at)
        SELECT workspace_id, actor_id, 'user', CONCAT('record.', action), 'record', CAST(record_id AS CHAR), entity_id, record_id, changes, request_id, NULL, created_at
        FROM record_history ORDER BY id`,
      `DROP TABLE record_history`,
    ];
    for (const sql of stmts)
      await qr.query(
        mysql ? sql : sql.replace("CONCAT('record.', action)", "'record.' || action").replace('CAST(record_id AS CHAR)', 'CAST(record_id AS TEXT)'),
      );
  }

  async down(_qr: QueryRunner): Promise<void> {
    throw new Error(`Migration ${this.name} cannot be reverted: restore a backup instead`);
  }
}
