import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/harness';

/**
 * The web build as the server sends it (issue 12: "gzip/brotli served, hashed assets cached
 * immutable"): the precompressed copy the browser accepts, the file itself otherwise; hashed
 * assets for a year, index.html revalidated so a new build is seen at once.
 */
interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serving the web build', () => {
  let api: TestApi;
  let dist: string;
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;
  const html = `<!doctype html><html><head><script type="module" src="/assets/app-Ab12Cd34.js"></script></head><body>${'<!-- pad -->'.repeat(40)}</body></html>`;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'crm-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), html);
    writeFileSync(join(dist, 'index.html.br'), brotliCompressSync(html));
    writeFileSync(join(dist, 'index.html.gz'), gzipSync(html));
    writeFileSync(join(dist, 'assets', 'app-Ab12Cd34.js'), script);
    writeFileSync(join(dist, 'assets', 'app-Ab12Cd34.js.br'), brotliCompressSync(script));
    writeFileSync(join(dist, 'assets', 'app-Ab12Cd34.js.gz'), gzipSync(script));
    writeFileSync(join(dist, 'assets', 'logo-Zz99.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    api = await startApi({ env: { WEB_DIST: dist } });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('sends brotli to a browser that accepts it, gzip to one that accepts only gzip, the file itself otherwise', async () => {
    const br = await get(api.baseUrl, '/assets/app-Ab12Cd34.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    expect(br.body.length).toBeLessThan(script.length / 4);

    const gz = await get(api.baseUrl, '/assets/app-Ab12Cd34.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);

    const plain = await get(api.baseUrl, '/assets/app-Ab12Cd34.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.body.toString()).toBe(script);

    // br;q=0 refuses brotli explicitly.
    const noBr = await get(api.baseUrl, '/assets/app-Ab12Cd34.js', { 'accept-encoding': 'br;q=0, gzip' });
    expect(noBr.headers['content-encoding']).toBe('gzip');

    const head = await get(api.baseUrl, '/assets/app-Ab12Cd34.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.body.length).toBe(0);
  });

  it('caches hashed assets for a year as immutable and revalidates index.html and the other files', async () => {
    for (const path of ['/assets/app-Ab12Cd34.js', '/assets/logo-Zz99.png']) {
      for (const enc of ['br', 'identity']) {
        const r = await get(api.baseUrl, path, { 'accept-encoding': enc });
        expect(r.status, path).toBe(200);
        expect(r.headers['cache-control'], `${path} ${enc}`).toBe('public, max-age=31536000, immutable');
      }
    }
    const favicon = await get(api.baseUrl, '/favicon.svg');
    expect(favicon.headers['cache-control']).toBe('no-cache');
    expect(favicon.headers['content-encoding']).toBeUndefined();
  });

  it('answers a client-side route with index.html, compressed and revalidated; an unknown asset and /api stay 404', async () => {
    for (const path of ['/', '/apps/1/entities/2', '/index.html']) {
      const r = await get(api.baseUrl, path, { 'accept-encoding': 'gzip, br' });
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type'], path).toMatch(/^text\/html/);
      expect(r.headers['content-encoding'], path).toBe('br');
      expect(r.headers['cache-control'], path).toBe('no-cache');
      expect(brotliDecompressSync(r.body).toString(), path).toBe(html);
    }
    const plain = await get(api.baseUrl, '/apps/1', {});
    expect(plain.body.toString()).toBe(html);

    expect((await get(api.baseUrl, '/assets/missing-123.js', { 'accept-encoding': 'br' })).status).toBe(404);
    const unknownApi = await get(api.baseUrl, '/api/no-such-route', { 'accept-encoding': 'br' });
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers['content-type']).toMatch(/json/);
  });

  it('does not serve files outside the build, whatever the encoding asked for', async () => {
    for (const path of ['/../package.json', '/assets/..%2f..%2fpackage.json', '/%2e%2e/index.html.br', '/index.html.br/..%2f..%2fetc/passwd']) {
      const r = await get(api.baseUrl, path, { 'accept-encoding': 'br, gzip' });
      expect(r.body.toString(), path).not.toContain('"dependencies"');
      expect(r.body.toString(), path).not.toContain('root:');
    }
  });
});
