import type { Delivery, DeliveryConsumer, QueueDriver } from '../jobs.types';

const keyOf = (d: Delivery) => `${d.id}:${d.delivery}`;

/**
 * The embedded default: deliveries wait in memory and run in this process with bounded
 * concurrency. Memory is only the hand-over: the rows are in the database, so what a crash
 * drops from here the sweeper finds again (`holds` answers false for it after a restart).
 */
export class InProcessDriver implements QueueDriver {
  readonly kind = 'in-process' as const;
  private readonly waiting: Delivery[] = [];
  private readonly held = new Set<string>();
  private consumer: DeliveryConsumer | null = null;
  private concurrency = 1;
  private active = 0;
  private stopping = false;
  private idle: (() => void)[] = [];

  async send(deliveries: readonly Delivery[]): Promise<void> {
    if (this.stopping) throw new Error('in-process queue is stopping');
    for (const d of deliveries) {
      if (this.held.has(keyOf(d))) continue;
      this.held.add(keyOf(d));
      this.waiting.push(d);
    }
    this.pump();
  }

  async holds(d: Delivery): Promise<boolean> {
    return this.held.has(keyOf(d));
  }

  async consume(fn: DeliveryConsumer, concurrency: number): Promise<void> {
    this.consumer = fn;
    this.concurrency = concurrency;
    this.pump();
  }

  async depth(): Promise<number> {
    return this.waiting.length;
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    // Waiting deliveries stay queued rows in the database; the next start's sweeper sends them again.
    for (const d of this.waiting.splice(0)) this.held.delete(keyOf(d));
    if (this.active === 0) return;
    await Promise.race([new Promise<void>((ok) => this.idle.push(ok)), new Promise<void>((ok) => setTimeout(ok, graceMs).unref())]);
  }

  private pump(): void {
    while (this.consumer && !this.stopping && this.active < this.concurrency && this.waiting.length > 0) {
      const d = this.waiting.shift()!;
      this.active++;
      void this.consumer(d).finally(() => {
        this.held.delete(keyOf(d));
        this.active--;
        if (this.active === 0) for (const ok of this.idle.splice(0)) ok();
        this.pump();
      });
    }
  }
}
