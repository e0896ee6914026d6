/*
 * Test-only fast-check building blocks for random filters of the supported json-logic subset,
 * shared by the SQLite property spec here and the API's property spec on its real databases
 * (apps/api/test/conditions.property.spec.ts). Each spec picks its own value sets and the
 * operators its fields offer.
 */
import fc from 'fast-check';
import { dateOfDay, RELATIVE_DATE_RANGES } from '../dates';

export const BASE_DAY = Date.UTC(2026, 0, 1) / 86_400_000; // spans a year, month and week boundary
export const DAY_MS = 86_400_000;

export const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });

// ---- values shared by rows and filters so that filters actually hit rows
export const amountArb = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -1.5, 2.25));
export const dateArb = fc.integer({ min: -60, max: 60 }).map((d) => dateOfDay(BASE_DAY + d));
export const instantArb = fc
  .tuple(fc.integer({ min: -60, max: 60 }), fc.oneof(fc.constantFrom(0, DAY_MS - 1), fc.integer({ min: 0, max: DAY_MS - 1 })))
  .map(([d, ms]) => new Date((BASE_DAY + d) * DAY_MS + ms));
export const idArb = fc.integer({ min: 1, max: 5 });
export const nowArb = fc.integer({ min: -40 * DAY_MS, max: 40 * DAY_MS }).map((ms) => new Date(BASE_DAY * DAY_MS + ms));

/** ISO forms a client may send; the compiler and evaluateFilter must agree on all of them. */
export const isoLiteralArb = instantArb.chain((d) =>
  fc.constantFrom(d.toISOString(), d.toISOString().replace(/\.\d{3}Z$/, 'Z'), new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00')),
);
/** True when a filter holds a non-canonical datetime literal (evaluateFilter needs resolveField for it). */
export const hasNonCanonicalLiteral = (filter: unknown) => /:\d\dZ|\+08:00/.test(JSON.stringify(filter));

// ---- leaves
export const v = (key: string) => ({ var: key });

/** `==` / `!=` against a value, `in` a list, and the blank tests. */
export function equality(key: string, value: fc.Arbitrary<unknown>, opts: { inList?: boolean } = {}): fc.Arbitrary<unknown>[] {
  return [
    fc.tuple(fc.constantFrom('==', '!='), value).map(([op, x]) => ({ [op]: [v(key), x] })),
    ...(opts.inList === false ? [] : [fc.array(value, { maxLength: 3 }).map((xs) => ({ in: [v(key), xs] }))]),
    ...nullable(key),
  ];
}

/** Everything `equality` gives plus `< <= > >=` and between (`{"<": [lo, x, hi]}`). */
export function ordered(key: string, value: fc.Arbitrary<unknown>, opts: { inList?: boolean } = {}): fc.Arbitrary<unknown>[] {
  return [
    fc.tuple(fc.constantFrom('==', '!=', '<', '<=', '>', '>='), value).map(([op, x]) => ({ [op]: [v(key), x] })),
    fc.tuple(fc.constantFrom('<', '<='), value, value).map(([op, lo, hi]) => ({ [op]: [lo, v(key), hi] })),
    ...(opts.inList === false ? [] : [fc.array(value, { maxLength: 3 }).map((xs) => ({ in: [v(key), xs] }))]),
    ...nullable(key),
  ];
}

export function nullable(key: string): fc.Arbitrary<unknown>[] {
  return [fc.constantFrom('==', '!=').map((op) => ({ [op]: [v(key), null] })), emptiness(key)];
}

export const emptiness = (key: string) => fc.constantFrom('is_empty', 'is_not_empty').map((op) => ({ [op]: [v(key)] }));

/** `contains` in both spellings (`{"contains": [x, v]}`, `{"in": [v, x]}`) and the blank tests. */
export function membership(key: string, value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown>[] {
  return [value.map((x) => ({ contains: [v(key), x] })), value.map((x) => ({ in: [x, v(key)] })), emptiness(key)];
}

export const startsWith = (key: string, value: fc.Arbitrary<unknown>) => value.map((x) => ({ starts_with: [v(key), x] }));

export const dateRange = (key: string) =>
  fc
    .oneof(
      fc.constantFrom(...RELATIVE_DATE_RANGES),
      fc.record({ from: dateArb, to: dateArb }, { requiredKeys: [] }).filter((r) => r.from !== undefined || r.to !== undefined),
    )
    .map((spec) => ({ date_range: [v(key), spec] }));

/** and / or / ! (both spellings) nested over the given leaves. */
export function filterTreeArb(leaf: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((items) => ({ and: items })),
      fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((items) => ({ or: items })),
      tie('node').map((item) => ({ '!': item })),
      tie('node').map((item) => ({ '!': [item] })),
    ),
  })).node;
}
