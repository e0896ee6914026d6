import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from './errors';
import { toProblem } from './problem.filter';

export const MAX_JSON_DEPTH = 32;

function depthExceeds(value: unknown, max: number): boolean {
  // Iterative walk: a hostile body must not blow the stack.
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

/** JSON body parsing with a size cap (413) and a depth cap (400). */
export function jsonBody(limitBytes: number) {
  const parse = express.json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (err?: unknown) => {
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
