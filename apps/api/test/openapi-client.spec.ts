import 'reflect-metadata';
import { CUSTOM_ROUTE_ARGS_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiProblem, createApiClient, readCsrfCookie, unwrap } from '../../../packages/api-client/src/index';
import { readCommittedFiles, renderClientFiles } from '../../../packages/api-client/scripts/render.mjs';
import { IS_PUBLIC } from '../src/common/request-context';
import { ADMIN, startApi, type TestApi } from './support/harness';

// Route-argument kinds as Nest stores them (RouteParamtypes): body, query, path param, uploaded file.
const BODY = 3;
const QUERY = 4;
const PARAM = 5;
const FILE = 8;

interface NestRoute {
  method: string;
  path: string;
  handler: string;
  isPublic: boolean;
  body: boolean;
  wholeQuery: boolean;
  queries: string[];
  params: string[];
}

/** Every route Nest registered, read from the controllers' metadata (no hand-kept list). */
function nestRoutes(api: TestApi): NestRoute[] {
  const routes: NestRoute[] = [];
  const controllers = new Set<new (...a: never[]) => unknown>();
  for (const mod of api.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) if (wrapper.metatype) controllers.add(wrapper.metatype as new (...a: never[]) => unknown);
  }
  {
    for (const ctrl of controllers) {
      const base = String(Reflect.getMetadata(PATH_METADATA, ctrl) ?? '');
      for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
        const fn = (ctrl.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, fn);
        if (sub === undefined) continue;
        const args = Object.entries<{ data?: unknown }>(Reflect.getMetadata(ROUTE_ARGS_METADATA, ctrl, name) ?? {})
          .filter(([k]) => !k.includes(CUSTOM_ROUTE_ARGS_METADATA))
          .map(([k, v]) => ({ kind: Number(k.split(':')[0]), data: v.data as string | undefined }));
        const path = ['/api', base, String(sub)]
          .join('/')
          .replace(/\/+/g, '/')
          .replace(/\/$/, '')
          .replace(/:(\w+)/g, '{$1}');
        routes.push({
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn) as number].toLowerCase(),
          path,
          handler: `${ctrl.name}.${name}`,
          isPublic: !!(Reflect.getMetadata(IS_PUBLIC, fn) ?? Reflect.getMetadata(IS_PUBLIC, ctrl)),
          body: args.some((a) => a.kind === BODY || a.kind === FILE),
          wholeQuery: args.some((a) => a.kind === QUERY && !a.data),
          queries: args.filter((a) => a.kind === QUERY && a.data).map((a) => a.data!),
          params: args.filter((a) => a.kind === PARAM).map((a) => a.data!),
        });
      }
    }
  }
  return routes;
}

/** A schema that says something: a type, a reference, or a composition. */
const meaningful = (s: any): boolean => !!s && (typeof s.type === 'string' || Array.isArray(s.type) || !!s.$ref || !!s.oneOf || !!s.anyOf || !!s.allOf);

describe('the OpenAPI document is complete enough for a typed client', () => {
  let api: TestApi;
  let doc: any;
  beforeAll(async () => {
    api = await startApi();
    doc = (await api.client().get('/api/openapi.json')).body;
  });
  afterAll(async () => api?.close());

  it('lists exactly the routes Nest serves, each with a stable, unique operationId', () => {
    const routes = nestRoutes(api);
    expect(routes.length).toBeGreaterThan(50);
    const inDoc = Object.entries<any>(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`));
    const served = routes.map((r) => `${r.method} ${r.path}`);
    expect(
      served.filter((r) => !inDoc.includes(r)),
      'served but not in the document',
    ).toEqual([]);
    expect(
      inDoc.filter((r) => !served.includes(r)),
      'in the document but not served',
    ).toEqual([]);
    expect(new Set(served).size, 'a route served twice').toBe(served.length);
    const ids = Object.values<any>(doc.paths).flatMap((item) => Object.values<any>(item).map((op) => op.operationId));
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every route has request schemas (path, query, body) and a schema for every answer, problems included', () => {
    const missing: string[] = [];
    for (const r of nestRoutes(api)) {
      const op = doc.paths[r.path]?.[r.method];
      const at = `${r.method.toUpperCase()} ${r.path} (${r.handler})`;
      if (!op) continue; // the test above names it
      const params: any[] = op.parameters ?? [];
      for (const name of [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        const p = params.find((x) => x.in === 'path' && x.name === name);
        if (!p || !meaningful(p.schema)) missing.push(`${at}: path parameter ${name} has no schema`);
      }
      for (const name of r.queries) {
        const p = params.find((x) => x.in === 'query' && x.name === name);
        if (!p || !meaningful(p.schema)) missing.push(`${at}: query parameter ${name} has no schema`);
      }
      if (r.wholeQuery && !params.some((x) => x.in === 'query')) missing.push(`${at}: reads the query string but documents no query parameter`);
      for (const p of params) if (!meaningful(p.schema)) missing.push(`${at}: parameter ${p.in} ${p.name} has no schema`);
      if (r.body) {
        const content = op.requestBody?.content ?? {};
        if (!Object.values<any>(content).some((c) => meaningful(c.schema))) missing.push(`${at}: reads a body but documents no body schema`);
      } else if (op.requestBody) missing.push(`${at}: documents a body it does not read`);
      const statuses = Object.keys(op.responses ?? {});
      const ok = statuses.filter((s) => /^2/.test(s));
      if (ok.length !== 1) missing.push(`${at}: ${ok.length} success answers documented (want exactly one)`);
      for (const s of ok) {
        const content = op.responses[s].content;
        if (s === '204') {
          if (content) missing.push(`${at}: 204 with a body`);
        } else if (!content || !Object.values<any>(content).some((c) => meaningful(c.schema))) missing.push(`${at}: answer ${s} has no schema`);
      }
      const problems = r.isPublic ? ['400', '404'] : ['400', '401', '403', '404'];
      for (const s of problems) {
        if (op.responses?.[s]?.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem')
          missing.push(`${at}: no ${s} problem details`);
      }
      for (const s of statuses.filter((x) => /^[45]/.test(x))) {
        if (!op.responses[s].content?.['application/problem+json']) missing.push(`${at}: answer ${s} is not problem details`);
      }
      if (r.isPublic !== (Array.isArray(op.security) && op.security.length === 0)) missing.push(`${at}: security does not say whether it is public`);
    }
    expect(missing).toEqual([]);
  });

  it('every $ref points at a schema of the document', () => {
    const refs = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref') refs.add(String(x));
          else walk(x);
        }
    };
    walk(doc);
    const dangling = [...refs].filter((r) => !doc.components.schemas[r.replace('#/components/schemas/', '')]);
    expect(dangling).toEqual([]);
  });

  it('the committed packages/api-client files are what the running API generates (run `npm run openapi`)', async () => {
    const fresh = await renderClientFiles(doc);
    const committed = readCommittedFiles();
    expect(committed.json, 'packages/api-client/openapi.json is stale: run `npm run openapi`').toBe(fresh.json);
    expect(committed.dts, 'packages/api-client/src/openapi.d.ts is stale: run `npm run openapi`').toBe(fresh.dts);
  });
});

describe('@crm/api-client against the real API', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.close());

  /** A fetch that keeps cookies like a browser (Node's fetch has no cookie jar). */
  function browserFetch() {
    const jar = new Map<string, string>();
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const f = async (req: Request): Promise<Response> => {
      const headers = new Headers(req.headers);
      if (jar.size) headers.set('cookie', cookie());
      const res = await fetch(new Request(req, { headers }));
      for (const sc of res.headers.getSetCookie()) {
        const [k, ...v] = sc.split(';')[0].split('=');
        if (v.join('=')) jar.set(k.trim(), v.join('='));
        else jar.delete(k.trim());
      }
      return res;
    };
    return { fetch: f, cookie };
  }

  it('signs in, sends the CSRF header on writes, and throws problem details with their code', async () => {
    const browser = browserFetch();
    const client = createApiClient({ baseUrl: api.baseUrl, fetch: browser.fetch, csrfToken: () => readCsrfCookie(browser.cookie()) });
    const login = await unwrap(client.POST('/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } }));
    expect(login.user.email).toBe(ADMIN.email);
    const app = await unwrap(client.POST('/api/apps', { body: { key: 'sales', name: 'Sales' } }));
    expect(app).toMatchObject({ key: 'sales', name: 'Sales' });
    const read = await unwrap(client.GET('/api/apps/{appId}', { params: { path: { appId: app.id } } }));
    expect(read.id).toBe(app.id);

    const dup = await unwrap(client.POST('/api/apps', { body: { key: 'sales', name: 'Again' } })).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ApiProblem);
    expect((dup as ApiProblem).status).toBe(409);
    expect((dup as ApiProblem).code).toBe('DUPLICATE_KEY');

    // Without the CSRF header the same cookie write is refused: the wrapper is what sends it.
    const bare = createApiClient({ baseUrl: api.baseUrl, fetch: browser.fetch, csrfToken: () => undefined });
    const refused = await unwrap(bare.POST('/api/apps', { body: { key: 'other', name: 'Other' } })).catch((e: unknown) => e);
    expect((refused as ApiProblem).code).toBe('CSRF_FAILED');

    const invalid = await unwrap(client.POST('/api/apps', { body: { key: 'Bad Key', name: '' } })).catch((e: unknown) => e);
    expect((invalid as ApiProblem).code).toBe('VALIDATION_FAILED');
    expect((invalid as ApiProblem).issues.length).toBeGreaterThan(0);
    expect((invalid as ApiProblem).issues[0]).toEqual({ path: expect.stringMatching(/^\/(key|name)$/), code: expect.any(String), message: expect.any(String) });
  });

  it('with an API token it sends the bearer header and no cookie is needed', async () => {
    const created = await api.admin.post('/api/tokens', { name: 'client test' });
    expect(created.status).toBe(201);
    const client = createApiClient({ baseUrl: api.baseUrl, token: created.body.token });
    const me = await unwrap(client.GET('/api/auth/me'));
    expect(me.user.email).toBe(ADMIN.email);
    const anonymous = createApiClient({ baseUrl: api.baseUrl });
    const err = await unwrap(anonymous.GET('/api/auth/me')).catch((e: unknown) => e);
    expect((err as ApiProblem).status).toBe(401);
    expect((err as ApiProblem).code).toBe('UNAUTHENTICATED');
  });
});

describe('what the API answers matches the schemas it documents', () => {
  let api: TestApi;
  let doc: any;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  beforeAll(async () => {
    api = await startApi();
    doc = (await api.client().get('/api/openapi.json')).body;
  });
  afterAll(async () => api?.close());

  /** Calls a route and checks the answer against the document's schema for that operation and status. */
  async function call(method: string, template: string, params: Record<string, string | number>, body?: unknown, query = ''): Promise<any> {
    const path = template.replace(/\{(\w+)\}/g, (_m, k) => String(params[k]));
    const res = await api.admin.request(method.toUpperCase(), path + query, body);
    const op = doc.paths[template]?.[method];
    expect(op, `${method} ${template} documented`).toBeDefined();
    const answer = op.responses[String(res.status)];
    expect(answer, `${method} ${template} answered ${res.status}, which is not documented: ${JSON.stringify(res.body)}`).toBeDefined();
    const media = answer.content?.['application/json'] ?? answer.content?.['application/problem+json'];
    if (res.status === 204) expect(media).toBeUndefined();
    else {
      const validate = ajv.compile({ ...media.schema, components: doc.components });
      expect(validate(res.body) ? [] : validate.errors, `${method} ${template} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toEqual([]);
    }
    return res.body;
  }

  it('for the main reads and writes of every area', async () => {
    const app = await call('post', '/api/apps', {}, { key: 'crm', name: 'CRM' });
    await call('get', '/api/apps', {});
    await call('patch', '/api/apps/{appId}', { appId: app.id }, { name: 'CRM 2' });
    const customer = await call(
      'post',
      '/api/apps/{appId}/entities',
      { appId: app.id },
      { key: 'customer', name: 'Customer', fields: [{ key: 'name', label: 'Name', type: 'text' }] },
    );
    const deal = await call(
      'post',
      '/api/apps/{appId}/entities',
      { appId: app.id },
      {
        key: 'deal',
        name: 'Deal',
        fields: [
          { key: 'title', label: 'Title', type: 'text', required: true },
          { key: 'amount', label: 'Amount', type: 'number' },
          { key: 'customer', label: 'Customer', type: 'relation', settings: { target: customer.id } },
        ],
      },
    );
    const e = { entityId: deal.id };
    await call('get', '/api/apps/{appId}/entities', { appId: app.id });
    await call('get', '/api/entities/{entityId}', e);
    await call('get', '/api/entities/{entityId}/schema', e);
    await call('post', '/api/entities/{entityId}/fields', e, { key: 'note', label: 'Note', type: 'textarea' });
    await call('delete', '/api/entities/{entityId}/fields/{key}', { ...e, key: 'note' });
    const c1 = await call('post', '/api/entities/{entityId}/records', { entityId: customer.id }, { name: 'ACME' });
    const r1 = await call('post', '/api/entities/{entityId}/records', e, { title: 'Big deal', amount: 10, customer: c1.id });
    await call('post', '/api/entities/{entityId}/records/bulk', e, { records: [{ title: 'A' }, { title: 'B' }] });
    await call('get', '/api/entities/{entityId}/records', e, undefined, '?limit=2&expand=customer');
    await call('post', '/api/entities/{entityId}/records/query', e, { filter: { '>': [{ var: 'amount' }, 1] } });
    await call('get', '/api/entities/{entityId}/records/count', e);
    await call('get', '/api/entities/{entityId}/records/{id}', { ...e, id: r1.id });
    await call('patch', '/api/entities/{entityId}/records/{id}', { ...e, id: r1.id }, { version: r1.version, amount: 20 });
    await call('patch', '/api/entities/{entityId}/records/{id}', { ...e, id: r1.id }, { version: r1.version, amount: 30 }); // stale: 409
    await call('get', '/api/entities/{entityId}/records/{id}/history', { ...e, id: r1.id });
    await call('post', '/api/entities/{entityId}/records/bulk-update', e, { all: true, values: { amount: 5 } });
    await call('get', '/api/entities/{entityId}/fields/{key}/options', { ...e, key: 'customer' });
    await call('get', '/api/entities/{entityId}/records/{id}/related', { entityId: customer.id, id: c1.id }, undefined, `?entityId=${deal.id}&field=customer`);
    await call('delete', '/api/entities/{entityId}/records/{id}', { ...e, id: r1.id });
    await call('get', '/api/entities/{entityId}/recycle-bin', e);
    await call('post', '/api/entities/{entityId}/records/{id}/restore', { ...e, id: r1.id });
    await call('post', '/api/entities/{entityId}/records', e, { title: '' }); // 400 with issues
    await call('get', '/api/entities/{entityId}/records/{id}', { ...e, id: 999999 }); // 404

    await call('put', '/api/entities/{entityId}/form', e, { layout: [], fields: {} });
    await call('post', '/api/entities/{entityId}/form/publish', e);
    await call('get', '/api/entities/{entityId}/form', e);
    await call('get', '/api/entities/{entityId}/form/versions/{version}', { ...e, version: 1 });
    await call('get', '/api/entities/{entityId}/form/schema', e, undefined, '?locale=zh-CN');
    const link = await call('post', '/api/entities/{entityId}/form/public-link', e, { exposedFields: ['title'] });
    await call('get', '/api/entities/{entityId}/form/public-link', e);
    await call('patch', '/api/entities/{entityId}/form/public-link', e, { enabled: true });
    await call('get', '/api/public/forms/{token}', { token: link.token });
    await call('post', '/api/public/forms/{token}/submit', { token: link.token }, { title: 'From outside' });

    const dept = await call('post', '/api/departments', {}, { name: 'Sales' });
    const role = await call('post', '/api/roles', {}, { name: 'Reps' });
    const invited = await call('post', '/api/members', {}, { email: 'rep@example.com', name: 'Rep', departmentIds: [dept.id], roleIds: [role.id] });
    await call('get', '/api/members', {});
    await call('get', '/api/members/{id}', { id: invited.member.id });
    await call('patch', '/api/members/{id}', { id: invited.member.id }, { name: 'Rep One' });
    await call('post', '/api/members/{id}/reset-password', { id: invited.member.id }, {});
    await call('get', '/api/departments', {});
    await call('get', '/api/departments/{id}', { id: dept.id });
    await call('put', '/api/departments/{id}/members', { id: dept.id }, { userIds: [invited.member.id] });
    await call('get', '/api/roles', {});
    await call('get', '/api/roles/{id}', { id: role.id });
    await call('put', '/api/apps/{appId}/admins', { appId: app.id }, { userIds: [invited.member.id] });
    await call('get', '/api/apps/{appId}/admins', { appId: app.id });
    const group = await call('post', '/api/entities/{entityId}/permission-groups', e, { name: 'Reps', preset: 'manage_own', roles: [role.id] });
    await call('get', '/api/entities/{entityId}/permission-groups', e);
    await call('patch', '/api/permission-groups/{id}', { id: group.id }, { name: 'Sales reps' });
    const token = await call('post', '/api/tokens', {}, { name: 'script', readOnly: true });
    await call('get', '/api/tokens', {});
    await call('delete', '/api/tokens/{id}', { id: token.id });
    await call('get', '/api/audit', {}, undefined, '?limit=5');
    await call('get', '/api/auth/me', {});
    await call('get', '/api/health', {});
    await call('get', '/api/health/ready', {});
  });
});
