import { ApiProblem, createApiClient, toProblem, type Problem, type ProblemIssue } from '@crm/api-client';

export type { Schema } from '@crm/api-client';

/** One entry of a problem's `errors` list (a failed field, a bad query parameter, ...). */
export type ProblemFieldError = ProblemIssue;

/** An API answer that was not 2xx, carrying the problem+json details the server sent. */
export class ApiError extends ApiProblem {
  constructor(problem: Problem) {
    super(problem);
    this.name = 'ApiError';
  }

  /** The field-level issues (`path` is a JSON pointer into the request body). */
  get errors(): ProblemFieldError[] {
    return this.issues;
  }

  get requestId(): string | undefined {
    return this.problem.requestId;
  }
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Tells the subscribers that the session ended (a 401 that is not a wrong password). */
export function notifyUnauthorized(): void {
  unauthorizedListeners.forEach((listener) => listener());
}

/** Subscribes to 401 answers (the session expired or was revoked); returns the unsubscribe. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/**
 * The typed client of the API (generated from /api/openapi.json): paths, parameters, bodies
 * and answers are checked at compile time. It sends the session cookie and the CSRF header on
 * writes, and asks for issue texts in the UI language (i18n keeps <html lang> on it).
 */
export const api = createApiClient({ baseUrl: typeof location === 'undefined' ? 'http://localhost' : location.origin });
api.use({
  onRequest({ request }) {
    const language = typeof document === 'undefined' ? '' : document.documentElement.lang;
    if (language) request.headers.set('Accept-Language', language);
    return request;
  },
});

type Call<T> = Promise<{ data?: T; error?: unknown; response: Response }>;

/**
 * Awaits a call of `api` and returns its data, or throws `ApiError` (the server's problem
 * details; a network failure becomes code NETWORK_ERROR). Any 401 but a wrong password tells
 * the session to sign out: `const app = await callOrThrow(api.GET('/api/apps/{appId}', ...))`.
 */
export async function callOrThrow<T>(call: Call<T>): Promise<T> {
  let answer: Awaited<Call<T>>;
  try {
    answer = await call;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ type: 'about:blank', title: 'NETWORK_ERROR', status: 0, code: 'NETWORK_ERROR' as Problem['code'] });
  }
  const { data, error, response } = answer;
  if (!response.ok) {
    const problem = new ApiError(toProblem(error, response));
    // A wrong password (sign-in, password change) is an answer, not a lost session.
    if (problem.status === 401 && problem.code !== 'INVALID_CREDENTIALS') notifyUnauthorized();
    throw problem;
  }
  return data as T;
}
