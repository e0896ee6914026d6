import { createApiClient, toProblem, type ApiClient } from '@crm/api-client';
import { ApiError, notifyUnauthorized } from './client';

/**
 * The generated, typed client of the API (packages/api-client, openapi-fetch): a changed route
 * or schema is a compile error here. Paths are written as the document has them (`/api/…`).
 */
export const api: ApiClient = createApiClient({ baseUrl: '' });

// The server words validation issues in the UI's language (i18n keeps <html lang> on it).
api.use({
  onRequest({ request }) {
    const language = typeof document === 'undefined' ? '' : document.documentElement.lang;
    if (language) request.headers.set('Accept-Language', language);
    request.headers.set('Accept', 'application/json, application/problem+json');
    return request;
  },
});

/**
 * Awaits a typed call and returns its data, or throws the app's ApiError (so problemText and
 * useProblemForm show it next to the field it names); a lost session is announced as with the
 * hand-written client.
 */
export async function callOrThrow<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ message: 'NETWORK_ERROR', code: 'NETWORK_ERROR', status: 0 });
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const problem = toProblem(error, response);
  const apiError = new ApiError({
    message: problem.detail ?? problem.title,
    code: problem.code,
    status: problem.status,
    errors: problem.errors ?? [],
    requestId: problem.requestId,
  });
  if (apiError.status === 401 && apiError.code !== 'INVALID_CREDENTIALS') notifyUnauthorized();
  throw apiError;
}
