import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC } from '../../src/common/request-context';

export interface RouteInfo {
  /** `GET /api/apps/:appId`: the key of the route-access expectations. */
  key: string;
  method: string;
  path: string;
  isPublic: boolean;
  controller: string;
  handler: string;
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [v === undefined ? '' : String(v)]);
const join = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

/**
 * Every HTTP route the application serves, read from Nest's own metadata (the controllers of
 * every module in the container and their decorated handlers), not from a hand-kept list and
 * not from the HTTP adapter, so it holds for Express and Fastify alike. `prefix` is the global
 * prefix set in server.ts.
 */
export function listRoutes(app: INestApplication, prefix = 'api'): RouteInfo[] {
  const out = new Map<string, RouteInfo>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!ctrl) continue;
      const bases = asList(Reflect.getMetadata(PATH_METADATA, ctrl));
      const classPublic = Reflect.getMetadata(IS_PUBLIC, ctrl) === true;
      const proto = ctrl.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const fn = proto[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (method === undefined) continue;
        for (const base of bases)
          for (const sub of asList(Reflect.getMetadata(PATH_METADATA, fn))) {
            const path = join(prefix, base, sub);
            const verb = RequestMethod[method];
            const key = `${verb} ${path}`;
            out.set(key, {
              key,
              method: verb,
              path,
              isPublic: classPublic || Reflect.getMetadata(IS_PUBLIC, fn) === true,
              controller: ctrl.name,
              handler: name,
            });
          }
      }
    }
  }
  return [...out.values()].sort((a, b) => a.key.localeCompare(b.key));
}
