import { useCallback, useEffect, useState } from 'react';
import { ApiError, onUnauthorized } from '../../../api/client';
import { getSessionOrThrow, logoutOrThrow, type Session } from '../api/auth.api';

export type SessionState = { status: 'checking' } | { status: 'signed-out' } | { status: 'signed-in'; session: Session } | { status: 'error'; error: Error };

/** GET /auth/me decides whether the user is signed in; any later 401 signs them out. */
export function useSession() {
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    getSessionOrThrow(controller.signal).then(
      (session) => setState({ status: 'signed-in', session }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 401) setState({ status: 'signed-out' });
        else setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  useEffect(() => onUnauthorized(() => setState({ status: 'signed-out' })), []);

  const signedIn = useCallback((session: Session) => setState({ status: 'signed-in', session }), []);

  const signOut = useCallback(async () => {
    try {
      await logoutOrThrow();
    } finally {
      // Even if the call fails the user asked to leave; the cookie is httpOnly so we cannot clear it here.
      setState({ status: 'signed-out' });
    }
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'checking' });
    setAttempt((n) => n + 1);
  }, []);

  return { state, signedIn, signOut, retry };
}
