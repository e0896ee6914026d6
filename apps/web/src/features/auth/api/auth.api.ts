import { apiRequestOrThrow } from '../../../api/client';

export interface SessionUser {
  id: number | string;
  email: string;
  name: string;
  isAdmin: boolean;
  /** The member's chosen UI language (profile); absent until they choose one. */
  language?: string | null;
}

export interface Workspace {
  id: number | string;
  name: string;
}

export interface Session {
  user: SessionUser;
  workspace: Workspace;
}

export interface Credentials {
  email: string;
  password: string;
}

export function getSessionOrThrow(signal?: AbortSignal): Promise<Session> {
  return apiRequestOrThrow<Session>('/auth/me', { signal });
}

export function loginOrThrow(credentials: Credentials): Promise<Session> {
  return apiRequestOrThrow<Session>('/auth/login', { method: 'POST', body: credentials });
}

export function logoutOrThrow(): Promise<void> {
  return apiRequestOrThrow<void>('/auth/logout', { method: 'POST' });
}

export type LinkKind = 'invite' | 'reset';

/** Sets a password through an invite or reset link (`/invite/<token>`, `/reset/<token>`). */
export function acceptLinkOrThrow(args: { kind: LinkKind; token: string; password: string }): Promise<{ email: string | null; username: string | null }> {
  return apiRequestOrThrow(args.kind === 'invite' ? '/auth/invite/accept' : '/auth/reset', {
    method: 'POST',
    body: { token: args.token, password: args.password },
  });
}

export function changePasswordOrThrow(body: { currentPassword: string; newPassword: string }): Promise<{ sessionsEnded: number }> {
  return apiRequestOrThrow('/auth/password', { method: 'POST', body });
}
