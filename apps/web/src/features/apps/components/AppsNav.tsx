import { routeHref, type Route } from '../../../app/useHashRoute';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { Loading } from '../../../ui/Loading';
import type { App } from '../api/apps.api';
import { useApps } from '../hooks/useApps';
import { useEntities } from '../hooks/useEntities';

interface AppsNavProps {
  route: Route;
}

/** Sidebar: every app, and under the selected one its entities. */
export function AppsNav({ route }: AppsNavProps) {
  const apps = useApps();

  return (
    <nav className="sidebar" aria-label="Apps">
      <h2 className="sidebar__title">Apps</h2>
      {apps.error && <ErrorMessage error={apps.error} onRetry={apps.reload} />}
      {apps.loading && <Loading />}
      {apps.data?.length === 0 && <p className="sidebar__empty">No apps yet</p>}
      {apps.data && apps.data.length > 0 && (
        <ul className="nav-list">
          {apps.data.map((app) => {
            const selected = String(app.id) === route.appId;
            return (
              <li key={app.id}>
                <a
                  className="nav-link"
                  href={routeHref({ appId: String(app.id), entityId: null })}
                  aria-current={selected ? (route.entityId === null ? 'page' : 'true') : undefined}
                >
                  {app.name}
                </a>
                {selected && <EntityList key={app.id} app={app} selectedEntityId={route.entityId} />}
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}

function EntityList({ app, selectedEntityId }: { app: App; selectedEntityId: string | null }) {
  const entities = useEntities(app.id);
  if (entities.error) return <ErrorMessage error={entities.error} onRetry={entities.reload} />;
  if (!entities.data) return <Loading />;
  if (entities.data.length === 0) return <p className="sidebar__empty sidebar__empty--nested">No entities yet</p>;
  return (
    <ul className="nav-list nav-list--nested" aria-label={`${app.name} entities`}>
      {entities.data.map((entity) => (
        <li key={entity.id}>
          <a
            className="nav-link"
            href={routeHref({ appId: String(app.id), entityId: String(entity.id) })}
            aria-current={String(entity.id) === selectedEntityId ? 'page' : undefined}
          >
            {entity.name}
          </a>
        </li>
      ))}
    </ul>
  );
}
