import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Members invited by username only: `users.email` becomes optional, and a username signs in
 * like an email, so it is unique across workspaces. Outstanding invite/reset links are looked
 * up by member when they are cancelled.
 */
export class MemberLogins1763900000010 implements MigrationInterface {
  name = 'MemberLogins1763900000010';

  async up(qr: QueryRunner): Promise<void> {
    const mysql = qr.connection.options.type === 'mysql';
    if (mysql) {
      await qr.query('ALTER TABLE users MODIFY email VARCHAR(255) NULL');
    } else {
      await rebuildSqliteUsersWithOptionalEmail(qr);
    }
    await qr.query('CREATE UNIQUE INDEX ux_users_username_login ON users (username)');
    await qr.query('CREATE INDEX ix_user_tokens_user ON user_tokens (user_id)');
  }

  async down(_qr: QueryRunner): Promise<void> {
    throw new Error(`Migration ${this.name} cannot be reverted: restore a backup instead`);
  }
}

/** SQLite cannot drop NOT NULL in place: copy the table under its stored definition minus that constraint. */
async function rebuildSqliteUsersWithOptionalEmail(qr: QueryRunner): Promise<void> {
  const table = (await qr.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'")) as { sql: string }[];
  const indexes = (await qr.query("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users' AND sql IS NOT NULL")) as { sql: string }[];
  const columns = ((await qr.query("SELECT name FROM pragma_table_info('users')")) as { name: string }[]).map((c) => `"${c.name}"`).join(', ');
  const create = table[0].sql.replace(/^CREATE TABLE\s+["`]?users["`]?/i, 'CREATE TABLE users_rebuild').replace(/\bemail TEXT NOT NULL\b/, 'email TEXT NULL');
  if (!create.startsWith('CREATE TABLE users_rebuild') || /\bemail TEXT NOT NULL\b/.test(create))
    throw new Error(`Unexpected users table definition: ${table[0].sql}`);
  await qr.query(create);
  await qr.query(`INSERT INTO users_rebuild (${columns}) SELECT ${columns} FROM users`);
  await qr.query('DROP TABLE users');
  await qr.query('ALTER TABLE users_rebuild RENAME TO users');
  for (const ix of indexes) await qr.query(ix.sql);
}
