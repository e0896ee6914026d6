import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, QueryRunner } from 'typeorm';
import { isConnectionLost } from '../common/db-errors';
import { KeyedMutex } from '../common/mutex';

/** A statement that only reads, so sending it again after a lost connection cannot change anything. */
const SAFE_READ = /^\s*(SELECT|SHOW|WITH)\b/i;
const isSafeRead = (sql: string) => SAFE_READ.test(sql) && !/\bFOR\s+UPDATE\b|\bGET_LOCK\b|\bINTO\b/i.test(sql);

export type Dialect = 'mysql' | 'sqlite';

export interface RunResult {
  affected: number;
  insertId: number;
}

/** What repositories run SQL on: the pool, or one transaction. Parameters are always bound. */
export interface Executor {
  readonly dialect: Dialect;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<RunResult>;
  /**
   * Runs fn once the surrounding transaction committed (never when it rolls back); outside a
   * transaction, right away. The job outbox uses it to hand rows to the queue only after commit.
   */
  afterCommit(fn: () => void): void;
}

function toRunResult(dialect: Dialect, result: { raw: unknown; affected?: number | null }): RunResult {
  if (dialect === 'mysql') {
    const raw = result.raw as { affectedRows?: number; insertId?: number };
    return { affected: raw?.affectedRows ?? result.affected ?? 0, insertId: Number(raw?.insertId ?? 0) };
  }
  return { affected: result.affected ?? 0, insertId: Number(result.raw ?? 0) };
}

class RunnerExecutor implements Executor {
  readonly committed: (() => void)[] = [];

  constructor(
    readonly dialect: Dialect,
    private readonly qr: QueryRunner,
  ) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    Db.count(sql);
    const res = await this.qr.query(sql, params, true);
    return (res.records ?? []) as T[];
  }

  async run(sql: string, params: unknown[] = []): Promise<RunResult> {
    Db.count(sql);
    const res = await this.qr.query(sql, params, true);
    return toRunResult(this.dialect, res);
  }

  afterCommit(fn: () => void): void {
    this.committed.push(fn);
  }
}

function runCommitHooks(hooks: readonly (() => void)[]): void {
  for (const fn of hooks) {
    try {
      fn();
    } catch {
      /* a hook only starts asynchronous work; its own errors are its own */
    }
  }
}

/** Whether the server's VERSION() (e.g. '10.11.19-MariaDB-0+deb12u1') is MariaDB of at least major.minor. */
export function mariaDbAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)\..*mariadb/i.exec(version ?? '');
  return !!m && (Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor));
}

/** Pooled MySQL connections whose session is already READ COMMITTED. */
const readCommitted = new WeakSet<object>();

/** startTransaction failed because the connection was lost: nothing of the transaction ran. */
class TransactionNotBegun extends Error {
  constructor(override readonly cause: unknown) {
    super('The transaction could not begin: the database connection was lost');
  }
}

/**
 * The one gateway to the database. SQLite has a single connection, so every statement and
 * transaction is serialised in-process (better-sqlite3 is synchronous anyway); this keeps a
 * request from reading another's uncommitted transaction.
 */
export class Db implements Executor {
  /** SQL statements run by this process; tests use it to prove query counts are bounded. */
  static statements = 0;
  private static readonly backgroundScope = new AsyncLocalStorage<true>();

  /**
   * Runs fn (and everything it starts) as background work whose statements `statements` does
   * not count: the job system's polls, sweeps and heartbeats, which would otherwise land in the
   * middle of a request's count.
   */
  static background<T>(fn: () => T): T {
    return Db.backgroundScope.run(true, fn);
  }

  /** Sees every statement of this process, background work included (the benches' statement counts; off otherwise). */
  static tap: ((sql: string) => void) | null = null;

  static count(sql: string): void {
    if (!Db.backgroundScope.getStore()) Db.statements++;
    Db.tap?.(sql);
  }
  /** Statements sent again after a lost connection (safe reads, transactions that had not begun). */
  static retries = 0;
  readonly dialect: Dialect;
  private readonly serial = new KeyedMutex();
  private readonly locks = new KeyedMutex();
  private sqliteRunner: QueryRunner | null = null;

  /**
   * `INSERT … RETURNING` works: SQLite (3.35+) and MariaDB 10.5+, not MySQL. A create reads its
   * row back from its INSERT instead of sending a SELECT after it.
   */
  readonly insertReturning: boolean;

  constructor(readonly dataSource: DataSource) {
    this.dialect = dataSource.options.type === 'mysql' ? 'mysql' : 'sqlite';
    this.insertReturning = this.dialect === 'sqlite' || mariaDbAtLeast((dataSource.driver as { version?: string }).version, 10, 5);
  }

  private async withRunner<T>(fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') {
      if (!this.sqliteRunner) this.sqliteRunner = this.dataSource.createQueryRunner();
      const qr = this.sqliteRunner;
      return this.serial.run('db', () => fn(qr));
    }
    const qr = this.dataSource.createQueryRunner();
    try {
      return await fn(qr);
    } finally {
      await qr.release();
    }
  }

  /** A read outside a transaction is retried once on another connection when its connection was lost (MySQL). */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const once = () => this.withRunner((qr) => new RunnerExecutor(this.dialect, qr).query<T>(sql, params));
    try {
      return await once();
    } catch (err) {
      if (this.dialect !== 'mysql' || !isConnectionLost(err) || !isSafeRead(sql)) throw err;
      Db.retries++;
      return once();
    }
  }

  afterCommit(fn: () => void): void {
    fn();
  }

  run(sql: string, params: unknown[] = []): Promise<RunResult> {
    return this.withRunner((qr) => new RunnerExecutor(this.dialect, qr).run(sql, params));
  }

  /**
   * Runs fn in one transaction; rolls back when it throws. MySQL transactions are READ
   * COMMITTED: each statement sees what others committed before it, so an aggregate taken
   * after locking a row (rollups, see docs/computed-fields.md) counts every committed change,
   * not a snapshot from the transaction's first read.
   */
  async transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    try {
      return await this.transactionOnce(fn);
    } catch (err) {
      // Begun on a connection that had died: nothing ran, so it starts again once on another.
      if (!(err instanceof TransactionNotBegun)) throw err;
      Db.retries++;
      return this.transactionOnce(fn).catch((e: unknown) => {
        throw e instanceof TransactionNotBegun ? e.cause : e;
      });
    }
  }

  private transactionOnce<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    return this.withRunner(async (qr) => {
      try {
        if (this.dialect === 'mysql') await this.readCommittedOnce(qr);
        await qr.startTransaction();
      } catch (err) {
        if (this.dialect === 'mysql' && isConnectionLost(err)) throw new TransactionNotBegun(err);
        throw err;
      }
      const tx = new RunnerExecutor(this.dialect, qr);
      let result: T;
      try {
        result = await fn(tx);
        await qr.commitTransaction();
      } catch (err) {
        // A rollback on a lost connection fails too (the server rolled back already): keep the first error.
        if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
        throw err;
      }
      runCommitHooks(tx.committed);
      return result;
    });
  }

  /**
   * MySQL: READ COMMITTED for the connection's session, set once per pooled connection rather
   * than before every transaction (one statement fewer per write: `startTransaction(level)`
   * sends SET TRANSACTION ISOLATION LEVEL each time). Statements outside transactions are
   * single autocommit statements, which see committed data under either level.
   */
  private async readCommittedOnce(qr: QueryRunner): Promise<void> {
    const conn = (await qr.connect()) as object;
    if (readCommitted.has(conn)) return;
    Db.statements++;
    await qr.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    readCommitted.add(conn);
  }

  /**
   * Holds a named lock across processes (MySQL GET_LOCK) or within this process (SQLite,
   * whose file only one API process serves). Used for DDL plans, one workspace at a time.
   */
  async withLock<T>(name: string, fn: () => Promise<T>, timeoutSeconds = 60): Promise<T> {
    return this.locks.run(name, async () => {
      if (this.dialect === 'sqlite') return fn();
      const qr = this.dataSource.createQueryRunner();
      try {
        const lockName = `crm:${name}`.slice(0, 64);
        const rows = (await qr.query('SELECT GET_LOCK(?, ?) AS ok', [lockName, timeoutSeconds])) as { ok: number }[];
        if (Number(rows[0]?.ok) !== 1) throw new Error(`Could not take lock ${lockName} within ${timeoutSeconds}s`);
        try {
          return await fn();
        } finally {
          await qr.query('SELECT RELEASE_LOCK(?)', [lockName]);
        }
      } finally {
        await qr.release();
      }
    });
  }

  async close(): Promise<void> {
    if (this.sqliteRunner) await this.sqliteRunner.release();
    this.sqliteRunner = null;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
