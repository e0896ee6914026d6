import { Injectable, Logger } from '@nestjs/common';
import type { Executor } from '../../database/db';

/** Who asked: the records API one by one or in bulk, a public form link; later imports, workflows, automations. */
export type WriteSource = 'api' | 'bulk' | 'public-form' | 'import' | 'workflow' | 'automation';

/** What happened to a record. */
export type RecordEventType = 'record.created' | 'record.updated' | 'record.deleted' | 'record.restored' | 'record.purged';

/**
 * One record written, as the write's subscribers see it (the workflow outbox, automations,
 * webhooks). Values are the API form. `changes` carries before/after of the changed fields
 * where the write had them at no extra cost (single writes and bulk edits); a bulk create
 * leaves it out (its values are in the rows) and lists the keys it wrote.
 */
export interface RecordEvent {
  type: RecordEventType;
  workspaceId: string;
  entityId: string;
  /**
   * The entity's metadata version the write ran on (checked current in the write's first
   * statement). Subscribers key what they derive from the entity's configuration by it: the
   * workflows that start on create move it when they change (docs/workflows.md).
   */
  entityVersion: number;
  recordId: number;
  /** The acting member (null for a public-link submission) and how they acted. */
  actor: { kind: 'session' | 'token' | 'anonymous'; userId: string | null };
  requestId: string | null;
  source: WriteSource;
  /** Storage time of the write, 'YYYY-MM-DD HH:MM:SS.mmm' UTC. */
  at: string;
  /** Field keys whose values changed (created: the fields given a value). */
  changedKeys: string[];
  changes?: Record<string, { from: unknown; to: unknown }>;
}

/**
 * A subscriber to record events, registered at start-up with `RecordEvents.subscribe`.
 * `inTransaction` runs inside the write's transaction, after its history: what it writes (an
 * outbox row) commits or rolls back with the write, and a throw undoes the write. `afterCommit`
 * runs once the write committed; a throw there is logged and changes nothing.
 */
export interface RecordEventSubscriber {
  readonly name: string;
  inTransaction?(tx: Executor, events: readonly RecordEvent[]): Promise<void>;
  afterCommit?(events: readonly RecordEvent[]): Promise<void> | void;
}

/** The record-event subscribers. Writes build no events when there are none. */
@Injectable()
export class RecordEvents {
  private readonly log = new Logger('RecordEvents');
  private readonly subscribers: RecordEventSubscriber[] = [];

  subscribe(s: RecordEventSubscriber): () => void {
    this.subscribers.push(s);
    return () => {
      const i = this.subscribers.indexOf(s);
      if (i >= 0) this.subscribers.splice(i, 1);
    };
  }

  get wanted(): boolean {
    return this.subscribers.length > 0;
  }

  async inTransaction(tx: Executor, events: readonly RecordEvent[]): Promise<void> {
    if (!events.length) return;
    for (const s of this.subscribers) await s.inTransaction?.(tx, events);
  }

  async afterCommit(events: readonly RecordEvent[]): Promise<void> {
    if (!events.length) return;
    for (const s of this.subscribers) {
      try {
        await s.afterCommit?.(events);
      } catch (err) {
        this.log.error(`${s.name} failed after commit: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
  }
}
