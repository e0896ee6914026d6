import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ERROR_STATUS } from './errors';

export type Schema = SchemaObject | { $ref: string };

/**
 * Named schemas of the OpenAPI document (`#/components/schemas/<name>`). Controllers declare
 * theirs at import time with `defineSchemas`; the document builder adds them all.
 */
const SCHEMAS: Record<string, Schema> = {};

export function defineSchemas(schemas: Record<string, Schema>): void {
  for (const [name, schema] of Object.entries(schemas)) {
    if (SCHEMAS[name] && JSON.stringify(SCHEMAS[name]) !== JSON.stringify(schema)) throw new Error(`OpenAPI schema ${name} defined twice`);
    SCHEMAS[name] = schema;
  }
}

export function openApiSchemas(): Record<string, Schema> {
  return Object.fromEntries(Object.entries(SCHEMAS).sort(([a], [b]) => a.localeCompare(b)));
}

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** Small builders that keep the route declarations short. */
export const S = {
  str: (extra: SchemaObject = {}): SchemaObject => ({ type: 'string', ...extra }),
  int: (extra: SchemaObject = {}): SchemaObject => ({ type: 'integer', ...extra }),
  num: (extra: SchemaObject = {}): SchemaObject => ({ type: 'number', ...extra }),
  bool: (extra: SchemaObject = {}): SchemaObject => ({ type: 'boolean', ...extra }),
  uuid: (): SchemaObject => ({ type: 'string', format: 'uuid' }),
  time: (): SchemaObject => ({ type: 'string', format: 'date-time' }),
  nullable: (s: Schema): SchemaObject => ({ oneOf: [s, { type: 'null' }] }) as SchemaObject,
  arr: (items: Schema, extra: SchemaObject = {}): SchemaObject => ({ type: 'array', items, ...extra }),
  /** Any JSON value (field values, json-logic, JSON Schema documents). */
  any: (description?: string): SchemaObject => ({ description }) as SchemaObject,
  /** An object; `required` lists the keys always present. */
  obj: (properties: Record<string, Schema>, required: string[] = [], extra: SchemaObject = {}): SchemaObject => ({
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    ...extra,
  }),
  map: (values: Schema): SchemaObject => ({ type: 'object', additionalProperties: values }),
  items: (item: Schema): SchemaObject => S.obj({ items: S.arr(item) }, ['items']),
  page: (item: Schema): SchemaObject => S.obj({ items: S.arr(item), nextCursor: S.nullable(S.str()) }, ['items', 'nextCursor']),
};

defineSchemas({
  Issue: S.obj({ path: S.str({ description: 'JSON pointer into the request body' }), code: S.str(), message: S.str() }, ['path', 'code', 'message']),
  Problem: S.obj(
    {
      type: S.str(),
      title: S.str(),
      status: S.int(),
      code: S.str({ enum: Object.keys(ERROR_STATUS), description: 'stable: clients switch on it' }),
      detail: S.str(),
      errors: S.arr(ref('Issue')),
      requestId: S.str(),
    },
    ['type', 'title', 'status', 'code'],
    { additionalProperties: true, description: 'RFC 9457 problem details; some codes add fields (e.g. `current`, `cycle`, `usedBy`)' },
  ),
});

const PROBLEM_TEXT: Record<number, string> = {
  400: 'invalid request (problem details)',
  401: 'not signed in',
  403: 'not allowed, or CSRF header missing',
  404: 'not found (also what lies outside your workspace or scope)',
  409: 'conflict',
  413: 'body too large',
  422: 'the stored data does not fit the change',
  429: 'too many requests',
  503: 'unavailable: shutting down (SHUTTING_DOWN) or no database (DATABASE_UNAVAILABLE), with Retry-After',
};

export interface OperationSpec {
  summary: string;
  /** The success answer: a schema, or `null` for 204 No Content. */
  ok: Schema | null;
  status?: number;
  body?: Schema;
  /** `body` may be left out (e.g. `{}` and no body are the same). */
  bodyOptional?: boolean;
  query?: Record<string, { schema: Schema; required?: boolean; description?: string }>;
  /** Path parameters' schemas when not plain strings (record ids are integers). */
  params?: Record<string, Schema>;
  /** Problem answers besides 400/401/403/404 (or `public: true` to drop 401/403). */
  errors?: number[];
  public?: boolean;
  /** Another media type for the success answer (file downloads). */
  okMediaType?: string;
}

/** Declares a route's whole contract in the OpenAPI document: summary, request, answers, problems. */
export function ApiOp(spec: OperationSpec): MethodDecorator {
  const decorators: MethodDecorator[] = [ApiOperation({ summary: spec.summary, ...(spec.public ? { security: [] } : {}) })];
  if (spec.body) decorators.push(ApiBody({ schema: spec.body as SchemaObject, required: !spec.bodyOptional }));
  for (const [name, q] of Object.entries(spec.query ?? {})) {
    decorators.push(ApiQuery({ name, required: q.required ?? false, schema: q.schema as SchemaObject, description: q.description }));
  }
  return applyDecorators(...decorators, ApiAnswer(spec.ok, spec));
}

/**
 * The answers of a route (for routes whose summary and body are declared with Nest's own
 * decorators): the success schema (`null`: 204), the problem details, path parameter schemas.
 */
export function ApiAnswer(ok: Schema | null, spec: Omit<OperationSpec, 'summary' | 'ok' | 'body' | 'query'> = {}): MethodDecorator {
  const status = spec.status ?? (ok === null ? 204 : 200);
  const decorators: MethodDecorator[] = [];
  if (ok === null) decorators.push(ApiResponse({ status, description: 'done, no content' }));
  else if (spec.okMediaType) decorators.push(ApiResponse({ status, description: 'ok', content: { [spec.okMediaType]: { schema: ok as SchemaObject } } }));
  else decorators.push(ApiResponse({ status, description: 'ok', schema: ok as SchemaObject }));
  for (const [name, schema] of Object.entries(spec.params ?? {})) decorators.push(ApiParam({ name, schema: schema as SchemaObject }));
  const problems = new Set([400, ...(spec.public ? [] : [401, 403]), 404, ...(spec.errors ?? [])]);
  for (const code of [...problems].sort()) {
    decorators.push(
      ApiResponse({
        status: code,
        description: PROBLEM_TEXT[code] ?? 'problem',
        content: { 'application/problem+json': { schema: ref('Problem') as SchemaObject } },
      }),
    );
  }
  return applyDecorators(...decorators);
}
