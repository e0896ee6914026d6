import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from './errors';
import { toProblem } from './problem.filter';

export const MAX_JSON_DEPTH = 32;

function depthExceeds(value: unknown, max: number): boolean {
  // Iterative walk: a hostile body must not blow the stack. Only objects and arrays are stacked
  // (a 5 000-record import holds ~100 000 plain values, which cannot nest).
  const stack: object[] = [];
  const depths: number[] = [];
  if (value !== null && typeof value === 'object') {
    stack.push(value);
    depths.push(1);
  }
  while (stack.length) {
    const v = stack.pop()!;
    const d = depths.pop()!;
    if (d > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child === null || typeof child !== 'object') continue;
      stack.push(child);
      depths.push(d + 1);
    }
  }
  return false;
}

/** Bulk record creation takes large bodies (5 000 records); everything else the normal cap. */
const BULK_PATH = /^\/api\/entities\/[^/]+\/records\/bulk$/;

/** JSON body parsing with a size cap (413) and a depth cap (400). */
export function jsonBody(limitBytes: number, bulkLimitBytes = limitBytes) {
  const options = { strict: true, type: ['application/json', 'application/*+json'] };
  const parse = express.json({ ...options, limit: limitBytes });
  const parseBulk = express.json({ ...options, limit: Math.max(limitBytes, bulkLimitBytes) });
  return (req: Request, res: Response, next: NextFunction) => {
    const parser = req.method === 'POST' && BULK_PATH.test(req.originalUrl.split('?')[0]) ? parseBulk : parse;
    parser(req, res, (err?: unknown) => {
      if (err) return sendProblem(req, res, err);
      if (req.body !== undefined && depthExceeds(req.body, MAX_JSON_DEPTH)) {
        return sendProblem(req, res, new AppError('BODY_TOO_DEEP', `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`));
      }
      next();
    });
  };
}

export function sendProblem(req: Request, res: Response, err: unknown): void {
  const problem = toProblem(err);
  problem.requestId = (req as { requestId?: string }).requestId;
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
