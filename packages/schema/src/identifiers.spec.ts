import { describe, expect, it } from 'vitest';
import { SchemaError, SchemaErrorCode } from './errors';
import { SYSTEM_FIELDS, isReservedKey, validateKeyOrThrow } from './identifiers';

function errorOf(fn: () => void): SchemaError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SchemaError) return error;
    throw error;
  }
  throw new Error('expected a SchemaError');
}

describe('validateKeyOrThrow', () => {
  it.each(['a', 'customer', 'order_no', 'x1', 'a'.repeat(48), 'date', 'text', 'name', 'amount_2'])('accepts %s', (key) => {
    expect(() => validateKeyOrThrow({ kind: 'field', key })).not.toThrow();
  });

  it.each(['', '1abc', '_abc', 'Abc', 'order-no', 'order no', 'a'.repeat(49), 'naïve', 'a.b', 'sélect'])(
    'refuses the shape of %j with INVALID_KEY naming the key and the rule',
    (key) => {
      const error = errorOf(() => validateKeyOrThrow({ kind: 'entity', key }));
      expect(error.code).toBe(SchemaErrorCode.INVALID_KEY);
      expect(error.message).toContain(`"${key}"`);
      expect(error.message).toContain('lowercase letter');
      expect(error.details).toMatchObject({ kind: 'entity', key });
    },
  );

  it.each([
    'id',
    'ID',
    'Version',
    'created_at',
    'CreatedAt',
    'ownerId',
    'owner_id',
    'deleted_at',
    'workspace_id',
    'status',
    'form_version',
    'select',
    'SELECT',
    'Order',
    'group',
    'table',
    'where',
    'rowid',
    'oid',
    'user',
    'limit',
    'offset',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
  ])('refuses reserved %s with RESERVED_KEY naming it', (key) => {
    const error = errorOf(() => validateKeyOrThrow({ kind: 'field', key }));
    expect(error.code).toBe(SchemaErrorCode.RESERVED_KEY);
    expect(error.message).toContain(`"${key}"`);
  });

  it('refuses a key that is not a string', () => {
    expect(errorOf(() => validateKeyOrThrow({ kind: 'app', key: 42 as unknown as string })).code).toBe(SchemaErrorCode.INVALID_KEY);
  });

  it('names the kind in the message', () => {
    expect(errorOf(() => validateKeyOrThrow({ kind: 'app', key: 'Bad' })).message).toMatch(/^The app key/);
  });
});

describe('SYSTEM_FIELDS', () => {
  it('lists the record system fields as the API shows them, all reserved as keys', () => {
    expect(SYSTEM_FIELDS).toEqual(['id', 'version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'ownerId']);
    for (const key of SYSTEM_FIELDS) expect(isReservedKey({ key })).toBe(true);
  });
});
