import { randomBytes, randomUUID } from 'node:crypto';

/** Ids of system rows (workspaces, users, apps, entities, fields, files, plans). */
export const newId = (): string => randomUUID();

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A generated physical name: user keys never reach DDL. `prefix` is one of t_, f_, l_, c_, i_. */
export function physicalName(prefix: 't_' | 'f_' | 'l_' | 'c_' | 'i_' | 'u_'): string {
  const bytes = randomBytes(12);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return prefix + s;
}

/** Current time in storage form: 'YYYY-MM-DD HH:MM:SS.mmm' UTC (both dialects). */
export function nowStorage(date = new Date()): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export function storageToIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const s = String(value);
  return s.includes('T') ? s : `${s.replace(' ', 'T')}${s.length === 19 ? '.000' : ''}Z`;
}
