import {
  type ActionNodeSettings,
  diffGraphs,
  type GraphIssue,
  parseGraphOrThrow,
  publishPlanOrThrow,
  retirePlanOrThrow,
  validateGraph,
  type VersionStatus,
  type WorkflowGraph,
} from '@crm/workflow';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { OrgDirectory } from './org-directory';
import { mapWorkflowErrors } from './workflow-errors';
import { type VersionRow, type WorkflowRow, WorkflowsRepository } from './workflows.repository';

const EMPTY_GRAPH: WorkflowGraph = {
  nodes: [
    { id: 'start', type: 'start', name: 'Start', settings: { fields: {} }, position: { x: 0, y: 0 } },
    { id: 'end', type: 'end', name: 'End', settings: { outcome: 'approved' }, position: { x: 0, y: 200 } },
  ],
  edges: [{ id: 'start-end', from: 'start', to: 'end' }],
};
const START_ON = ['create', 'manual'] as const;

const wfDto = (w: WorkflowRow) => ({
  id: w.id,
  entityId: w.entity_id,
  name: w.name,
  description: w.description,
  startOn: w.start_on,
  publishedVersion: w.published_version === null ? null : Number(w.published_version),
  draftVersion: w.draft_version === null ? null : Number(w.draft_version),
  createdAt: storageToIso(w.created_at),
  updatedAt: storageToIso(w.updated_at),
});

const versionSummary = (v: Omit<VersionRow, 'graph'>) => ({
  version: Number(v.version),
  status: v.status,
  problemCount: (JSON.parse(v.issues) as unknown[]).length,
  createdAt: storageToIso(v.created_at),
  createdBy: v.created_by,
  updatedAt: storageToIso(v.updated_at),
  updatedBy: v.updated_by,
  publishedAt: storageToIso(v.published_at),
  publishedBy: v.published_by,
  retiredAt: storageToIso(v.retired_at),
});

const versionDto = (v: VersionRow) => ({ ...versionSummary(v), graph: JSON.parse(v.graph) as WorkflowGraph, problems: JSON.parse(v.issues) as GraphIssue[] });

/**
 * The workflow designer's side (docs/workflows.md, "API"): workflows of an entity, the draft
 * (saved with its problems), validation, publish (refused while the draft has problems),
 * retire, versions and their diffs. Designers are the workspace admins and the entity's app admins.
 */
@Injectable()
export class WorkflowDesignService {
  constructor(
    private readonly repo: WorkflowsRepository,
    private readonly entities: EntityRuntime,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly org: OrgDirectory,
  ) {}

  private async entityForDesignOrThrow(ctx: RequestContext, entityId: string): Promise<CompiledEntity> {
    const c = await this.entities.getOrThrow(ctx.actor.workspaceId, entityId);
    await this.access.requireDesignerOrThrow(ctx, { id: c.meta.id, appId: c.meta.appId });
    return c;
  }

  /** The workflow and its entity, for one of its designers; anyone else gets 404 (or 403 when they see the entity). */
  async workflowForDesignOrThrow(ctx: RequestContext, id: string): Promise<{ w: WorkflowRow; c: CompiledEntity }> {
    const w = await this.repo.find(ctx.actor.workspaceId, id);
    if (!w) throw notFound('WORKFLOW_NOT_FOUND', `Workflow ${id.slice(0, 40)}`);
    const c = await this.entities.getOrThrow(ctx.actor.workspaceId, w.entity_id).catch(() => {
      throw notFound('WORKFLOW_NOT_FOUND', `Workflow ${id}`);
    });
    try {
      await this.access.requireDesignerOrThrow(ctx, { id: c.meta.id, appId: c.meta.appId });
    } catch (err) {
      if (err instanceof AppError && err.code === 'ENTITY_NOT_FOUND') throw notFound('WORKFLOW_NOT_FOUND', `Workflow ${id}`);
      throw err;
    }
    return { w, c };
  }

  async list(ctx: RequestContext, entityId: string) {
    await this.entityForDesignOrThrow(ctx, entityId);
    return { items: (await this.repo.list(ctx.actor.workspaceId, entityId)).map(wfDto) };
  }

  async get(ctx: RequestContext, id: string) {
    const { w } = await this.workflowForDesignOrThrow(ctx, id);
    return this.detail(w);
  }

  private async detail(w: WorkflowRow) {
    const versions = await this.repo.versions(w.id);
    const draft = w.draft_version === null ? null : await this.repo.version(w.id, Number(w.draft_version));
    return { ...wfDto(w), draft: draft ? versionDto(draft) : null, versions: versions.map(versionSummary) };
  }

  private readMeta(body: unknown, creating: boolean) {
    const ch = new InputChecker(body).only(['name', 'description', 'startOn', 'graph']);
    const name = ch.string('name', { required: creating, max: 100 });
    const description = ch.string('description', { max: 1000 });
    const startOn = ch.raw('startOn');
    if (startOn !== undefined && !START_ON.includes(startOn as never))
      ch.issues.push({ path: '/startOn', code: 'invalid_option', message: `startOn must be one of ${START_ON.join(', ')}` });
    ch.doneOrThrow();
    return { name, description, startOn: startOn as WorkflowRow['start_on'] | undefined, graph: ch.raw('graph') };
  }

  private async assertStartOnFreeOrThrow(ctx: RequestContext, entityId: string, id: string, startOn: string): Promise<void> {
    if (startOn !== 'create') return;
    const other = await this.repo.otherStartingOnCreate(this.repo.db, ctx.actor.workspaceId, entityId, id);
    if (other !== null)
      throw new AppError('START_ON_TAKEN', `The workflow "${other}" already starts when a record is created; set one of them to start manually`, {
        errors: [{ path: '/startOn', code: 'taken', message: `"${other}" already starts on create` }],
      });
  }

  /** A new workflow with its first draft (the given graph, or start → end). */
  async create(ctx: RequestContext, entityId: string, body: unknown) {
    const c = await this.entityForDesignOrThrow(ctx, entityId);
    const meta = this.readMeta(body, true);
    const graph = meta.graph === undefined ? EMPTY_GRAPH : await this.parseOrThrow(meta.graph);
    const id = newId();
    const startOn = meta.startOn ?? 'create';
    await this.assertStartOnFreeOrThrow(ctx, entityId, id, startOn);
    const issues = await this.issuesOf(ctx.actor.workspaceId, c, graph);
    const at = nowStorage();
    const row: WorkflowRow = {
      id,
      workspace_id: ctx.actor.workspaceId,
      entity_id: entityId,
      name: meta.name!,
      description: meta.description ?? '',
      start_on: startOn,
      published_version: null,
      draft_version: 1,
      created_at: at,
      created_by: ctx.actor.userId,
      updated_at: at,
    };
    await this.repo.db.transaction(async (tx) => {
      await this.repo.insert(tx, row);
      await this.repo.insertVersion(tx, this.newVersion(ctx, row, 1, graph, issues, at));
      await this.audit.write(
        ctx,
        { action: 'workflow.create', targetType: 'workflow', targetId: id, entityId, changes: { name: { from: null, to: row.name } } },
        tx,
      );
    });
    return this.detail(row);
  }

  private newVersion(ctx: RequestContext, w: WorkflowRow, version: number, graph: WorkflowGraph, issues: GraphIssue[], at: string) {
    return {
      workflow_id: w.id,
      workspace_id: w.workspace_id,
      version,
      status: 'draft' as VersionStatus,
      graph: JSON.stringify(graph),
      issues: JSON.stringify(issues),
      created_at: at,
      created_by: ctx.actor.userId,
      updated_at: at,
      updated_by: ctx.actor.userId,
    };
  }

  async update(ctx: RequestContext, id: string, body: unknown) {
    const { w } = await this.workflowForDesignOrThrow(ctx, id);
    const meta = this.readMeta(body, false);
    if (meta.graph !== undefined)
      throw new AppError('VALIDATION_FAILED', 'Save the graph with PUT …/draft', {
        errors: [{ path: '/graph', code: 'unknown_field', message: 'use PUT /draft' }],
      });
    const next = { name: meta.name ?? w.name, description: meta.description ?? w.description, start_on: meta.startOn ?? w.start_on, updated_at: nowStorage() };
    await this.assertStartOnFreeOrThrow(ctx, w.entity_id, id, next.start_on);
    await this.repo.db.transaction(async (tx) => {
      await this.repo.update(tx, id, next);
      if (next.start_on !== w.start_on && w.published_version !== null) await this.repo.startsChanged(tx, w.entity_id, next.updated_at);
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (next.name !== w.name) changes.name = { from: w.name, to: next.name };
      if (next.start_on !== w.start_on) changes.startOn = { from: w.start_on, to: next.start_on };
      await this.audit.write(ctx, { action: 'workflow.update', targetType: 'workflow', targetId: id, entityId: w.entity_id, changes }, tx);
    });
    return this.get(ctx, id);
  }

  /** Only a workflow no instance ever ran on can be deleted (instances keep their version's graph). */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    const { w } = await this.workflowForDesignOrThrow(ctx, id);
    const n = await this.repo.instanceCount(id);
    if (n > 0) throw new AppError('WORKFLOW_IN_USE', `${n} instance(s) ran on this workflow; retire its published version instead`, { instances: n });
    await this.repo.db.transaction(async (tx) => {
      await this.repo.delete(tx, id);
      if (w.published_version !== null) await this.repo.startsChanged(tx, w.entity_id, nowStorage());
      await this.audit.write(ctx, { action: 'workflow.delete', targetType: 'workflow', targetId: id, entityId: w.entity_id }, tx);
    });
  }

  /** Saves the draft graph with its problems (a draft with problems saves; only publishing refuses it). */
  async saveDraft(ctx: RequestContext, id: string, body: unknown) {
    const { w, c } = await this.workflowForDesignOrThrow(ctx, id);
    const ch = new InputChecker(body).only(['graph']);
    ch.doneOrThrow();
    const graph = await this.parseOrThrow(ch.raw('graph'));
    const issues = await this.issuesOf(ctx.actor.workspaceId, c, graph);
    const at = nowStorage();
    await this.repo.db.transaction(async (tx) => {
      const locked = (await this.repo.find(ctx.actor.workspaceId, id, tx, true))!;
      if (locked.draft_version !== null) {
        await this.repo.updateDraft(tx, id, Number(locked.draft_version), {
          graph: JSON.stringify(graph),
          issues: JSON.stringify(issues),
          at,
          by: ctx.actor.userId,
        });
        await this.repo.setVersions(tx, id, { published: locked.published_version, draft: locked.draft_version, at });
      } else {
        const version = (await this.repo.maxVersion(tx, id)) + 1;
        await this.repo.insertVersion(tx, this.newVersion(ctx, locked, version, graph, issues, at));
        await this.repo.setVersions(tx, id, { published: locked.published_version, draft: version, at });
      }
      await this.audit.write(ctx, { action: 'workflow.draft_save', targetType: 'workflow', targetId: id, entityId: w.entity_id }, tx);
    });
    return this.get(ctx, id);
  }

  /** The problems of a graph sent in the body, or of the stored draft when the body has none. */
  async validate(ctx: RequestContext, id: string, body: unknown) {
    const { w, c } = await this.workflowForDesignOrThrow(ctx, id);
    const ch = new InputChecker(body ?? {}).only(['graph']);
    ch.doneOrThrow();
    let raw = ch.raw('graph');
    if (raw === undefined) {
      const v = w.draft_version === null ? null : await this.repo.version(id, Number(w.draft_version));
      if (!v) throw new AppError('NO_DRAFT', 'The workflow has no draft; send a graph to validate');
      raw = JSON.parse(v.graph);
    }
    const graph = await this.parseOrThrow(raw);
    const problems = await this.issuesOf(ctx.actor.workspaceId, c, graph);
    return { valid: problems.length === 0, problems };
  }

  /** Publishes the draft, checked again against the fields and organisation as they are now; the published version is retired. */
  async publish(ctx: RequestContext, id: string) {
    const { w, c } = await this.workflowForDesignOrThrow(ctx, id);
    if (w.draft_version === null) throw new AppError('NO_DRAFT', 'The workflow has no draft to publish');
    const draft = (await this.repo.version(id, Number(w.draft_version)))!;
    const issues = await this.issuesOf(ctx.actor.workspaceId, c, JSON.parse(draft.graph) as WorkflowGraph);
    const at = nowStorage();
    return mapWorkflowErrors(
      () =>
        this.repo.db.transaction(async (tx) => {
          const locked = (await this.repo.find(ctx.actor.workspaceId, id, tx, true))!;
          const versions = (await this.repo.versions(id, tx)).map((v) => ({ version: Number(v.version), status: v.status }));
          if (issues.length)
            await this.repo.updateDraft(tx, id, Number(w.draft_version), { graph: draft.graph, issues: JSON.stringify(issues), at, by: ctx.actor.userId });
          const plan = publishPlanOrThrow({ versions, version: Number(locked.draft_version ?? 0), issues });
          await this.repo.markRetired(tx, id, plan.retire, at);
          await this.repo.markPublished(tx, id, plan.publish, at, ctx.actor.userId);
          await this.repo.setVersions(tx, id, { published: plan.publish, draft: null, at });
          await this.repo.startsChanged(tx, w.entity_id, at);
          const changes = { publishedVersion: { from: locked.published_version === null ? null : Number(locked.published_version), to: plan.publish } };
          await this.audit.write(ctx, { action: 'workflow.publish', targetType: 'workflow', targetId: id, entityId: w.entity_id, changes }, tx);
          return { version: plan.publish, retired: plan.retire, publishedAt: storageToIso(at)! };
        }),
      ctx.locale,
    ).catch(async (err: unknown) => {
      // The refusal is answered with the problems, which the draft now carries too.
      if (err instanceof AppError && err.code === 'INVALID_GRAPH')
        await this.repo.db.transaction((tx) =>
          this.repo.updateDraft(tx, id, Number(w.draft_version), { graph: draft.graph, issues: JSON.stringify(issues), at, by: ctx.actor.userId }),
        );
      throw err;
    });
  }

  /** Retires the published version: records created from now on start nothing; running instances finish on it. */
  async retire(ctx: RequestContext, id: string) {
    const { w } = await this.workflowForDesignOrThrow(ctx, id);
    const at = nowStorage();
    return mapWorkflowErrors(() =>
      this.repo.db.transaction(async (tx) => {
        const locked = (await this.repo.find(ctx.actor.workspaceId, id, tx, true))!;
        const versions = (await this.repo.versions(id, tx)).map((v) => ({ version: Number(v.version), status: v.status }));
        const plan = retirePlanOrThrow({ versions, version: Number(locked.published_version ?? 0) });
        await this.repo.markRetired(tx, id, [plan.retire], at);
        await this.repo.setVersions(tx, id, { published: null, draft: locked.draft_version, at });
        await this.repo.startsChanged(tx, w.entity_id, at);
        await this.audit.write(
          ctx,
          {
            action: 'workflow.retire',
            targetType: 'workflow',
            targetId: id,
            entityId: w.entity_id,
            changes: { publishedVersion: { from: plan.retire, to: null } },
          },
          tx,
        );
        return { retired: plan.retire };
      }),
    );
  }

  async versions(ctx: RequestContext, id: string) {
    await this.workflowForDesignOrThrow(ctx, id);
    return { items: (await this.repo.versions(id)).map(versionSummary) };
  }

  /** One version with its graph; `diffFrom` adds what changed since that version. */
  async version(ctx: RequestContext, id: string, raw: string, diffFrom?: string) {
    await this.workflowForDesignOrThrow(ctx, id);
    const v = await this.versionOrThrow(id, raw);
    const out: Record<string, unknown> = versionDto(v);
    if (diffFrom !== undefined && diffFrom !== '') {
      const before = await this.versionOrThrow(id, diffFrom);
      out.diff = { from: Number(before.version), ...diffGraphs({ before: JSON.parse(before.graph) as WorkflowGraph, after: out.graph as WorkflowGraph }) };
    }
    return out;
  }

  private async versionOrThrow(id: string, raw: string): Promise<VersionRow> {
    const v = /^[1-9]\d{0,8}$/.test(raw) ? await this.repo.version(id, Number(raw)) : null;
    if (!v) throw notFound('WORKFLOW_VERSION_NOT_FOUND', `Workflow version ${raw.slice(0, 20)}`);
    return v;
  }

  private async parseOrThrow(raw: unknown): Promise<WorkflowGraph> {
    return mapWorkflowErrors(async () => parseGraphOrThrow(raw));
  }

  /** validateGraph against the entity's fields, the fields of entities that create-record actions name, and the organisation. */
  async issuesOf(workspaceId: string, c: CompiledEntity, graph: WorkflowGraph): Promise<GraphIssue[]> {
    const targets = new Map<string, CompiledEntity | null>();
    for (const n of graph.nodes) {
      const a = n.type === 'action' ? (n.settings as Partial<ActionNodeSettings> | undefined)?.action : undefined;
      if (a?.kind === 'createRecord' && typeof a.entity === 'string' && !targets.has(a.entity))
        targets.set(a.entity, await this.entities.getOrThrow(workspaceId, a.entity).catch(() => null));
    }
    const snapshot = await this.org.snapshot(workspaceId);
    return validateGraph({
      graph,
      env: {
        resolveField: c.resolveField,
        resolveEntityField: (entity, key) => {
          const f = targets.get(entity)?.byKey.get(key);
          return f ? { type: f.type } : undefined;
        },
        resolver: snapshot.resolver(),
      },
    });
  }
}
