import 'reflect-metadata';
import { ConfigError, parseConfigOrThrow } from '@crm/api/dist/common/config';
import { startWorker } from './bootstrap';

/** `node apps/worker/dist/main.js`: the same environment variables as the API (README). */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfigOrThrow(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  await startWorker(config);
}

main().catch((err) => {
  process.stderr.write(`Worker failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
