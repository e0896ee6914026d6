import { apiRequestOrThrow } from '../../../api/client';

export interface SessionUser {
  id: number | string;
  email: string;
  name: string;
  isAdmin: boolean;
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
