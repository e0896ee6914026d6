import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { newId } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { AppsService } from '../apps/apps.service';
import { DdlRunnerService } from '../ddl/ddl-runner.service';
import type { DdlStep } from '../ddl/ddl-step';
import { DdlRepository } from '../ddl/ddl.repository';
import { MetadataRepository } from './metadata.repository';

/**
 * Deletes an app from the trash forever: every entity of it (live with it, or deleted before)
 * loses its tables through the DDL plan path (one plan per entity, under the workspace's lock;
 * a failed drop rolls that plan back and stops), then its metadata rows, then the app's row.
 * Refused while entities of other apps still relate to one of its entities (their relation
 * would point at nothing). The caller confirms with the app's key.
 */
@Injectable()
export class AppPurgeService {
  constructor(
    private readonly apps: AppsService,
    private readonly repo: MetadataRepository,
    private readonly plans: DdlRepository,
    private readonly ddl: DdlRunnerService,
  ) {}

  async purgeOrThrow(ctx: RequestContext, appId: string, body: unknown): Promise<void> {
    const app = await this.apps.deletedOrThrow(ctx, appId);
    const input = new InputChecker(body).only(['key']);
    const key = input.string('key', { required: true, min: 1, max: 48 });
    if (key !== undefined && key !== app.key) {
      input.issues.push({ path: '/key', code: 'mismatch', message: `Type the app's key "${app.key}" to delete it forever` });
    }
    input.doneOrThrow();
    const ws = ctx.actor.workspaceId;
    await this.ddl.withWorkspaceLock(ws, async () => {
      const entities = await this.repo.appEntitiesForPurge(ws, appId);
      const ids = new Set(entities.map((e) => e.id));
      const from = (await this.repo.relationsFromOutside(ws, appId)).filter((r) => typeof r.target === 'string' && ids.has(r.target));
      if (from.length) {
        const names = [...new Set(from.map((r) => `${r.entityName}.${r.fieldKey}`))];
        throw new AppError('APP_REFERENCED', `Fields of other apps relate to this app's entities: ${names.join(', ')}; remove them first`, { fields: names });
      }
      for (const e of entities) {
        const steps: DdlStep[] = [
          ...e.fields.flatMap((f) => (f.physical.table ? [{ op: 'dropTable' as const, table: f.physical.table }] : [])),
          { op: 'dropTable', table: e.table },
        ];
        const planId = newId();
        await this.repo.transaction((tx) =>
          this.plans.insertPlan(tx, {
            id: planId,
            workspaceId: ws,
            entityId: e.id,
            kind: 'purge_entity',
            steps,
            meta: { onDone: [{ op: 'deleteEntity', entityId: e.id }], onRollback: [] },
          }),
        );
        await this.ddl.executeHeld(planId);
      }
      await this.apps.forgetDeleted(ctx, app);
    });
  }
}
