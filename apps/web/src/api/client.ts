/** One entry of a problem's `errors` list (a failed field, a bad query parameter, ...). */
export interface ProblemFieldError {
  /** A JSON pointer into the request body (`/name`, `/fields/2/key`). */
  path: string;
  code: string;
  message: string;
}

/** An API answer that was not 2xx, carrying the problem+json details the server sent. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly errors: ProblemFieldError[];
  readonly requestId?: string;
  /** The whole problem document, for members some screens read (a workflow's graph `problems`). */
  readonly body: Record<string, unknown>;

  constructor(args: { message: string; code: string; status: number; errors?: ProblemFieldError[]; requestId?: string; body?: Record<string, unknown> }) {
    super(args.message);
    this.name = 'ApiError';
    this.code = args.code;
    this.status = args.status;
    this.errors = args.errors ?? [];
    this.requestId = args.requestId;
    this.body = args.body ?? {};
  }
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Subscribes to 401 answers (the session expired or was revoked); returns the unsubscribe. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

/** Calls the REST API under `/api`; resolves with the parsed JSON (undefined for 204) or throws ApiError. */
export async function apiRequestOrThrow<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  // The server words validation issues in this language; i18n keeps <html lang> on the UI language.
  const language = typeof document === 'undefined' ? '' : document.documentElement.lang;
  if (language) headers['Accept-Language'] = language;
  // Double-submit CSRF: the server set a readable `csrf` cookie at sign-in; writes echo it.
  const method = options.method ?? 'GET';
  const csrf = readCookie('csrf');
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'include',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ message: 'NETWORK_ERROR', code: 'NETWORK_ERROR', status: 0 });
  }

  if (!response.ok) {
    const error = await toApiError(response);
    // A wrong password (sign-in, password change) is an answer, not a lost session.
    if (error.status === 401 && error.code !== 'INVALID_CREDENTIALS') unauthorizedListeners.forEach((listener) => listener());
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const search = params.toString();
  return `/api${path}${search ? `?${search}` : ''}`;
}

async function toApiError(response: Response): Promise<ApiError> {
  const fallback = { message: response.statusText || `Request failed (${response.status})`, code: `HTTP_${response.status}` };
  let problem: Record<string, unknown> = {};
  // Proxies and crashes can answer with HTML; only trust JSON bodies.
  if (/json/i.test(response.headers.get('Content-Type') ?? '')) {
    try {
      problem = (await response.json()) as Record<string, unknown>;
    } catch {
      problem = {};
    }
  }
  return new ApiError({
    message: stringOr(problem.detail, stringOr(problem.title, fallback.message)),
    code: stringOr(problem.code, fallback.code),
    status: typeof problem.status === 'number' ? problem.status : response.status,
    errors: Array.isArray(problem.errors) ? problem.errors.filter(isFieldError) : [],
    requestId: typeof problem.requestId === 'string' ? problem.requestId : undefined,
    body: problem,
  });
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}

function isFieldError(value: unknown): value is ProblemFieldError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.path === 'string' && typeof v.code === 'string' && typeof v.message === 'string';
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
