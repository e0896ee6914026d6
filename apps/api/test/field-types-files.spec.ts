import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';
import { upload } from './support/records';

/** Image and signature fields (issue 10, item 6): uploaded pictures by reference, their types checked, thumbnails. */
describe('image and signature fields', () => {
  let api: TestApi;
  let entity: any;
  let png: Uint8Array;
  beforeAll(async () => {
    api = await startApi();
    entity = await makeEntity(api.admin, [
      { key: 'title', label: 'Title', type: 'text' },
      { key: 'photos', label: 'Photos', type: 'image', settings: { maxFiles: 2 } },
      { key: 'sign', label: 'Signature', type: 'signature' },
      { key: 'docs', label: 'Docs', type: 'attachment', settings: { accept: ['application/pdf'] } },
    ]);
    png = new Uint8Array(
      await sharp({ create: { width: 800, height: 400, channels: 3, background: '#2357d9' } })
        .png()
        .toBuffer(),
    );
  });
  afterAll(async () => api?.close());
  const records = () => `/api/entities/${entity.id}/records`;

  it('stores pictures as file references with their metadata; signatures hold one PNG', async () => {
    const a = await upload(api.admin, 'a.png', png, 'image/png');
    const b = await upload(api.admin, 'b.jpg', png, 'image/jpeg');
    // The server decodes what claims to be a picture: this PNG sent as JPEG is stored as PNG.
    expect(b.mime).toBe('image/png');
    const sig = await upload(api.admin, 'signature.png', png, 'image/png');
    const res = await api.admin.post(records(), { title: 'ok', photos: [a.id, b.id], sign: [sig.id] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.photos).toEqual([
      { id: a.id, name: 'a.png', size: png.length, mime: 'image/png' },
      { id: b.id, name: 'b.jpg', size: png.length, mime: 'image/png' },
    ]);
    expect(res.body.sign.map((f: any) => f.id)).toEqual([sig.id]);
    const read = await api.admin.get(`${records()}/${res.body.id}`);
    expect(read.body.photos.map((f: any) => f.id)).toEqual([a.id, b.id]);
  });

  it('refuses files of the wrong kind, naming the field and the file; too many pictures too', async () => {
    const fake = await upload(api.admin, 'evil.png', new TextEncoder().encode('<script>alert(1)</script>'), 'image/png');
    expect(fake.mime).toBe('application/octet-stream');
    const text = await upload(api.admin, 'notes.txt', new TextEncoder().encode('hello'), 'text/plain');
    const jpeg = await upload(api.admin, 'photo.jpg', new Uint8Array(await sharp(png).jpeg().toBuffer()), 'image/jpeg');
    const bad = expectProblem(await api.admin.post(records(), { title: 'bad', photos: [fake.id], sign: [jpeg.id], docs: [text.id] }), 400, 'VALIDATION_FAILED');
    expect(bad.errors.map((e: any) => [e.path, e.code])).toEqual([
      ['/photos/0', 'invalid_file_type'],
      ['/sign/0', 'invalid_file_type'],
      ['/docs/0', 'invalid_file_type'],
    ]);
    expect(bad.errors[0].message).toContain('evil.png');
    const a = await upload(api.admin, 'a.png', png, 'image/png');
    const b = await upload(api.admin, 'b.png', png, 'image/png');
    const c = await upload(api.admin, 'c.png', png, 'image/png');
    expect(expectProblem(await api.admin.post(records(), { photos: [a.id, b.id, c.id] }), 400, 'VALIDATION_FAILED').errors[0].path).toBe('/photos');
    expect(expectProblem(await api.admin.post(records(), { sign: [a.id, b.id] }), 400, 'VALIDATION_FAILED').errors[0].path).toBe('/sign');
    // Nothing was stored by the refused writes.
    expect((await api.admin.get(`${records()}?filter=${encodeURIComponent(JSON.stringify({ is_not_empty: [{ var: 'photos' }] }))}`)).body.items.length).toBe(1);
  });

  it('filters by empty / not empty; other operators are refused', async () => {
    const q = (filter: unknown) => api.admin.get(`${records()}?filter=${encodeURIComponent(JSON.stringify(filter))}`);
    expect((await q({ is_empty: [{ var: 'sign' }] })).status).toBe(200);
    expectProblem(await q({ '==': [{ var: 'photos' }, 'x'] }), 400, 'UNSUPPORTED_OPERATOR');
  });

  it('serves a WebP thumbnail of at most 240 px to those who may download the file, none for other files', async () => {
    const a = await upload(api.admin, 'big.png', png, 'image/png');
    const res = await fetch(`${api.baseUrl}/api/files/${a.id}/thumbnail`, { headers: { cookie: api.admin.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 240, 120]);
    const again = await fetch(`${api.baseUrl}/api/files/${a.id}/thumbnail`, { headers: { cookie: api.admin.cookie } });
    expect(again.status).toBe(200);
    const text = await upload(api.admin, 'notes.txt', new TextEncoder().encode('hello'), 'text/plain');
    expectProblem(await api.admin.get(`/api/files/${text.id}/thumbnail`), 400, 'INVALID_REQUEST');
    expectProblem(await api.client().get(`/api/files/${a.id}/thumbnail`), 401, 'UNAUTHENTICATED');
  });
});
