import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { Injectable, Logger } from '@nestjs/common';

/** Work another module must finish (or stop taking) before the process exits: a queue consumer, a scheduler. */
export interface ShutdownHook {
  name: string;
  /** Called once when the drain starts; resolve when the work is finished. Gets the time left. */
  drain(deadline: { msLeft(): number }): Promise<void>;
}

/** A connection idle this long after the listener closed is ended: long enough for a request already on its way to arrive. */
const IDLE_GRACE_MS = 500;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The SIGTERM drain (docs/operations.md, "Stop and drain"), for the API and later the worker:
 * 1. readiness (`GET /api/health/ready`) answers 503 SHUTTING_DOWN and every response carries
 *    `Connection: close`, so keep-alive clients and load balancers go elsewhere; the listener
 *    stays open for `readyDelaySeconds` so a probe sees the failure rather than a refused connection;
 * 2. the listener closes (idle keep-alive connections with it), requests in flight and the
 *    registered hooks (jobs) finish;
 * 3. at `timeoutSeconds` whatever is left is cut, and the caller closes the app and exits.
 * Modules join with `register()` at start-up (the jobs module: stop consuming, finish the current job).
 */
@Injectable()
export class ShutdownCoordinator {
  private readonly logger = new Logger('Shutdown');
  private readonly hooks: ShutdownHook[] = [];
  private readonly open = new Set<ServerResponse>();
  /** Open connections and when each last finished a response (or connected), to close the idle ones. */
  private readonly sockets = new Map<Socket, { busy: number; idleSince: number }>();
  private drainingSince: number | null = null;

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  register(hook: ShutdownHook): void {
    this.hooks.push(hook);
  }

  /** Counts requests in flight and marks responses `Connection: close` while draining; runs before the framework's listener. */
  attach(server: Server): void {
    server.prependListener('connection', (socket: Socket) => {
      this.sockets.set(socket, { busy: 0, idleSince: Date.now() });
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      this.open.add(res);
      const state = this.sockets.get(req.socket);
      if (state) state.busy++;
      res.once('close', () => {
        this.open.delete(res);
        if (state) {
          state.busy--;
          state.idleSince = Date.now();
        }
      });
      if (this.draining) res.setHeader('Connection', 'close');
    });
  }

  get inFlight(): number {
    return this.open.size;
  }

  /** Drains and resolves when every request and hook finished, or at the deadline (then open connections are cut). */
  async drain(server: Server, opts: { timeoutMs: number; readyDelayMs: number }): Promise<{ clean: boolean; ms: number }> {
    if (this.drainingSince !== null) throw new Error('The drain already started');
    const start = Date.now();
    this.drainingSince = start;
    const deadlineAt = start + opts.timeoutMs;
    const msLeft = () => Math.max(0, deadlineAt - Date.now());
    this.logger.log(`Draining: readiness fails now, the listener closes in ${opts.readyDelayMs} ms, requests get ${opts.timeoutMs} ms to finish`);
    const hooks = Promise.all(
      this.hooks.map((h) =>
        h.drain({ msLeft }).catch((err: unknown) => this.logger.error(`Shutdown hook ${h.name} failed`, err instanceof Error ? err.stack : String(err))),
      ),
    );
    await sleep(Math.min(opts.readyDelayMs, msLeft()));
    // Stop accepting, but not http.Server#close: it also cuts connections that look idle, among
    // them ones whose first request is still on its way (the client would see a reset).
    const closed = new Promise<void>((ok) => NetServer.prototype.close.call(server, () => ok()));
    const sweeper = setInterval(() => this.closeIdle(IDLE_GRACE_MS), 50);
    const finished = Promise.all([closed, hooks, this.untilNoRequests()]).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<boolean>((ok) => (timer = setTimeout(() => ok(false), msLeft())));
    const clean = await Promise.race([finished, limit]);
    clearTimeout(timer);
    clearInterval(sweeper);
    if (!clean) {
      this.logger.warn(`Drain limit of ${opts.timeoutMs} ms reached with ${this.inFlight} request(s) in flight: closing their connections`);
      server.closeAllConnections();
    }
    return { clean, ms: Date.now() - start };
  }

  /** Ends connections without a request in flight that stayed idle for `graceMs` (keep-alive clients that sent nothing more). */
  private closeIdle(graceMs: number): void {
    const now = Date.now();
    for (const [socket, state] of this.sockets) if (state.busy === 0 && now - state.idleSince >= graceMs) socket.end();
  }

  private async untilNoRequests(): Promise<void> {
    while (this.open.size > 0) await sleep(20);
  }
}
