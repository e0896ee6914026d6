import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';
import { listIds, qs } from './support/records';

const FIELDS = [
  { key: 'title', label: 'Title', type: 'text' },
  { key: 'stars', label: 'Stars', type: 'rating', settings: { max: 10 } },
  { key: 'spot', label: 'Spot', type: 'location' },
  { key: 'notes', label: 'Notes', type: 'richtext' },
  { key: 'addr', label: 'Address', type: 'address' },
  { key: 'region', label: 'Region', type: 'address', settings: { level: 'city', detail: false } },
];

const NANSHAN = { province: '440000', city: '440300', district: '440305', detail: '科技园 1 号' };
const FUTIAN = { province: '440000', city: '440300', district: '440304' };
const TIANHE = { province: '440000', city: '440100', district: '440106' };
const DONGCHENG = { province: '110000', city: '110100', district: '110101' };

/** Stored-XSS payloads of the usual families; none may come back able to run. */
const XSS = [
  '<script>alert(1)</script><p>safe</p>',
  '<img src=x onerror="alert(1)">',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="JaVaScRiPt&#58;alert(1)">click</a>',
  '<svg onload="alert(1)"><circle r="1"/></svg>',
  '<p style="background:url(javascript:alert(1)); width: expression(alert(1)); color: red">styled</p>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<a href="data:text/html,<script>alert(1)</script>">data</a>',
  '<iframe src="https://evil.example"></iframe><object data="x"></object><embed src="x">',
  '<style>body{background:url(javascript:alert(1))}</style><form action="https://evil.example"><input name=a></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<p onclick="alert(1)" onmouseover="alert(1)">hover</p>',
];

describe('rating, location, rich text and address fields', () => {
  let api: TestApi;
  let e: { id: string };
  let url: string;
  beforeAll(async () => {
    api = await startApi();
    e = await makeEntity(api.admin, FIELDS);
    url = `/api/entities/${e.id}/records`;
  });
  afterAll(async () => api?.close());

  it('stores and returns each type, with the address text in zh-CN', async () => {
    const res = await api.admin.post(url, {
      title: 'a',
      stars: 7,
      spot: { lat: 22.5431, lng: 114.0579, label: '深圳市民中心' },
      notes: '<p>Hello <strong>world</strong> &amp; you</p>',
      addr: NANSHAN,
      region: { province: '110000', city: '110100' },
    });
    expect(res.status).toBe(201);
    const read = (await api.admin.get(`${url}/${res.body.id}`)).body;
    expect(read.stars).toBe(7);
    expect(read.spot).toEqual({ lat: 22.5431, lng: 114.0579, label: '深圳市民中心' });
    expect(read.notes).toBe('<p>Hello <strong>world</strong> &amp; you</p>');
    expect(read.addr).toEqual({ ...NANSHAN, text: '广东省深圳市南山区 科技园 1 号' });
    expect(read.region).toEqual({ province: '110000', city: '110100', text: '北京市' });
    // Sending back what was read changes nothing and is accepted.
    const again = await api.admin.patch(`${url}/${read.id}`, { version: read.version, addr: read.addr, region: read.region });
    expect(again.status).toBe(200);
  });

  it('refuses bad values with the path and a stable code, and stores nothing', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ stars: 11 }, '/stars', 'too_large'],
      [{ stars: 0 }, '/stars', 'too_small'],
      [{ stars: 3.5 }, '/stars', 'invalid_type'],
      [{ spot: { lat: 91, lng: 0 } }, '/spot/lat', 'too_large'],
      [{ spot: { lat: 0, lng: -181 } }, '/spot/lng', 'too_small'],
      [{ spot: { lat: 0 } }, '/spot/lng', 'required'],
      [{ addr: { ...NANSHAN, city: '440100' } }, '/addr', 'invalid_region'],
      [{ addr: { province: '440000', city: '440300' } }, '/addr', 'invalid_region'],
      [{ addr: { province: '999999', city: '440300', district: '440305' } }, '/addr', 'invalid_region'],
      [{ region: { province: '110000', city: '110100', district: '110101' } }, '/region', 'invalid_region'],
      [{ region: { province: '110000', city: '110100', detail: 'x' } }, '/region/detail', 'unknown_field'],
      [{ notes: 42 }, '/notes', 'invalid_type'],
    ];
    for (const [body, path, code] of cases) {
      const res = await api.admin.post(url, { title: 'bad', ...body });
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(problem.errors.map((x: { path: string; code: string }) => `${x.path} ${x.code}`)).toContain(`${path} ${code}`);
    }
    expect(await listIds(api.admin, e.id, { filter: { '==': [{ var: 'title' }, 'bad'] } })).toEqual([]);
  });

  it('rich text comes back inert whatever was sent', async () => {
    const res = await api.admin.post(`${url}/bulk`, { records: XSS.map((notes, i) => ({ title: `x${i}`, notes })) });
    expect(res.status).toBe(201);
    for (const id of res.body.ids) {
      const html: string = (await api.admin.get(`${url}/${id}`)).body.notes ?? '';
      expect(html).not.toMatch(/<script|<svg|<iframe|<object|<embed|<style|<form|<input|<math/i);
      expect(html).not.toMatch(/\son\w+\s*=/i);
      expect(html).not.toMatch(/javascript:|data:|expression\(|url\(/i);
    }
    const styled = await api.admin.get(`${url}/${res.body.ids[5]}`);
    expect(styled.body.notes).toBe('<p style="color:red">styled</p>');
    // Through an update too.
    const rec = (await api.admin.get(`${url}/${res.body.ids[0]}`)).body;
    const upd = await api.admin.patch(`${url}/${rec.id}`, { version: rec.version, notes: '<b onmouseover=alert(1)>x</b><script>x</script>' });
    expect(upd.status).toBe(200);
    expect((await api.admin.get(`${url}/${rec.id}`)).body.notes).toBe('<b>x</b>');
  });

  it('filters: rating as a number, rich text by its text, address by province or city', async () => {
    const e2 = await makeEntity(api.admin, FIELDS);
    const u = `/api/entities/${e2.id}/records`;
    const make = async (body: Record<string, unknown>) => (await api.admin.post(u, body)).body.id as number;
    const a = await make({ title: 'a', stars: 2, addr: NANSHAN, notes: '<p>Quarterly <b>rep</b>ort for ACME &amp; Co</p>' });
    const b = await make({ title: 'b', stars: 9, addr: FUTIAN, notes: '<p>nothing <a href="https://report.example">here</a></p>' });
    const c = await make({ title: 'c', stars: 5, addr: TIANHE, notes: '<p>a &lt;b&gt; tag in text</p>' });
    const d = await make({ title: 'd', addr: DONGCHENG });
    const ids = (filter: unknown) => listIds(api.admin, e2.id, { filter, sort: 'id' });
    expect(await ids({ '>=': [{ var: 'stars' }, 5] })).toEqual([b, c]);
    expect(await ids({ '<=': [1, { var: 'stars' }, 5] })).toEqual([a, c]);
    expect(await ids({ is_empty: [{ var: 'stars' }] })).toEqual([d]);
    // Text across tags matches; markup (tag names, attributes) does not.
    expect(await ids({ contains: [{ var: 'notes' }, 'report'] })).toEqual([a]);
    expect(await ids({ contains: [{ var: 'notes' }, 'acme & co'] })).toEqual([a]);
    expect(await ids({ contains: [{ var: 'notes' }, 'href'] })).toEqual([]);
    expect(await ids({ contains: [{ var: 'notes' }, '<b>'] })).toEqual([c]);
    expect(await ids({ '!': { contains: [{ var: 'notes' }, 'report'] } })).toEqual([b, c, d]);
    expect(await ids({ in_region: [{ var: 'addr' }, '440000'] })).toEqual([a, b, c]);
    expect(await ids({ in_region: [{ var: 'addr' }, '440300'] })).toEqual([a, b]);
    expect(await ids({ in_region: [{ var: 'addr' }, '440305'] })).toEqual([a]);
    expect(await ids({ in_region: [{ var: 'addr' }, '110100'] })).toEqual([d]);
    expect(await ids({ '!': { in_region: [{ var: 'addr' }, '440300'] } })).toEqual([c, d]);
    expect(await ids({ is_empty: [{ var: 'spot' }] })).toEqual([a, b, c, d]);
    const bad = await api.admin.get(`${u}${qs({ filter: { in_region: [{ var: 'addr' }, 'Guangdong'] } })}`);
    expect(bad.status).toBe(400);
    const wrongOp = await api.admin.get(`${u}${qs({ filter: { '==': [{ var: 'addr' }, '440000'] } })}`);
    expect(wrongOp.status).toBe(400);
    const sorted = await listIds(api.admin, e2.id, { sort: '-stars' });
    expect(sorted.slice(0, 3)).toEqual([b, c, a]);
  });

  it('checks settings at design time', async () => {
    const app = await api.admin.post('/api/apps', { key: 'a_ft_settings', name: 'S' });
    const bad: [Record<string, unknown>, string][] = [
      [{ key: 'r', label: 'R', type: 'rating', settings: { max: 7 } }, '/fields/0/settings/max'],
      [{ key: 'r', label: 'R', type: 'address', settings: { level: 'street' } }, '/fields/0/settings/level'],
      [{ key: 'r', label: 'R', type: 'richtext', settings: { maxLength: 0 } }, '/fields/0/settings/maxLength'],
      [{ key: 'r', label: 'R', type: 'location', settings: { zoom: 3 } }, '/fields/0/settings/zoom'],
      [{ key: 'r', label: 'R', type: 'rating', unique: true }, '/fields/0/unique'],
    ];
    for (const [field, path] of bad) {
      const res = await api.admin.post(`/api/apps/${app.body.id}/entities`, { key: 'e_bad', name: 'Bad', fields: [field] });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(['INVALID_SETTINGS', 'VALIDATION_FAILED', 'INVALID_FIELD']).toContain(res.body.code);
      expect((res.body.errors ?? [{ path: res.body.path }]).map((x: { path: string }) => x.path)).toContain(path);
    }
  });
});
