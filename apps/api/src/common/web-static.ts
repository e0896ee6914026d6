import { readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * Serves the web app's production build (issue 12: "gzip/brotli served, hashed assets cached
 * immutable"). The build writes `x.br` and `x.gz` beside each compressible file (the `precompress`
 * plugin in apps/web/vite.config.ts); a client that accepts brotli gets `x.br`, else gzip gets
 * `x.gz`, else the file itself, each with `Vary: Accept-Encoding`. Files under `assets/` carry a
 * content hash in their name, so they are cached for a year as immutable; everything else
 * (index.html above all) is revalidated on every load, so a new build is seen at once.
 *
 * The compressed files are found once at start-up by walking the build: a request only ever
 * maps to a name in that table, so no URL can reach outside the build through this path.
 */
export interface WebStatic {
  /** The static files, compressed where a compressed copy exists. */
  assets: (req: Request, res: Response, next: NextFunction) => void;
  /** index.html for a client-side route (the SPA fallback), compressed like the rest. */
  page: (req: Request, res: Response, next: NextFunction) => void;
}

const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

export function webStatic(dist: string): WebStatic {
  const compressed = findCompressed(dist);
  const cacheControl = (urlPath: string) => (urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
  const plain = express.static(dist, {
    index: false,
    cacheControl: false,
    setHeaders: (res, file) => {
      const urlPath = `/${relative(dist, file).split(sep).join('/')}`;
      res.setHeader('Cache-Control', cacheControl(urlPath));
      if (compressed.has(urlPath)) res.setHeader('Vary', 'Accept-Encoding');
    },
  });
  const assets = (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const found = compressed.get(req.path);
    const encoding = found && ENCODINGS.find((e) => found.has(e.name) && req.acceptsEncodings(e.name) === e.name);
    if (!found || !encoding) return plain(req, res, next);
    res.setHeader('Content-Encoding', encoding.name);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', cacheControl(req.path));
    res.type(extname(req.path));
    res.sendFile(join(dist, ...req.path.split('/').filter(Boolean)) + encoding.suffix, { cacheControl: false, dotfiles: 'deny' }, (err) => {
      if (err) next(err);
    });
  };
  const page = (req: Request, res: Response, next: NextFunction) => {
    req.url = '/index.html';
    assets(req, res, next);
  };
  return { assets, page };
}

/** `/assets/x.js` → the encodings (`br`, `gzip`) whose files sit beside it in the build. */
function findCompressed(dist: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      const encoding = ENCODINGS.find((e) => name.endsWith(e.suffix));
      if (!encoding) continue;
      const urlPath = `/${relative(dist, full.slice(0, -encoding.suffix.length)).split(sep).join('/')}`;
      const set = out.get(urlPath) ?? new Set<string>();
      set.add(encoding.name);
      out.set(urlPath, set);
    }
  };
  walk(dist);
  return out;
}
