import { expect } from 'vitest';
import type { Api } from './harness';

/** Asserts an RFC 9457 problem answer with the given status and stable code; returns its body. */
export function expectProblem(res: Api, status: number, code: string): any {
  expect({ status: res.status, code: res.body?.code }, JSON.stringify(res.body)).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  expect(typeof res.body.requestId).toBe('string');
  return res.body;
}
