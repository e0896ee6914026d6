// Substring search in guaranteed linear time (Knuth–Morris–Pratt): String.prototype.indexOf is
// quadratic on some inputs in some engines (a 100 000-character text and a 50 000-character
// pattern can take seconds), and formulas must stay cheap whatever users type.

/** Longest proper prefix of pattern[0..i] that is also its suffix, for each i. */
function failureTable(pattern: string): Int32Array {
  const table = new Int32Array(pattern.length);
  let k = 0;
  for (let i = 1; i < pattern.length; i += 1) {
    while (k > 0 && pattern.charCodeAt(i) !== pattern.charCodeAt(k)) k = table[k - 1]!;
    if (pattern.charCodeAt(i) === pattern.charCodeAt(k)) k += 1;
    table[i] = k;
  }
  return table;
}

/**
 * UTF-16 offsets of non-overlapping occurrences of a non-empty `pattern` in `text` from `from`,
 * at most `limit` of them (scanning stops there).
 */
export function findOccurrences(text: string, pattern: string, from: number, limit: number): number[] {
  const found: number[] = [];
  if (pattern.length === 0 || limit <= 0) return found;
  const table = failureTable(pattern);
  let k = 0;
  for (let i = from; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    while (k > 0 && c !== pattern.charCodeAt(k)) k = table[k - 1]!;
    if (c === pattern.charCodeAt(k)) k += 1;
    if (k === pattern.length) {
      found.push(i - pattern.length + 1);
      if (found.length >= limit) break;
      k = 0;
    }
  }
  return found;
}
