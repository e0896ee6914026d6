#!/usr/bin/env node
// `npm run openapi`: boots the built API on a throw-away SQLite database without listening, takes
// its OpenAPI document and writes packages/api-client/openapi.json and src/openapi.d.ts (committed).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FILES, writeClientFiles } from '../packages/api-client/scripts/render.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { parseConfigOrThrow } = require(join(root, 'apps/api/dist/common/config.js'));
const { createServer } = require(join(root, 'apps/api/dist/server.js'));
const { buildOpenApiDocument } = require(join(root, 'apps/api/dist/openapi-document.js'));

const dataDir = mkdtempSync(join(tmpdir(), 'crm-openapi-'));
try {
  const config = parseConfigOrThrow({ DATA_DIR: dataDir, WEB_DIST: 'off', ADMIN_PASSWORD: 'openapi-generation-only' });
  const app = await createServer(config, { logger: ['error'] });
  const doc = buildOpenApiDocument(app);
  await app.close();
  await writeClientFiles(doc);
  console.log(`wrote ${FILES.json} and ${FILES.dts} (${Object.keys(doc.paths).length} paths)`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
