/** A tiny API client for seeding: signs in once and sends the session cookie on every call. */
export interface SeedApi {
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export async function signInApi({ baseUrl, email, password }: { baseUrl: string; email: string; password: string }): Promise<SeedApi> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`POST /api/auth/login answered ${login.status}: ${await login.text()}`);
  const sid = login.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .find((pair) => pair.startsWith('sid='));
  if (!sid) throw new Error(`POST /api/auth/login set no sid cookie (Set-Cookie: ${login.headers.getSetCookie().join(' | ')})`);
  const csrf = login.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .find((pair) => pair.startsWith('csrf='));

  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${baseUrl}/api${path}`, {
        method,
        headers: {
          Cookie: [sid, csrf].filter(Boolean).join('; '),
          ...(method !== 'GET' && csrf ? { 'X-CSRF-Token': csrf.slice('csrf='.length) } : {}),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} /api${path} answered ${response.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}
