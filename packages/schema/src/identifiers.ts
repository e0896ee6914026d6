import { SchemaError, SchemaErrorCode } from './errors';

/** System fields of every record, as the records API shows them. */
export const SYSTEM_FIELDS = ['id', 'version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'ownerId'] as const;
export type SystemField = (typeof SYSTEM_FIELDS)[number];

/** Keys of apps, entities and fields: lower snake case, at most 48 characters. */
export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,47}$/;

/** Record columns (and their camelCase spellings, compared lower-cased). */
const SYSTEM_COLUMNS = [
  'id',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'owner',
  'owner_id',
  'deleted_at',
  'workspace',
  'workspace_id',
  'createdat',
  'createdby',
  'updatedat',
  'updatedby',
  'ownerid',
  'deletedat',
  'form_version',
  'status',
];

/** Names that break plain-object lookups in JavaScript. */
const JS_HAZARDS = ['__proto__', 'constructor', 'prototype', 'tostring', 'valueof', 'hasownproperty'];

/**
 * SQL reserved words of MySQL/MariaDB, SQLite and the standard, so keys stay safe as column
 * names; plain type names a CRM field is often called (date, text) are deliberately allowed.
 */
const SQL_RESERVED = [
  'add',
  'all',
  'alter',
  'analyze',
  'and',
  'any',
  'as',
  'asc',
  'autoincrement',
  'begin',
  'between',
  'by',
  'cascade',
  'case',
  'cast',
  'check',
  'collate',
  'column',
  'commit',
  'constraint',
  'create',
  'cross',
  'current_date',
  'current_time',
  'current_timestamp',
  'current_user',
  'database',
  'databases',
  'default',
  'deferrable',
  'delete',
  'desc',
  'describe',
  'distinct',
  'drop',
  'else',
  'end',
  'escape',
  'except',
  'exists',
  'explain',
  'false',
  'fetch',
  'for',
  'foreign',
  'from',
  'full',
  'function',
  'grant',
  'group',
  'having',
  'if',
  'in',
  'index',
  'inner',
  'insert',
  'intersect',
  'interval',
  'into',
  'is',
  'isnull',
  'join',
  'key',
  'keys',
  'left',
  'like',
  'limit',
  'match',
  'natural',
  'not',
  'notnull',
  'null',
  'of',
  'offset',
  'oid',
  'on',
  'or',
  'order',
  'outer',
  'over',
  'partition',
  'pragma',
  'primary',
  'procedure',
  'raise',
  'recursive',
  'references',
  'regexp',
  'rename',
  'replace',
  'restrict',
  'returning',
  'revoke',
  'right',
  'rollback',
  'row',
  'rowid',
  'rows',
  'schema',
  'select',
  'set',
  'show',
  'table',
  'then',
  'to',
  'transaction',
  'trigger',
  'true',
  'union',
  'unique',
  'update',
  'user',
  'using',
  'vacuum',
  'values',
  'view',
  'when',
  'where',
  'window',
  'with',
  'without',
];

const RESERVED = new Set([...SYSTEM_COLUMNS, ...JS_HAZARDS, ...SQL_RESERVED]);

/** Whether a key is reserved (system column, JS hazard or SQL word), in any letter case. */
export function isReservedKey(args: { key: string }): boolean {
  return RESERVED.has(args.key.toLowerCase());
}

/**
 * Checks an app, entity or field key: reserved words are refused first (RESERVED_KEY, any
 * case), then anything not matching KEY_PATTERN (INVALID_KEY).
 */
export function validateKeyOrThrow(args: { kind: 'app' | 'entity' | 'field'; key: string }): void {
  const { kind, key } = args;
  if (typeof key !== 'string') {
    throw new SchemaError({
      code: SchemaErrorCode.INVALID_KEY,
      message: `The ${kind} key must be a string.`,
      details: { kind, key },
    });
  }
  if (isReservedKey({ key })) {
    throw new SchemaError({
      code: SchemaErrorCode.RESERVED_KEY,
      message: `The ${kind} key "${key}" is reserved; choose another name.`,
      details: { kind, key },
    });
  }
  if (!KEY_PATTERN.test(key)) {
    throw new SchemaError({
      code: SchemaErrorCode.INVALID_KEY,
      message:
        `The ${kind} key "${key}" is invalid: it must start with a lowercase letter and contain ` +
        'only lowercase letters, digits and underscores, at most 48 characters.',
      details: { kind, key, pattern: KEY_PATTERN.source },
    });
  }
}
