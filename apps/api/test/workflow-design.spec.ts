import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { OrgSeed } from './support/org';
import { expectProblem } from './support/problems';
import { contractGraph, edge, endNode, oneStep, approval, startNode } from './support/workflows';

let api: TestApi;
let admin: Client;
let member: Client;
let entity: any;
let org: OrgSeed;
let financeRole: string;
let repId: string;
const put = (c: Client, path: string, body: unknown) => c.request('PUT', path, body);

beforeAll(async () => {
  api = await startApi();
  admin = api.admin;
  org = await OrgSeed.of(api);
  financeRole = await org.role('Finance');
  await org.member('Fin', { roles: [financeRole] });
  const rep = await org.member('Rep');
  repId = rep.id;
  member = await org.login(rep);
  entity = await makeEntity(admin, [
    { key: 'title', label: 'Title', type: 'text' },
    { key: 'amount', label: 'Amount', type: 'number' },
    { key: 'stage', label: 'Stage', type: 'text' },
  ]);
  await admin.post(`/api/entities/${entity.id}/permission-groups`, { preset: 'manage_all', members: [repId] });
}, 120_000);
afterAll(async () => api?.close());

describe('workflow designer API', () => {
  it('creates a workflow with a start → end draft, lists it, renames it', async () => {
    const made = await admin.post(`/api/entities/${entity.id}/workflows`, { name: 'Simple', startOn: 'manual' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'Simple', startOn: 'manual', publishedVersion: null, draftVersion: 1 });
    expect(made.body.draft.graph.nodes.map((n: any) => n.type)).toEqual(['start', 'end']);
    expect(made.body.draft.problems).toEqual([]);
    const list = await admin.get(`/api/entities/${entity.id}/workflows`);
    expect(list.body.items.map((w: any) => w.id)).toContain(made.body.id);
    const renamed = await admin.patch(`/api/workflows/${made.body.id}`, { name: 'Renamed' });
    expect(renamed.body.name).toBe('Renamed');
    expectProblem(await admin.patch(`/api/workflows/${made.body.id}`, { startOn: 'sometimes' }), 400, 'VALIDATION_FAILED');
    expect((await admin.delete(`/api/workflows/${made.body.id}`)).status).toBe(204);
    expectProblem(await admin.get(`/api/workflows/${made.body.id}`), 404, 'WORKFLOW_NOT_FOUND');
  });

  it('saves a draft with problems (named per node) but refuses to publish it', async () => {
    const w = (await admin.post(`/api/entities/${entity.id}/workflows`, { name: 'Broken', startOn: 'manual' })).body;
    const broken = {
      nodes: [
        startNode,
        { id: 'b', type: 'branch', settings: {} },
        { id: 'x', type: 'approval', settings: approval([{ kind: 'roles', ids: ['no-such-role'] }]) },
        endNode,
      ],
      edges: [edge('start', 'b'), edge('b', 'x', { condition: { '>': [{ var: 'nope' }, 1] } }), edge('x', 'end')],
    };
    const saved = await put(admin, `/api/workflows/${w.id}/draft`, { graph: broken });
    expect(saved.status).toBe(200);
    const codes = saved.body.draft.problems.map((p: any) => `${p.code}@${p.nodeId}`);
    expect(codes).toEqual(expect.arrayContaining(['BRANCH_WITHOUT_DEFAULT@b', 'UNKNOWN_FIELD@b', 'ASSIGNEES_RESOLVE_TO_NOBODY@x']));
    expect(saved.body.draft.problems[0].message['zh-CN']).toBeTruthy();
    const refused = expectProblem(await admin.post(`/api/workflows/${w.id}/publish`), 400, 'INVALID_GRAPH');
    expect(refused.problems.length).toBe(saved.body.draft.problems.length);
    expect(refused.errors[0].path).toMatch(/^\/(nodes|edges)\//);
    expect((await admin.get(`/api/workflows/${w.id}`)).body).toMatchObject({ publishedVersion: null, draftVersion: 1 });
    // validate: the stored draft, or a graph in the body; nothing stored
    expect((await admin.post(`/api/workflows/${w.id}/validate`)).body.valid).toBe(false);
    const fixed = oneStep(approval([{ kind: 'submitter' }]));
    expect((await admin.post(`/api/workflows/${w.id}/validate`, { graph: fixed })).body).toEqual({ valid: true, problems: [] });
    expect((await admin.get(`/api/workflows/${w.id}`)).body.draft.problems.length).toBeGreaterThan(0);
    // a malformed graph is not a draft: 400 and nothing stored
    const bad = expectProblem(await put(admin, `/api/workflows/${w.id}/draft`, { graph: { nodes: 'x' } }), 400, 'INVALID_GRAPH');
    expect(bad.problems[0].code).toBe('MALFORMED_GRAPH');
  });

  it('publishes versions: the old one retires, drafts start from a new number, diffs name the changed nodes', async () => {
    const w = (
      await admin.post(`/api/entities/${entity.id}/workflows`, { name: 'Contract', graph: contractGraph({ managerRule: { kind: 'submitter' }, financeRole }) })
    ).body;
    expect(w.draft.problems).toEqual([]);
    const p1 = await admin.post(`/api/workflows/${w.id}/publish`);
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ version: 1, retired: [] });
    expectProblem(await admin.post(`/api/workflows/${w.id}/publish`), 409, 'NO_DRAFT');
    const g2 = contractGraph({ managerRule: { kind: 'submitter' }, financeRole, threshold: 50000 });
    const d2 = await put(admin, `/api/workflows/${w.id}/draft`, { graph: g2 });
    expect(d2.body).toMatchObject({ publishedVersion: 1, draftVersion: 2 });
    const p2 = await admin.post(`/api/workflows/${w.id}/publish`);
    expect(p2.body).toMatchObject({ version: 2, retired: [1] });
    const versions = (await admin.get(`/api/workflows/${w.id}/versions`)).body.items;
    expect(versions.map((v: any) => [v.version, v.status])).toEqual([
      [2, 'published'],
      [1, 'retired'],
    ]);
    const v2 = await admin.get(`/api/workflows/${w.id}/versions/2?diffFrom=1`);
    expect(v2.body.graph.edges.find((e: any) => e.id === 'branch-manager').condition['>'][1]).toBe(50000);
    expect(v2.body.diff.edges.changed).toEqual([{ id: 'branch-manager', changes: ['condition'] }]);
    expectProblem(await admin.get(`/api/workflows/${w.id}/versions/9`), 404, 'WORKFLOW_VERSION_NOT_FOUND');
    // a second workflow starting on create is refused (one per entity)
    expectProblem(await admin.post(`/api/entities/${entity.id}/workflows`, { name: 'Other', startOn: 'create' }), 409, 'START_ON_TAKEN');
    const r = await admin.post(`/api/workflows/${w.id}/retire`);
    expect(r.body).toEqual({ retired: 2 });
    expectProblem(await admin.post(`/api/workflows/${w.id}/retire`), 409, 'INVALID_VERSION_CHANGE');
    const audit = await api.app.get(Db).query<{ action: string }>("SELECT action FROM audit_log WHERE target_type = 'workflow' AND target_id = ?", [w.id]);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['workflow.create', 'workflow.publish', 'workflow.retire']));
  });

  it('staff who are not designers get 403 on an entity they see, 404 on a workflow', async () => {
    const w = (await admin.post(`/api/entities/${entity.id}/workflows`, { name: 'Hidden', startOn: 'manual' })).body;
    expectProblem(await member.get(`/api/entities/${entity.id}/workflows`), 403, 'FORBIDDEN');
    const res = await member.get(`/api/workflows/${w.id}`);
    expect([403, 404]).toContain(res.status);
    expectProblem(await member.post(`/api/workflows/${w.id}/publish`), res.status, res.body.code);
  });
});
