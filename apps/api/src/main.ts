import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { type AppConfig, parseConfigOrExit } from './common/config';
import { ShutdownCoordinator } from './common/shutdown';
import { createServer } from './server';

async function main(): Promise<void> {
  const config = parseConfigOrExit(process.env);
  const app = await createServer(config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stopOnSignal(app, config, signal));
  await app.listen(config.port, config.host);
  Logger.log(
    `Listening on http://localhost:${config.port} (${config.database.kind}${config.database.kind === 'sqlite' ? `: ${config.database.file}` : ''})`,
    'Server',
  );
}

/**
 * Drain (common/shutdown.ts), then close the app (database, Redis) and exit, all within
 * SHUTDOWN_TIMEOUT_SECONDS: the drain gets the limit less a reserve for closing.
 */
async function stopOnSignal(app: INestApplication, config: AppConfig, signal: string): Promise<void> {
  const limitMs = config.shutdown.timeoutSeconds * 1000;
  setTimeout(() => {
    process.stderr.write(`Shutdown did not finish within ${config.shutdown.timeoutSeconds} s; exiting\n`);
    process.exit(1);
  }, limitMs - 50).unref();
  const reserve = Math.min(1000, limitMs / 5);
  try {
    const { clean, ms } = await app.get(ShutdownCoordinator).drain(app.getHttpServer() as Server, {
      timeoutMs: limitMs - reserve,
      readyDelayMs: Math.min(config.shutdown.readyDelaySeconds * 1000, limitMs - reserve),
    });
    await app.close();
    Logger.log(`Stopped on ${signal}: drained in ${ms} ms${clean ? '' : ' (drain limit reached, open requests cut)'}`, 'Server');
    process.exit(0);
  } catch (err) {
    process.stderr.write(`Shutdown failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
}

main().catch((err) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
