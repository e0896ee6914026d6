const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** Identifiers come from metadata, never from users; a bad one is a programming error, not a 4xx. */
export function assertSafeColumn(column: unknown, what: string): asserts column is string {
  if (typeof column !== 'string' || !COLUMN.test(column)) {
    throw new Error(`Unsafe SQL column for ${what}: expected [alias.]identifier`);
  }
}

export function assertSafeIdentifier(identifier: unknown, what: string): asserts identifier is string {
  if (typeof identifier !== 'string' || !IDENTIFIER.test(identifier)) {
    throw new Error(`Unsafe SQL identifier for ${what}`);
  }
}
