import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { loginOrThrow, type Session } from '../api/auth.api';

interface LoginFormProps {
  onSignedIn(session: Session): void;
}

export function LoginForm({ onSignedIn }: LoginFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const id = useId();

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      onSignedIn(await loginOrThrow({ email: email.trim(), password }));
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
      setSubmitting(false);
    }
  }

  return (
    <main className="login">
      <form className="login__card" onSubmit={handleSubmit} aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`} className="login__title">
          Sign in
        </h1>
        <p className="login__subtitle">Use the account your workspace admin gave you.</p>
        <div className="form-field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input id={`${id}-email`} type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        {error && <ErrorMessage error={error} />}
        <button type="submit" className="button button--primary" disabled={submitting} aria-busy={submitting}>
          Sign in
        </button>
      </form>
    </main>
  );
}
