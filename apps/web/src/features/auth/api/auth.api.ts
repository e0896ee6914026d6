import { api, callOrThrow, type Schema } from '../../../api/client';

/** GET /api/auth/me: who is signed in, in which workspace. */
export type Session = Schema<'Me'>;
export type SessionUser = Session['user'];
export type Workspace = Session['workspace'];

export interface Credentials {
  email: string;
  password: string;
}

export function getSessionOrThrow(signal?: AbortSignal): Promise<Session> {
  return callOrThrow(api.GET('/api/auth/me', { signal }));
}

export function loginOrThrow(credentials: Credentials): Promise<Session> {
  return callOrThrow(api.POST('/api/auth/login', { body: credentials }));
}

export async function logoutOrThrow(): Promise<void> {
  await callOrThrow(api.POST('/api/auth/logout'));
}

export type LinkKind = 'invite' | 'reset';

/** Sets a password through an invite or reset link (`/invite/<token>`, `/reset/<token>`). */
export function acceptLinkOrThrow(args: { kind: LinkKind; token: string; password: string }): Promise<{ email: string | null; username: string | null }> {
  const body = { token: args.token, password: args.password };
  return args.kind === 'invite' ? callOrThrow(api.POST('/api/auth/invite/accept', { body })) : callOrThrow(api.POST('/api/auth/reset', { body }));
}

export function changePasswordOrThrow(body: { currentPassword: string; newPassword: string }): Promise<{ sessionsEnded: number }> {
  return callOrThrow(api.POST('/api/auth/password', { body }));
}
