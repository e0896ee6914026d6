import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigOrThrow } from '../src/common/config';
import { Db } from '../src/database/db';
import { KernelModule } from '../src/kernel.module';
import { AuthRepository } from '../src/modules/auth/auth.repository';
import { EntitiesService } from '../src/modules/entities/entities.service';
import { RecordsService } from '../src/modules/records/records.service';
import { RecordWritePipeline } from '../src/modules/records/write-pipeline';
import { usingMysql } from './support/harness';

/**
 * The kernel boots without HTTP (what apps/worker will do): the same services, repositories and
 * write pipeline, with the forms, computed and files participants registered, and no
 * controller or HTTP adapter.
 */
describe('the kernel module', () => {
  let ctx: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;
  let dataDir: string;
  let dbName: string | null = null;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-kernel-'));
    const env: Record<string, string> = { DATA_DIR: dataDir, ADMIN_EMAIL: 'kernel@example.com', ADMIN_PASSWORD: 'kernel-password-1', WEB_DIST: 'off' };
    if (usingMysql) {
      const u = new URL(process.env.DATABASE_URL!);
      dbName = `crm_t_${randomBytes(5).toString('hex')}`;
      u.pathname = `/${dbName}`;
      env.DATABASE_URL = u.toString();
    }
    ctx = await NestFactory.createApplicationContext(KernelModule.forRoot(parseConfigOrThrow(env)), { logger: false });
  });
  afterAll(async () => {
    await ctx?.close();
    if (dbName) {
      const { createConnection } = await import('mysql2/promise');
      const u = new URL(process.env.DATABASE_URL!);
      u.pathname = '/';
      const conn = await createConnection({ uri: u.toString() });
      await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await conn.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('boots the domain without HTTP and writes a record through the pipeline', async () => {
    expect(ctx.get(HttpAdapterHost, { strict: false }).httpAdapter).toBeFalsy();
    const participants = (ctx.get(RecordWritePipeline) as unknown as { participants: { name: string }[] }).participants.map((p) => p.name);
    expect(participants.sort()).toEqual(['computed', 'files', 'forms', 'imports', 'records']);

    // The first start created the workspace and its admin; act as them, as a job would.
    const [admin] = await ctx.get(Db).query<{ id: string; workspace_id: string }>('SELECT id, workspace_id FROM users WHERE email = ?', ['kernel@example.com']);
    expect(await ctx.get(AuthRepository).anyWorkspace()).toBe(true);
    const rc = {
      requestId: 'kernel-test',
      ip: '',
      actor: {
        kind: 'session' as const,
        userId: admin.id,
        workspaceId: admin.workspace_id,
        workspaceName: '',
        email: 'kernel@example.com',
        name: 'Kernel',
        isAdmin: true,
        sessionId: null,
        tokenId: null,
        appIds: null,
        readOnly: false,
        aclVersion: 0,
      },
    };
    const { AppsService } = await import('../src/modules/apps/apps.service');
    const app = await ctx.get(AppsService).create(rc, { key: 'k_app', name: 'Kernel app' });
    const entity = await ctx.get(EntitiesService).create(rc, app.id, {
      key: 'k_items',
      name: 'Items',
      fields: [
        { key: 'qty', label: 'Qty', type: 'number', settings: { precision: 0 } },
        { key: 'double', label: 'Double', type: 'formula', settings: { expression: 'qty * 2', precision: 0 } },
      ],
    });
    const rec = await ctx.get(RecordsService).create(rc, entity.id, { qty: 21 });
    expect(rec).toMatchObject({ qty: 21, double: 42, createdBy: admin.id });
  });
});
