import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DATABASE_RETRY_AFTER_SECONDS, isConnectionLost } from './db-errors';
import { AppError, ERROR_STATUS, ERROR_TITLES, type ErrorCode, isKnownCode } from './errors';
import type { CrmRequest } from './request-context';

/** A readable title for a code: "INVALID_REQUEST" → "Invalid request". */
export function titleOf(code: ErrorCode): string {
  return ERROR_TITLES[code] ?? code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');
}

interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  requestId?: string;
  [key: string]: unknown;
}

function fromHttpException(err: HttpException): Problem {
  const status = err.getStatus();
  const code: ErrorCode =
    status === 404
      ? 'NOT_FOUND'
      : status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : status === 401
          ? 'UNAUTHENTICATED'
          : status === 403
            ? 'FORBIDDEN'
            : status >= 500
              ? 'INTERNAL'
              : 'INVALID_REQUEST';
  const body = err.getResponse();
  const detail = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? err.message);
  return { type: 'about:blank', title: titleOf(code), status, code, detail };
}

/** Body-parser errors arrive as plain errors with `type` and `status`. */
function fromBodyParser(err: { type?: string; status?: number; message?: string }): Problem | null {
  if (err.type === 'entity.too.large')
    return { type: 'about:blank', title: 'Request body too large', status: 413, code: 'PAYLOAD_TOO_LARGE', detail: err.message ?? 'Request body too large' };
  if (err.type === 'entity.parse.failed')
    return { type: 'about:blank', title: 'Invalid JSON', status: 400, code: 'INVALID_JSON', detail: 'The request body is not valid JSON' };
  // An unsupported charset or Content-Encoding is the client's mistake, not a 500.
  if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported') {
    return {
      type: 'about:blank',
      title: titleOf('UNSUPPORTED_MEDIA_TYPE'),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: err.message ?? 'Unsupported body encoding',
    };
  }
  if (typeof err.type === 'string' && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    return { type: 'about:blank', title: titleOf('INVALID_REQUEST'), status: 400, code: 'INVALID_REQUEST', detail: 'The request body could not be read' };
  }
  return null;
}

/** Turns every error into RFC 9457 problem details with a stable `code`. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<CrmRequest>();
    const problem = toProblem(err);
    if (problem.code === 'DATABASE_UNAVAILABLE') {
      // Expected during a failover and answered as such: one line, not a stack per request.
      this.logger.warn(`${req.method} ${req.originalUrl}: database unavailable [${req.requestId}]: ${err instanceof Error ? err.message : String(err)}`);
    } else if (problem.status >= 500) {
      this.logger.error(`${req.method} ${req.originalUrl} failed [${req.requestId}]`, err instanceof Error ? err.stack : String(err));
    }
    problem.requestId = req.requestId;
    if (res.headersSent) return;
    if (problem.status === 503) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

export function toProblem(err: unknown): Problem {
  if (!(err instanceof AppError) && isConnectionLost(err)) {
    return {
      type: 'about:blank',
      title: titleOf('DATABASE_UNAVAILABLE'),
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
      detail: `The database connection was lost; the server reconnects by itself. Retry in ${DATABASE_RETRY_AFTER_SECONDS} s`,
    };
  }
  if (err instanceof AppError) {
    const status = ERROR_STATUS[err.code];
    return { type: 'about:blank', title: titleOf(err.code), status, code: err.code, detail: err.message, ...err.extra };
  }
  const coded = err as { code?: unknown; message?: string; issues?: unknown; details?: Record<string, unknown> };
  if (err instanceof Error && isKnownCode(coded.code) && coded.constructor?.name !== 'QueryFailedError') {
    const code = coded.code;
    const extra: Record<string, unknown> = { ...(coded.details ?? {}) };
    if (Array.isArray(coded.issues)) extra.errors = coded.issues;
    return { type: 'about:blank', title: titleOf(code), status: ERROR_STATUS[code], code, detail: err.message, ...extra };
  }
  if (err instanceof HttpException) return fromHttpException(err);
  const bp = fromBodyParser(err as { type?: string });
  if (bp) return bp;
  return {
    type: 'about:blank',
    title: 'Internal error',
    status: 500,
    code: 'INTERNAL',
    detail: 'Something went wrong; the error was logged with the request id',
  };
}
