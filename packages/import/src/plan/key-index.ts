// Values seen in a column of a long file, in typed arrays: 12 bytes a slot instead of a Map's
// ~100 bytes per string, so a million keys cost ~24 MB. Keys are two independent 32-bit
// hashes (FNV-1a and a multiply-xorshift): two different values collide with odds ~2⁻⁶⁴, far
// below anything a file can hit.

function hashes(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x85ebca6b);
    b ^= b >>> 13;
  }
  a >>>= 0;
  b = (Math.imul(b ^ (b >>> 16), 0xc2b2ae35) ^ text.length) >>> 0;
  // 0/0 marks an empty slot.
  return a === 0 && b === 0 ? [1, 0] : [a, b];
}

/** A set of strings (with a number per string, e.g. the row it was first seen in). */
export class KeyIndex {
  private lo = new Uint32Array(1024);
  private hi = new Uint32Array(1024);
  private vals = new Float64Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The number stored with `key`, or undefined. */
  get(key: string): number | undefined {
    const [a, b] = hashes(key);
    const at = this.slot(a, b);
    return this.lo[at] === 0 && this.hi[at] === 0 ? undefined : this.vals[at];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Stores `value` with `key` unless it is there already; returns the value kept. */
  add(key: string, value = 1): number {
    if ((this.count + 1) * 2 > this.lo.length) this.grow();
    const [a, b] = hashes(key);
    const at = this.slot(a, b);
    if (this.lo[at] !== 0 || this.hi[at] !== 0) return this.vals[at]!;
    this.lo[at] = a;
    this.hi[at] = b;
    this.vals[at] = value;
    this.count++;
    return value;
  }

  private slot(a: number, b: number): number {
    const mask = this.lo.length - 1;
    let at = (a ^ Math.imul(b, 0x27d4eb2d)) & mask;
    while ((this.lo[at] !== 0 || this.hi[at] !== 0) && (this.lo[at] !== a || this.hi[at] !== b)) at = (at + 1) & mask;
    return at;
  }

  private grow(): void {
    const { lo, hi, vals } = this;
    this.lo = new Uint32Array(lo.length * 2);
    this.hi = new Uint32Array(lo.length * 2);
    this.vals = new Float64Array(lo.length * 2);
    for (let i = 0; i < lo.length; i++) {
      if (lo[i] === 0 && hi[i] === 0) continue;
      const at = this.slot(lo[i]!, hi[i]!);
      this.lo[at] = lo[i]!;
      this.hi[at] = hi[i]!;
      this.vals[at] = vals[i]!;
    }
  }
}

/** Row numbers as bits (a million rows: 125 KB). */
export class RowSet {
  private bits = new Uint8Array(1024);

  add(row: number): void {
    const byte = row >>> 3;
    if (byte >= this.bits.length) {
      const bigger = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      bigger.set(this.bits);
      this.bits = bigger;
    }
    this.bits[byte]! |= 1 << (row & 7);
  }

  has(row: number): boolean {
    const byte = row >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (row & 7))) !== 0;
  }
}
