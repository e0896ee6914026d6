import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

const MiB = 1024 * 1024;

/** `{"a":{"a":...}}` with `levels` objects, and a string-built version for very deep bodies. */
const nested = (levels: number): string => '{"a":'.repeat(levels - 1) + '{"a":1}' + '}'.repeat(levels - 1);
const nestedArrays = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

describe('request limits', () => {
  let api: TestApi;
  let entity: any;
  let records: string;
  beforeAll(async () => {
    api = await startApi();
    entity = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text' },
      { key: 'notes', label: 'Notes', type: 'textarea', settings: { maxLength: 65535 } },
    ]);
    records = `/api/entities/${entity.id}/records`;
  });
  afterAll(async () => api?.close());

  /** After each abuse, the same server still answers a normal request. */
  async function stillServing(): Promise<void> {
    const res = await api.admin.post(records, { name: 'fine' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await api.admin.get('/api/health')).body.status).toBe('ok');
  }

  it('a JSON body over 1 MiB → 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ name: 'big', notes: 'x'.repeat(MiB + 10) });
    const p = expectProblem(await api.admin.request('POST', records, body), 413, 'PAYLOAD_TOO_LARGE');
    expect(p.detail).toEqual(expect.any(String));
    await stillServing();
    expect((await api.admin.get(`${records}?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'name' }, 'big'] }))}`)).body.items).toEqual([]);
  });

  it('bulk creation takes bodies beyond 1 MiB (5 000 records), up to BULK_BODY_LIMIT_MB; other routes keep 1 MiB', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ name: `bulk ${i}`, notes: 'n'.repeat(300) }));
    const body = JSON.stringify({ records: rows });
    expect(body.length).toBeGreaterThan(MiB);
    const ok = await api.admin.request('POST', `${records}/bulk`, body);
    expect(ok.status, JSON.stringify(ok.body).slice(0, 300)).toBe(201);
    expect(ok.body.ids).toHaveLength(5000);
    expectProblem(
      await api.admin.request('POST', `${records}/query`, JSON.stringify({ filter: { '==': [{ var: 'name' }, 'x'.repeat(MiB)] } })),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    await stillServing();
  });

  it('the limit counts the decompressed body: a gzip bomb is refused with 413', async () => {
    const inflated = JSON.stringify({ name: 'bomb', notes: ' '.repeat(8 * MiB) });
    const gz = gzipSync(inflated);
    expect(gz.length).toBeLessThan(64 * 1024);
    const res = await fetch(api.baseUrl + records, {
      method: 'POST',
      headers: { cookie: api.admin.cookie, 'x-csrf-token': api.admin.jar.get('csrf')!, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gz,
    });
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('PAYLOAD_TOO_LARGE');
    await stillServing();
  });

  it('a body just under the limit is accepted', async () => {
    const notes = 'y'.repeat(60_000);
    const res = await api.admin.post(`${records}/bulk`, { records: Array.from({ length: 15 }, (_, i) => ({ name: `r${i}`, notes })) });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    expect(res.body.ids).toHaveLength(15);
  });

  it('nesting deeper than 32 levels → 400 BODY_TOO_DEEP; 32 levels pass the parser', async () => {
    const deep = expectProblem(await api.admin.request('POST', records, nested(33)), 400, 'BODY_TOO_DEEP');
    expect(deep.detail).toContain('32');
    expectProblem(await api.admin.request('POST', records, `{"name":"x","notes":${nestedArrays(32)}}`), 400, 'BODY_TOO_DEEP');
    // 32 levels is allowed by the parser; the record validator then refuses the unknown field.
    const ok = await api.admin.request('POST', records, nested(32));
    expect(ok.body.code).toBe('VALIDATION_FAILED');
    // Hostile depth: far past any recursion limit, still a clean 400.
    const hostile = await api.admin.request('POST', records, nestedArrays(200_000));
    expect(hostile.status).toBe(400);
    expect(['BODY_TOO_DEEP', 'INVALID_JSON']).toContain(hostile.body.code);
    // Query bodies too.
    expectProblem(await api.admin.request('POST', `${records}/query`, `{"filter":${nested(40)}}`), 400, 'BODY_TOO_DEEP');
    await stillServing();
  });

  it('invalid JSON → 400 INVALID_JSON', async () => {
    for (const text of ['{"name": "x",}', '{name: 1}', '{"name": "unterminated', 'nul']) {
      const p = expectProblem(await api.admin.request('POST', records, text), 400, 'INVALID_JSON');
      expect(p.detail).not.toContain('Unexpected token'); // no parser internals
    }
    // A body that is not an object or array at the top is refused by the strict parser.
    for (const text of ['"just text"', '42', 'null', 'true']) expectProblem(await api.admin.request('POST', records, text), 400, 'INVALID_JSON');
    await stillServing();
  });

  it('a record body that is not an object → 400', async () => {
    for (const body of [[], [{ name: 'x' }], [1, 2]]) {
      const p = expectProblem(await api.admin.post(records, body), 400, 'VALIDATION_FAILED');
      expect(p.errors[0]).toMatchObject({ code: 'invalid_type' });
    }
    const bulk = expectProblem(await api.admin.post(`${records}/bulk`, { records: [{ name: 'ok' }, 'nope', [1]] }), 400, 'VALIDATION_FAILED');
    expect(bulk.errors.map((e: any) => e.path)).toEqual(['/records/1', '/records/2']);
    expectProblem(await api.admin.post(`${records}/bulk`, [{ name: 'x' }]), 400, 'INVALID_REQUEST');
    const first = (await api.admin.post(records, { name: 'patch me' })).body;
    expect((await api.admin.patch(`${records}/${first.id}`, [1])).status).toBe(400);
    expectProblem(await api.admin.post('/api/apps', ['key']), 400, 'INVALID_REQUEST');
    expectProblem(await api.admin.post(`/api/entities/${entity.id}/fields`, []), 400, 'VALIDATION_FAILED');
    await stillServing();
  });

  it('a body that is not JSON is refused, not half-parsed', async () => {
    const text = await api.admin.request('POST', records, 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(text.status).toBe(400);
    expect(text.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const plain = await api.admin.request('POST', records, '{"name":"x"}', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(400);
    await stillServing();
  });

  it('an unsupported charset or Content-Encoding → 415 UNSUPPORTED_MEDIA_TYPE, not a 500', async () => {
    const body = JSON.stringify({ name: 'enc' });
    expectProblem(await api.admin.request('POST', records, body, { 'content-type': 'application/json; charset=latin1' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await api.admin.request('POST', records, body, { 'content-encoding': 'compress' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    // What is supported keeps working: +json media types and gzip.
    expect((await api.admin.request('POST', records, body, { 'content-type': 'application/merge-patch+json' })).status).toBe(201);
    const gz = await fetch(api.baseUrl + records, {
      method: 'POST',
      headers: { cookie: api.admin.cookie, 'x-csrf-token': api.admin.jar.get('csrf')!, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(body),
    });
    expect(gz.status).toBe(201);
    await stillServing();
  });

  it('__proto__ and constructor keys in a body neither pollute nor slip through', async () => {
    const res = await api.admin.request('POST', records, '{"name":"p","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(({} as any).polluted).toBeUndefined();
    const app = await api.admin.request('POST', '/api/apps', '{"key":"proto_app","name":"P","__proto__":{"isAdmin":true}}');
    expectProblem(app, 400, 'VALIDATION_FAILED');
    await stillServing();
  });
});
