import type { Issue } from '@crm/schema';
import { AppError } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import type { SqlFragment } from '../access/access.repository';
import type { EntityAccess } from '../access/access.service';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { RecordDto, Row } from './record-codec';
import type { RecordEvent, WriteSource } from './record-events';

export type { WriteSource } from './record-events';

/**
 * The stages every record write runs, in this order (docs/architecture.md, "The record-write
 * pipeline"). Stages up to `references` run before the transaction; `persist` and `history`
 * inside it; `afterCommit` once it committed.
 */
export const WRITE_STAGES = ['normalise', 'defaults', 'formRules', 'compute', 'validate', 'references', 'persist', 'history', 'afterCommit'] as const;
export type WriteStage = (typeof WRITE_STAGES)[number];

/** What happens to the records. */
export type WriteKind = 'create' | 'update' | 'delete' | 'restore' | 'purge';

export type Values = Record<string, unknown>;

/** One record of a write. */
export interface RecordWrite {
  /** Path of this record in the request body, put before every issue's path ('' or '/records/3', '/values'). */
  prefix: string;
  /** create and update: the body as sent; normalise turns it into `values`. */
  input?: unknown;
  /** The field values written, by key (API form). normalise builds them; later stages change them in place. */
  values: Values;
  /** The record id (create: set by persist). */
  id?: number;
  /** update: the record as stored when the write started (persist checks its version under lock). */
  current?: RecordDto;
  /** The owner to set: undefined keeps it (update) or makes the creator the owner (create). */
  ownerId?: string | null;
  /** update that moves the owner: the owner before. */
  ownerBefore?: string | null;
  /** After persist: the keys whose stored values changed (create: the keys written). */
  changed?: string[];
  /** After persist (update) or history (create, one record): the record as stored. */
  after?: RecordDto;
  /** create of one record where the database answers `INSERT … RETURNING`: the row as inserted (history reads it instead of a SELECT). */
  inserted?: Row;
}

/** A write of one or more records of one entity, carried through the stages. */
export interface WriteBatch {
  readonly kind: WriteKind;
  readonly source: WriteSource;
  readonly ctx: RequestContext;
  readonly c: CompiledEntity;
  readonly acc: EntityAccess<CompiledEntity>;
  readonly records: RecordWrite[];
  /** The body was parsed for this write and nothing else reads it: normalise may use it as the values (no copy of a wide record). */
  readonly owned: boolean;
  /** update: the version the client read. */
  readonly expectedVersion?: number;
  /** bulk update: the json-logic filter (null: every record in scope) choosing the records. */
  readonly filter?: unknown;
  /** bulk update: the values set on every matched record (normalise checks them once; references check them once). */
  shared?: Values;
  /** create: the owner when a record names none (a public link's configured member, or null); default the actor. */
  readonly defaultOwner?: string | null;
  /** The published form version the records are written with, or null: set in `open` by the forms participant. */
  formVersion: number | null;
  /** Set in `open` when a later stage checks required fields (a published form checks them after its defaults). */
  requiredLater: boolean;
  /** Problems found so far; the pipeline answers 400 VALIDATION_FAILED with them after normalise, validate and references. */
  readonly issues: Issue[];
  /** The events persist produced: published inside the transaction (outbox) and after commit. */
  readonly events: RecordEvent[];
  /** Per-participant state for this write (a participant's own key: its published form, file rows, …). */
  readonly scratch: Map<symbol, unknown>;
  /** persist and history: the write's transaction. */
  tx?: Executor;
  /** Set by persist when nothing changed (an update sending the stored values): history and events skip. */
  unchanged?: boolean;
  /**
   * `c` came from the cache unchecked: the pipeline's probe statement checks the entity's version
   * before anything else and throws StaleEntityError when it moved (the caller starts again).
   */
  readonly verifyVersion?: boolean;
  /**
   * create from an import (`source: 'import'` only): every record's values already passed the
   * record schema's property checks (types, options, ranges, formats) built from this entity
   * version's field definitions, in `@crm/import`'s row checker. normalise then skips that second
   * ajv pass and checks only that the create schema's required fields hold a value (the import
   * checks the fields it may write; a miss runs the full schema for its usual issues). The
   * mass-assignment guard, owners, defaults, form rules, compute, references, uniqueness and
   * everything after still run.
   */
  readonly valuesChecked?: 'import-schema';
}

/** The entity's metadata moved since `c` was compiled; thrown before anything of the write ran. */
export class StaleEntityError extends Error {
  constructor() {
    super('The entity changed since it was compiled');
  }
}

/** A scalar subquery a participant needs answered before `open`, and what it does with the answer. */
export interface WriteProbe {
  sql: SqlFragment;
  take(value: unknown): void;
}

/** A write with its transaction, as persist and history see it. */
export type TxBatch = WriteBatch & { tx: Executor };

/**
 * A module's part in record writes, registered at start-up with `RecordWritePipeline.register`:
 * each method is called at its stage for every write (of every kind: a participant skips what it
 * has nothing to do with). Records itself is the first participant of every stage.
 */
export interface WriteParticipant {
  /** Shown in errors and traces. */
  readonly name: string;
  /**
   * Before `open`: one scalar subquery whose answer this write needs (the published form's
   * version). The pipeline sends the probes of every participant in one statement.
   */
  probe?(w: WriteBatch): WriteProbe | null;
  /** Before the stages: load what this write needs (the published form, a plan). */
  open?(w: WriteBatch): Promise<void> | void;
  normalise?(w: WriteBatch): Promise<void> | void;
  defaults?(w: WriteBatch): Promise<void> | void;
  formRules?(w: WriteBatch): Promise<void> | void;
  compute?(w: WriteBatch): Promise<void> | void;
  validate?(w: WriteBatch): Promise<void> | void;
  references?(w: WriteBatch): Promise<void> | void;
  /** Inside the transaction, after records wrote the rows (ids known). */
  persist?(w: TxBatch): Promise<void> | void;
  /** Inside the transaction, after records wrote the history entries. */
  history?(w: TxBatch): Promise<void> | void;
  /** After commit; a failure is logged and never undoes the write. */
  afterCommit?(w: WriteBatch): Promise<void> | void;
}

/** A new batch with the defaults every kind shares. */
export function newBatch(
  b: Pick<WriteBatch, 'kind' | 'source' | 'ctx' | 'c' | 'acc' | 'records'> &
    Partial<Pick<WriteBatch, 'owned' | 'expectedVersion' | 'filter' | 'defaultOwner' | 'shared' | 'verifyVersion' | 'valuesChecked'>>,
): WriteBatch {
  return { owned: false, ...b, formVersion: null, requiredLater: false, issues: [], events: [], scratch: new Map() };
}

/** 400 VALIDATION_FAILED listing the issues (at most 200) and naming the first paths. */
export function validationError(issues: Issue[]): AppError {
  const shown = issues.slice(0, 200);
  return new AppError('VALIDATION_FAILED', `${issues.length} invalid value(s): ${[...new Set(shown.map((i) => i.path || '/'))].slice(0, 10).join(', ')}`, {
    errors: shown,
  });
}

/** The issues with this record's path prefix. */
export function prefixed(prefix: string, issues: Issue[]): Issue[] {
  return prefix ? issues.map((i) => ({ ...i, path: `${prefix}${i.path}` })) : issues;
}
