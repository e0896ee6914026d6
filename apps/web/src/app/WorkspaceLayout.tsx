import { useState } from 'react';
import type { Session } from '../features/auth/api/auth.api';
import { AppsNav } from '../features/apps/components/AppsNav';
import { RecordsView } from '../features/records/components/RecordsView';
import { EmptyState } from '../ui/EmptyState';
import { useHashRoute } from './useHashRoute';

interface WorkspaceLayoutProps {
  session: Session;
  onSignOut(): Promise<void>;
}

export function WorkspaceLayout({ session, onSignOut }: WorkspaceLayoutProps) {
  const route = useHashRoute();
  const [signingOut, setSigningOut] = useState(false);

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await onSignOut();
    } catch {
      setSigningOut(false);
    }
    // Leave no selection behind for the next person who signs in on this tab.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }

  return (
    <div className="layout">
      <header className="topbar">
        <h1 className="topbar__workspace">{session.workspace.name}</h1>
        <div className="topbar__user">
          <span className="topbar__email">{session.user.email}</span>
          <button type="button" className="button button--ghost" onClick={handleSignOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      <AppsNav route={route} />
      <main className="content">
        {route.entityId !== null ? (
          <RecordsView key={route.entityId} entityId={route.entityId} />
        ) : (
          <EmptyState title={route.appId === null ? 'Choose an app' : 'Choose an entity'}>
            <p>{route.appId === null ? 'Pick an app in the sidebar to see its entities.' : 'Pick an entity in the sidebar to browse its records.'}</p>
          </EmptyState>
        )}
      </main>
    </div>
  );
}
