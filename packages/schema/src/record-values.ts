// Helpers for record values as the API receives and compares them.

/** Same JSON value (null and undefined alike); identical references short-cut the JSON. */
export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * A shallow copy of a record's values, without `omit`.
 *
 * Why not `{ ...values }`: records are wide (up to hundreds of fields) and each carries its own
 * set of keys. JSON.parse gives objects of 128 keys or more in V8's dictionary mode; spreading
 * one builds a fast object whose hidden class is new for every new key set, ~250 µs for 200
 * fields. Copying key by key into an object that is in dictionary mode from the start costs
 * ~25 µs and stays cheap for the next copy. Only speed differs: the result is a plain object.
 */
export function copyRecord(values: Readonly<Record<string, unknown>>, omit?: string): Record<string, unknown> {
  const out = dictionaryObject();
  const keys = Object.keys(values);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    if (key !== omit) setOwn(out, key, values[key]);
  }
  return out;
}

/**
 * A record's values from a parsed JSON body, as a fresh object (see copyRecord): its own keys
 * but `omit`, with '' as null for the keys `isField` accepts ('' means "no value" for text-like
 * fields: stored as NULL, so `required` and `unique` treat it so).
 */
export function recordInput(body: Readonly<Record<string, unknown>>, args: { isField: (key: string) => boolean; omit?: string }): Record<string, unknown> {
  const out = dictionaryObject();
  const keys = Object.keys(body);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    if (key === args.omit) continue;
    const raw = body[key];
    setOwn(out, key, raw === '' && args.isField(key) ? null : raw);
  }
  return out;
}

/**
 * For a body the caller owns (parsed for this request, read by nothing else): a function that
 * turns '' of the given field keys into null in place, as recordInput does on a copy. Compiled
 * once per field list: it reads each field by name instead of listing the body's keys, which
 * for a wide (dictionary-mode) body means sorting them.
 */
export function compileBlanksToNull(fieldKeys: readonly string[]): (body: Record<string, unknown>) => Record<string, unknown> {
  const lines = fieldKeys
    .filter((k) => k !== '__proto__')
    .map((k) => `if (v[${JSON.stringify(k)}] === '' && Object.hasOwn(v, ${JSON.stringify(k)})) v[${JSON.stringify(k)}] = null;`);
  return new Function('v', `${lines.join('\n')}\nreturn v;`) as (body: Record<string, unknown>) => Record<string, unknown>;
}

/** An empty plain object already in V8's dictionary mode (adding then deleting a key puts it there). */
function dictionaryObject(): Record<string, unknown> {
  const out: Record<string, unknown> = { __dictionary__: true };
  delete out.__dictionary__;
  return out;
}

/** `__proto__` becomes an own key, as JSON.parse and spread make it: reported, never followed. */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
