import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/**
 * One counter row per rate-limit bucket (modules/limits, docs/security.md): `hits` within the
 * window that ends at `expires_at` (ms since the epoch). Sign-in failures and public-form
 * submissions were counted by reading their own tables and then writing, which let parallel
 * requests through (issue 8, holes 4 and 5); login_failures is no longer needed.
 */
export class RateLimits1763900000061 implements MigrationInterface {
  name = 'RateLimits1763900000061';

  async up(qr: QueryRunner): Promise<void> {
    const { str, tail } = sqlTypes(qr);
    await qr.query(`CREATE TABLE rate_limits (k ${str(100)} NOT NULL PRIMARY KEY, hits INTEGER NOT NULL, expires_at BIGINT NOT NULL)${tail}`);
    await qr.query('CREATE INDEX ix_rate_limits_expires ON rate_limits (expires_at)');
    await qr.query('DROP TABLE login_failures');
  }

  async down(qr: QueryRunner): Promise<void> {
    const { bigAuto, str, ts, tail } = sqlTypes(qr);
    await qr.query(`CREATE TABLE login_failures (id ${bigAuto}, email ${str(255)} NOT NULL, ip ${str(64)} NOT NULL, created_at ${ts} NOT NULL)${tail}`);
    await qr.query('CREATE INDEX ix_login_failures_email ON login_failures (email, created_at)');
    await qr.query('CREATE INDEX ix_login_failures_ip ON login_failures (ip, created_at)');
    await qr.query('DROP TABLE rate_limits');
  }
}
