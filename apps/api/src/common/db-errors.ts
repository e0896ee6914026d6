/**
 * Driver errors that mean "the database connection is gone" (a killed connection, a restart, a
 * failover, a network cut) rather than "this statement is wrong". They answer 503
 * DATABASE_UNAVAILABLE with Retry-After (the server recovers by itself: the pool opens fresh
 * connections), and a safe read is retried once on another connection (database/db.ts).
 */
const LOST_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ER_CONNECTION_KILLED', // MariaDB 1927: KILL <id> of this connection
  'ER_SERVER_SHUTDOWN', // 1053
  'ER_QUERY_INTERRUPTED', // 1317: MySQL's answer to KILL of a busy connection
  'ER_CON_COUNT_ERROR', // 1040: too many connections (a server restarting or overloaded)
  'CR_SERVER_GONE_ERROR', // 2006
  'CR_SERVER_LOST', // 2013
]);
const LOST_ERRNOS = new Set([1927, 1053, 1317, 1040, 2006, 2013]);
// mysql2's error for a statement sent on a connection it already saw die (it carries no code).
const CLOSED_STATE = /connection is in closed state|Connection lost|Pool is closed/i;

export function isConnectionLost(err: unknown): boolean {
  for (let e = err as Record<string, unknown> | null | undefined, depth = 0; e && typeof e === 'object' && depth < 3; depth++) {
    if (typeof e.code === 'string' && LOST_CODES.has(e.code)) return true;
    if (typeof e.errno === 'number' && LOST_ERRNOS.has(e.errno)) return true;
    if (typeof e.message === 'string' && CLOSED_STATE.test(e.message) && e.message.length < 300) return true;
    e = (e.driverError ?? e.cause) as Record<string, unknown> | undefined;
  }
  return false;
}

/** Seconds a client should wait before retrying after a 503 DATABASE_UNAVAILABLE. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;
