import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './openapi';

export type { components, operations, paths };
/** A named schema of the API, e.g. `Schema<'App'>`. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];
export type Problem = components['schemas']['Problem'];
export type ProblemIssue = components['schemas']['Issue'];
export type ApiClient = Client<paths>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** An answer that was not 2xx: the API's problem details (RFC 9457) with its stable `code`. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiProblem';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** The field-level issues (`path` is a JSON pointer into the request body). */
  get issues(): ProblemIssue[] {
    return this.problem.errors ?? [];
  }
}

/** The `csrf` cookie's value (the API wants it back in `X-CSRF-Token` on every cookie write). */
export function readCsrfCookie(cookie: string = (globalThis as { document?: { cookie?: string } }).document?.cookie ?? ''): string | undefined {
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === 'csrf') return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export interface ApiClientOptions extends Pick<ClientOptions, 'baseUrl' | 'fetch' | 'headers'> {
  /** Where the CSRF token comes from; the browser's `csrf` cookie by default. */
  csrfToken?: () => string | undefined;
  /** An API token (`crm_…`) instead of the session cookie: no CSRF header then. */
  token?: string;
}

/**
 * A typed client of the API (openapi-fetch over the generated `paths`): sends cookies, adds the
 * CSRF header to writes, and turns a non-JSON failure (a proxy's 502 page) into problem details.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const { csrfToken = () => readCsrfCookie(), token, ...rest } = options;
  const client = createClient<paths>({ credentials: 'include', ...rest });
  const auth: Middleware = {
    onRequest({ request }) {
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      else if (!SAFE_METHODS.has(request.method.toUpperCase())) {
        const csrf = csrfToken();
        if (csrf) request.headers.set('X-CSRF-Token', csrf);
      }
      return request;
    },
  };
  client.use(auth);
  return client;
}

/** Coerces whatever a failed call gave into problem details. */
export function toProblem(error: unknown, response: Response): Problem {
  if (error && typeof error === 'object' && typeof (error as Problem).code === 'string') return error as Problem;
  return {
    type: 'about:blank',
    title: response.statusText || 'Request failed',
    status: response.status,
    code: response.status >= 500 ? 'INTERNAL' : 'INVALID_REQUEST',
    detail: typeof error === 'string' && error ? error.slice(0, 500) : `HTTP ${response.status}`,
  } as Problem;
}

/** Awaits a client call and returns its data, or throws `ApiProblem`: `const app = await unwrap(api.GET(...))`. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiProblem(toProblem(error, response));
  return data as T;
}
