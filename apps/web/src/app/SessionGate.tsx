import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../features/auth/hooks/useSession';
import { changeLanguage } from '../i18n/i18n';
import { toLanguage } from '../i18n/languages';
import { ErrorState, LoadingState } from '../ui/states';

/** Everything but the sign-in pages needs a session; without one, go to sign-in and come back after. */
export function SessionGate() {
  const session = useSession();
  const location = useLocation();
  const profileLanguage = toLanguage(session.data?.user.language);

  // The member's profile language wins over the browser's once we know who they are.
  useEffect(() => {
    if (profileLanguage) void changeLanguage(profileLanguage);
  }, [profileLanguage]);

  if (session.isPending) return <LoadingState />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
