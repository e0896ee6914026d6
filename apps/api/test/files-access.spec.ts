import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';

/** Attachments are downloadable only through records the member can view (or by the uploader / admins). */
describe('file downloads follow record permissions', () => {
  let api: TestApi;
  let rep: SeededMember;
  let peer: SeededMember;
  let repClient: Client;
  let docs: any;
  const upload = async (c: Client, name: string, text: string) => {
    const form = new FormData();
    form.append('file', new Blob([text], { type: 'text/plain' }), name);
    const res = await c.request('POST', '/api/files', form);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const download = (c: Client, id: string) => c.get(`/api/files/${id}`);

  beforeAll(async () => {
    api = await startApi();
    const org = await OrgSeed.of(api);
    const role = await org.role('rep');
    rep = await org.member('Rep', { roles: [role] });
    peer = await org.member('Peer', { roles: [role] });
    docs = await makeEntity(api.admin, [
      { key: 'title', label: 'Title', type: 'text' },
      { key: 'files', label: 'Files', type: 'attachment' },
      { key: 'secret_files', label: 'Secret files', type: 'attachment' },
    ]);
    const g = await api.admin.post(`/api/entities/${docs.id}/permission-groups`, {
      preset: 'manage_own',
      roles: [role],
      fields: { secret_files: { visible: false } },
    });
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    repClient = await org.login(rep);
  });
  afterAll(async () => api?.close());

  it('own upload: yes; a file on a record in scope: yes; on a record out of scope or in a hidden field: 404; admins: yes', async () => {
    const mine = await upload(repClient, 'mine.txt', 'mine');
    expect((await download(repClient, mine)).body).toBe('mine');

    const peerFile = await upload(api.admin, 'peer.txt', 'peer secret');
    const shared = await upload(api.admin, 'shared.txt', 'shared');
    const hidden = await upload(api.admin, 'hidden.txt', 'hidden');
    expect((await api.admin.post(`/api/entities/${docs.id}/records`, { title: 'peer doc', files: [peerFile], ownerId: peer.id })).status).toBe(201);
    expect(
      (await api.admin.post(`/api/entities/${docs.id}/records`, { title: 'rep doc', files: [shared], secret_files: [hidden], ownerId: rep.id })).status,
    ).toBe(201);

    expect((await download(repClient, shared)).body).toBe('shared');
    for (const id of [peerFile, hidden]) {
      const res = expectProblem(await download(repClient, id), 404, 'FILE_NOT_FOUND');
      expect(JSON.stringify(res)).not.toContain('secret');
    }
    // Indistinguishable from a file that does not exist.
    expectProblem(await download(repClient, '00000000-0000-4000-8000-000000000000'), 404, 'FILE_NOT_FOUND');
    expect((await download(api.admin, peerFile)).body).toBe('peer secret');
  });
});
