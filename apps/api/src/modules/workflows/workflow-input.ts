import type { ReturnTarget } from '@crm/workflow';
import { AppError } from '../../common/errors';

/** Comments are text up to 2000 characters; a signature is a PNG/JPEG/WebP data URL up to 128 KiB. */
export const COMMENT_MAX = 2000;
export const SIGNATURE_MAX = 128 * 1024;
const SIGNATURE = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+=*$/;

type Issue = { path: string; code: string; message: string };

/** The body of a task or instance action, checked; unknown keys are refused by name. */
export class ActionBody {
  readonly issues: Issue[] = [];
  private readonly b: Record<string, unknown>;

  constructor(body: unknown, allowed: string[]) {
    this.b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    if (body !== undefined && body !== null && this.b !== body)
      this.issues.push({ path: '/', code: 'invalid_type', message: 'The body must be a JSON object' });
    for (const k of Object.keys(this.b))
      if (!allowed.includes(k)) this.issues.push({ path: `/${k}`, code: 'unknown_field', message: `${k} is not a known property` });
  }

  comment(): string | undefined {
    const v = this.b.comment;
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return void this.issues.push({ path: '/comment', code: 'invalid_type', message: 'comment must be text' });
    if (v.length > COMMENT_MAX)
      return void this.issues.push({ path: '/comment', code: 'too_long', message: `comment must be at most ${COMMENT_MAX} characters` });
    return v;
  }

  signature(required: boolean): string | undefined {
    const v = this.b.signature;
    if (v === undefined || v === null) {
      if (required) this.issues.push({ path: '/signature', code: 'required', message: 'This node asks for a signature image' });
      return undefined;
    }
    if (typeof v !== 'string' || !SIGNATURE.test(v.slice(0, 64)) || !SIGNATURE.test(v.length > SIGNATURE_MAX ? v.slice(0, 64) : v))
      return void this.issues.push({ path: '/signature', code: 'invalid_value', message: 'signature must be a data:image/png;base64 URL' });
    if (v.length > SIGNATURE_MAX)
      return void this.issues.push({ path: '/signature', code: 'too_large', message: `signature must be at most ${SIGNATURE_MAX / 1024} KiB` });
    return v;
  }

  member(key: string): string | undefined {
    const v = this.b[key];
    if (typeof v !== 'string' || !v || v.length > 64)
      return void this.issues.push({ path: `/${key}`, code: 'required', message: `${key} must be a member id` });
    return v;
  }

  members(key: string): string[] | undefined {
    const v = this.b[key];
    if (!Array.isArray(v) || !v.length || v.length > 20 || !v.every((x) => typeof x === 'string' && x && x.length <= 64))
      return void this.issues.push({ path: `/${key}`, code: 'invalid_type', message: `${key} must list 1 to 20 member ids` });
    return v as string[];
  }

  oneOf<T extends string>(key: string, options: readonly T[], fallback?: T): T | undefined {
    const v = this.b[key] ?? fallback;
    if (!options.includes(v as T))
      return void this.issues.push({ path: `/${key}`, code: 'invalid_option', message: `${key} must be one of ${options.join(', ')}` });
    return v as T;
  }

  returnTarget(): ReturnTarget | undefined {
    const v = this.b.target ?? 'previous';
    if (v === 'previous' || v === 'start') return v;
    if (v && typeof v === 'object' && typeof (v as { nodeId?: unknown }).nodeId === 'string') return { nodeId: (v as { nodeId: string }).nodeId };
    return void this.issues.push({ path: '/target', code: 'invalid_value', message: 'target must be "previous", "start" or { "nodeId": … }' });
  }

  optionalString(key: string, max = 64): string | undefined {
    const v = this.b[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v.length > max) return void this.issues.push({ path: `/${key}`, code: 'invalid_type', message: `${key} must be text` });
    return v;
  }

  raw(key: string): unknown {
    return this.b[key];
  }

  doneOrThrow(): void {
    if (this.issues.length)
      throw new AppError('VALIDATION_FAILED', `${this.issues.length} invalid value(s): ${this.issues.map((i) => i.path).join(', ')}`, { errors: this.issues });
  }
}
