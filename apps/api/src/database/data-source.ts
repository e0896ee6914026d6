import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { format } from 'mysql2';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../common/config';
import { Init1763900000000 } from './migrations/1763900000000-init';
import { Organisation1763900000001 } from './migrations/1763900000001-organisation';
import { MemberLogins1763900000010 } from './migrations/1763900000010-member-logins';
import { Forms1763900000020 } from './migrations/1763900000020-forms';
import { FileLinks1763900000030 } from './migrations/1763900000030-file-links';
import { AuditRecordRanges1763900000040 } from './migrations/1763900000040-audit-record-ranges';
import { RateLimits1763900000061 } from './migrations/1763900000061-rate-limits';
import { Jobs1763900000100 } from './migrations/1763900000100-jobs';
import { FormDesigns1763900000200 } from './migrations/1763900000200-form-designs';
import { Workflows1763900000300 } from './migrations/1763900000300-workflows';
import { Imports1763900000400 } from './migrations/1763900000400-imports';
import { AdminShell1763900000600 } from './migrations/1763900000600-admin-shell';
import { SavedViews1763900000800 } from './migrations/1763900000800-saved-views';
import { RecordComments1763900001500 } from './migrations/1763900001500-record-comments';
import { ImportWrites1763900001700 } from './migrations/1763900001700-import-writes';

export const MIGRATIONS = [
  Init1763900000000,
  Organisation1763900000001,
  MemberLogins1763900000010,
  Forms1763900000020,
  FileLinks1763900000030,
  AuditRecordRanges1763900000040,
  RateLimits1763900000061,
  Jobs1763900000100,
  FormDesigns1763900000200,
  Workflows1763900000300,
  Imports1763900000400,
  AdminShell1763900000600,
  SavedViews1763900000800,
  RecordComments1763900001500,
  ImportWrites1763900001700,
];

export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  if (config.database.kind === 'sqlite') {
    mkdirSync(dirname(config.database.file), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: config.database.file,
      migrations: MIGRATIONS,
      migrationsRun: false,
      synchronize: false,
      logging: config.logQueries ? 'all' : false, // failures surface as 500s, logged with the request id
      // WAL lets readers in other processes (backups, the bench) work while we write.
      prepareDatabase: (db: { pragma(s: string): unknown; function(name: string, fn: (...a: unknown[]) => unknown): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 5000');
        db.function('regexp', (pattern, value) => (value === null || value === undefined ? 0 : new RegExp(String(pattern)).test(String(value)) ? 1 : 0));
      },
    } as DataSourceOptions;
  }
  return {
    type: 'mysql',
    url: config.database.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    poolSize: 20,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: config.logQueries ? 'all' : false, // failures surface as 500s, logged with the request id
    // trace: false — mysql2 otherwise captures a stack trace for every statement (2 % of the
    // API's CPU on a list, issue 9 item 8) to graft it onto errors; failed statements still
    // answer with their message and code, logged with the request id.
    extra: { queryFormat, trace: false },
  };
}

/**
 * mysql2's own interpolation, except that a statement without parameters is sent as it is: the
 * driver would otherwise scan every character of it for `?` (megabytes for a bulk insert, whose
 * values are already literals). Same text in every case, as `format(sql, [])` returns sql.
 */
function queryFormat(this: { config: { stringifyObjects?: boolean; timezone?: string } }, sql: string, values: unknown): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return sql;
  return format(sql, values as Parameters<typeof format>[1], this.config.stringifyObjects, this.config.timezone);
}

/** Creates the MySQL database named in the URL when it does not exist yet. */
export async function ensureMysqlDatabase(url: string): Promise<void> {
  const { createConnection } = await import('mysql2/promise');
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) throw new Error(`DATABASE_URL names an invalid database "${name}"`);
  u.pathname = '/';
  const conn = await createConnection({ uri: u.toString() });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

export async function openDataSource(config: AppConfig): Promise<DataSource> {
  if (config.database.kind === 'mysql') await ensureMysqlDatabase(config.database.url);
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
