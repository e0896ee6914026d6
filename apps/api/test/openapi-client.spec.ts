import 'reflect-metadata';
import { CUSTOM_ROUTE_ARGS_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
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
