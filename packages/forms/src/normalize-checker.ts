import { type Issue, pointerSegment } from '@crm/schema';

/** A plain JSON object (not an array, not a class instance). */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Collects issues while walking the definition; every check adds to it instead of throwing. */
export class Checker {
  readonly issues: Issue[] = [];
  add(path: string, code: string, message: string): void {
    this.push({ path, code, message: `${path || '(root)'}: ${message}` });
  }
  push(issue: Issue): void {
    if (this.issues.length < 200) this.issues.push(issue);
  }
  onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
    for (const k of Object.keys(obj))
      if (!allowed.includes(k)) this.add(`${path}/${pointerSegment(k)}`, 'unknown_property', `"${k.slice(0, 64)}" is not a known property`);
  }
}
