import { LoginForm } from '../features/auth/components/LoginForm';
import { useSession } from '../features/auth/hooks/useSession';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Loading } from '../ui/Loading';
import { WorkspaceLayout } from './WorkspaceLayout';

export function App() {
  const { state, signedIn, signOut, retry } = useSession();

  switch (state.status) {
    case 'checking':
      return (
        <main className="centered">
          <Loading />
        </main>
      );
    case 'error':
      return (
        <main className="centered">
          <ErrorMessage error={state.error} onRetry={retry} />
        </main>
      );
    case 'signed-out':
      return <LoginForm onSignedIn={signedIn} />;
    case 'signed-in':
      return <WorkspaceLayout session={state.session} onSignOut={signOut} />;
  }
}
