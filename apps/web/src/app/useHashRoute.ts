import { useSyncExternalStore } from 'react';

/** What the URL hash selects: `#/apps/:appId` or `#/apps/:appId/entities/:entityId`. */
export interface Route {
  appId: string | null;
  entityId: string | null;
}

export function parseRoute(hash: string): Route {
  const match = /^#\/apps\/([^/]+)(?:\/entities\/([^/]+))?\/?$/.exec(hash);
  if (!match) return { appId: null, entityId: null };
  return { appId: decodeURIComponent(match[1]!), entityId: match[2] ? decodeURIComponent(match[2]) : null };
}

export function routeHref(route: Route): string {
  if (route.appId === null) return '#/';
  const app = `#/apps/${encodeURIComponent(route.appId)}`;
  return route.entityId === null ? app : `${app}/entities/${encodeURIComponent(route.entityId)}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
