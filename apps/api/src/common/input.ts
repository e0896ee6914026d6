import type { Issue } from '@crm/schema';
import { AppError } from './errors';

/** Small checks of request bodies that are not record values (those go through ajv). */
export class InputChecker {
  readonly issues: Issue[] = [];

  constructor(private readonly body: unknown) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new AppError('INVALID_REQUEST', 'The request body must be a JSON object');
    }
  }

  private get obj(): Record<string, unknown> {
    return this.body as Record<string, unknown>;
  }

  /** `trim: false` keeps the value as sent (keys: a padded key is invalid, not silently fixed). */
  string(key: string, opts: { required?: boolean; max?: number; min?: number; trim?: boolean } = {}): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (opts.required) this.issues.push({ path: `/${key}`, code: 'required', message: `${key} is required` });
      return undefined;
    }
    if (typeof v !== 'string') {
      this.issues.push({ path: `/${key}`, code: 'invalid_type', message: `${key} must be a string` });
      return undefined;
    }
    const s = opts.trim === false ? v : v.trim();
    if ((opts.min ?? (opts.required ? 1 : 0)) > s.length) this.issues.push({ path: `/${key}`, code: 'too_short', message: `${key} must not be empty` });
    if (opts.max !== undefined && s.length > opts.max)
      this.issues.push({ path: `/${key}`, code: 'too_long', message: `${key} must be at most ${opts.max} characters` });
    return s;
  }

  boolean(key: string): boolean | undefined {
    const v = this.obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.issues.push({ path: `/${key}`, code: 'invalid_type', message: `${key} must be true or false` });
      return undefined;
    }
    return v;
  }

  only(allowed: string[]): this {
    for (const k of Object.keys(this.obj)) {
      if (!allowed.includes(k)) this.issues.push({ path: `/${k}`, code: 'unknown_field', message: `${k} is not a known property` });
    }
    return this;
  }

  raw(key: string): unknown {
    return this.obj[key];
  }

  doneOrThrow(): void {
    if (this.issues.length)
      throw new AppError('VALIDATION_FAILED', `${this.issues.length} invalid value(s): ${this.issues.map((i) => i.path).join(', ')}`, { errors: this.issues });
  }
}
