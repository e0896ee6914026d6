import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** scrypt (memory-hard); the stored form carries its parameters so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password, compared against when the email is unknown (same timing). */
export const DUMMY_HASH_PROMISE = hashPassword(randomBytes(16).toString('hex'));

export function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}

export const PASSWORD_MIN_LENGTH = 8;
/** Longer inputs are refused before hashing (sign-in refuses them too). */
export const PASSWORD_MAX_LENGTH = 1024;

/** Why a new password is refused, or null when it is acceptable. */
export function newPasswordProblem(value: unknown): { code: string; message: string } | null {
  if (typeof value !== 'string') return { code: 'invalid_type', message: 'must be a string' };
  if (value.length < PASSWORD_MIN_LENGTH) return { code: 'too_short', message: `must be at least ${PASSWORD_MIN_LENGTH} characters` };
  if (value.length > PASSWORD_MAX_LENGTH) return { code: 'too_long', message: `must be at most ${PASSWORD_MAX_LENGTH} characters` };
  return null;
}
