import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, parseConfigOrThrow } from './common/config';
import { createServer } from './server';

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
  const app = await createServer(config);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  Logger.log(
    `Listening on http://localhost:${config.port} (${config.database.kind}${config.database.kind === 'sqlite' ? `: ${config.database.file}` : ''})`,
    'Server',
  );
}

main().catch((err) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
