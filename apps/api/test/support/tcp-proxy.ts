import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between the API and the real MariaDB server, so a test can take the network
 * away (a failover, a cut) and give it back without touching the server others use.
 */
export interface TcpProxy {
  port: number;
  /** Connections relayed since the start (each API pool connection is one). */
  opened(): number;
  /** Destroys every relayed connection and, while `down`, every new one as it arrives. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let down = false;
  let count = 0;
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    count++;
    const upstream = createConnection(target);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    opened: () => count,
    cut() {
      down = true;
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((ok) => {
        down = true;
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => ok());
      }),
  };
}
