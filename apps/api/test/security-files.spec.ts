import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';
import { paths, upload } from './support/records';

/**
 * Issue 8, holes 3 and 8: a file may be attached only by its uploader while it is unattached, or
 * when the member can already read it through a record they may view (anything else answers as
 * if the file did not exist); uploads, attaches, detaches and admins' downloads are audited.
 */
describe('attaching and auditing files (holes 3 and 8)', () => {
  let api: TestApi;
  let db: Db;
  let alice: SeededMember;
  let bob: SeededMember;
  let a: Client;
  let b: Client;
  let docs: any;
  const recs = () => `/api/entities/${docs.id}/records`;
  const put = async (c: Client, name: string, text: string) => (await upload(c, name, new TextEncoder().encode(text), 'text/plain')).id;
  const count = async () => Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${docs.table ?? 'x'}`).catch(() => [{ n: -1 }]))[0].n);
  const audit = async (q: string) => (await api.admin.get(`/api/audit?${q}`)).body.items as any[];

  beforeAll(async () => {
    api = await startApi();
    db = api.app.get(Db);
    const org = await OrgSeed.of(api);
    const role = await org.role('writer');
    alice = await org.member('Alice', { roles: [role] });
    bob = await org.member('Bob', { roles: [role] });
    docs = await makeEntity(api.admin, [
      { key: 'title', label: 'Title', type: 'text' },
      { key: 'files', label: 'Files', type: 'attachment' },
    ]);
    docs.table = (await db.query<{ t: string }>('SELECT table_name AS t FROM entities WHERE id = ?', [docs.id]))[0].t;
    expect((await api.admin.post(`/api/entities/${docs.id}/permission-groups`, { preset: 'manage_own', roles: [role] })).status).toBe(201);
    a = await org.login(alice);
    b = await org.login(bob);
  });
  afterAll(async () => api?.close());

  it('another member’s file, attached or not, is refused as if it did not exist; nothing is stored', async () => {
    const attached = await put(b, 'bob-payroll.txt', 'bob attached secret');
    expect((await b.post(recs(), { title: 'bob doc', files: [attached] })).status).toBe(201);
    const loose = await put(b, 'bob-loose.txt', 'bob loose secret');
    const before = await count();
    for (const value of [[attached], [{ id: attached }], [loose], [{ id: loose }]]) {
      const res = expectProblem(await a.post(recs(), { title: 'steal', files: value }), 400, 'VALIDATION_FAILED');
      expect(paths(res)).toEqual(['/files/0']);
      expect(res.errors[0].code).toBe('not_found');
      expect(JSON.stringify(res)).not.toMatch(/bob-payroll|bob-loose|secret/);
    }
    // The same answer as for an id that does not exist.
    const none = expectProblem(await a.post(recs(), { title: 'x', files: ['00000000-0000-4000-8000-000000000000'] }), 400, 'VALIDATION_FAILED');
    expect(none.errors[0].code).toBe('not_found');
    expect(await count()).toBe(before);
    // Nor through an update of one's own record.
    const mine = (await a.post(recs(), { title: 'mine' })).body;
    expectProblem(await a.patch(`${recs()}/${mine.id}`, { version: mine.version, files: [attached] }), 400, 'VALIDATION_FAILED');
    expect((await api.admin.get(`${recs()}/${mine.id}`)).body.files ?? null).toBeNull();
    expectProblem(await a.get(`/api/files/${attached}`), 404, 'FILE_NOT_FOUND');
    expectProblem(await a.get(`/api/files/${loose}`), 404, 'FILE_NOT_FOUND');
  });

  it('one’s own unattached upload, or a file one can read through a record in view: attached', async () => {
    const own = await put(a, 'alice.txt', 'alice');
    const first = await a.post(recs(), { title: 'with own', files: [own] });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.files).toEqual([{ id: own, name: 'alice.txt', size: 5, mime: 'text/plain' }]);
    // Now attached: Alice still reads it through her record, so she may attach it again.
    expect((await a.post(recs(), { title: 'again', files: [{ id: own }] })).status).toBe(201);
    // An admin's file on a record Alice owns (in her view scope).
    const given = await put(api.admin, 'given.txt', 'given');
    expect((await api.admin.post(recs(), { title: 'for alice', files: [given], ownerId: alice.id })).status).toBe(201);
    expect((await a.post(recs(), { title: 'copy', files: [given] })).status).toBe(201);
    // An update sending the stored list back unchanged is fine.
    const rec = first.body;
    const same = await a.patch(`${recs()}/${rec.id}`, { version: rec.version, title: 'renamed', files: rec.files });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
  });

  it('upload, attach, detach and an admin’s download are audit entries; a detached file no longer opens through the record', async () => {
    const id = await put(api.admin, 'contract.txt', 'contract');
    const [up] = await audit(`action=file.upload&targetId=${id}`);
    expect(up).toMatchObject({ actorKind: 'user', targetType: 'file', targetId: id, changes: { name: 'contract.txt', size: 8, mime: 'text/plain' } });

    const created = await api.admin.post(recs(), { title: 'held', files: [id], ownerId: alice.id });
    expect(created.status).toBe(201);
    const [att] = await audit(`action=file.attach&targetId=${id}`);
    expect(att).toMatchObject({ targetType: 'file', targetId: id, entityId: docs.id, recordId: created.body.id, changes: { field: 'files' } });
    expect((await a.get(`/api/files/${id}`)).body).toBe('contract');

    const detached = await api.admin.patch(`${recs()}/${created.body.id}`, { version: created.body.version, files: [] });
    expect(detached.status, JSON.stringify(detached.body)).toBe(200);
    const [det] = await audit(`action=file.detach&targetId=${id}`);
    expect(det).toMatchObject({ targetType: 'file', targetId: id, entityId: docs.id, recordId: created.body.id, changes: { field: 'files' } });
    expectProblem(await a.get(`/api/files/${id}`), 404, 'FILE_NOT_FOUND');

    expect((await a.get(`/api/files/${await put(a, 'own.txt', 'own')}`)).status).toBe(200);
    expect(await audit('action=file.download')).toEqual([]);
    expect((await api.admin.get(`/api/files/${id}`)).status).toBe(200);
    const [dl] = await audit(`action=file.download&targetId=${id}`);
    expect(dl).toMatchObject({ actorKind: 'user', targetType: 'file', targetId: id, changes: { name: 'contract.txt' } });
  });

  it('a bulk edit attaches and detaches too: links, audit entries, downloads through the records', async () => {
    const id = await put(api.admin, 'bulk.txt', 'bulk');
    const made = [];
    for (const title of ['bulk one', 'bulk two']) made.push((await api.admin.post(recs(), { title, ownerId: alice.id })).body.id);
    const filter = { in: [{ var: 'title' }, ['bulk one', 'bulk two']] };
    const set = await api.admin.post(`${recs()}/bulk-update`, { filter, values: { files: [id] } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect((await audit(`action=file.attach&targetId=${id}`)).map((e) => e.recordId).sort()).toEqual([...made].sort());
    expect((await a.get(`/api/files/${id}`)).body).toBe('bulk');
    expect((await api.admin.post(`${recs()}/bulk-update`, { filter, values: { files: [] } })).status).toBe(200);
    expect((await audit(`action=file.detach&targetId=${id}`)).map((e) => e.recordId).sort()).toEqual([...made].sort());
    expectProblem(await a.get(`/api/files/${id}`), 404, 'FILE_NOT_FOUND');
  });
});
