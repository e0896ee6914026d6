import 'reflect-metadata';
import { parseConfigOrExit } from '@crm/api/dist/common/config';
import { startWorker } from './bootstrap';

/** `node apps/worker/dist/main.js`: the same environment variables as the API (README). */
async function main(): Promise<void> {
  const config = parseConfigOrExit(process.env);
  await startWorker(config);
}

main().catch((err) => {
  process.stderr.write(`Worker failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
