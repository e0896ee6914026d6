import { type FieldDefinition, normalizeFieldOrThrow } from '@crm/schema';
import { AppError } from '../../common/errors';

const FIELD_INPUT_KEYS = ['key', 'label', 'type', 'required', 'unique', 'indexed', 'settings'];

/** Normalises one field input, with error paths under `prefix` (e.g. `/fields/2`). */
export function normalizeFieldInputOrThrow(input: unknown, prefix = ''): FieldDefinition {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new AppError('VALIDATION_FAILED', 'A field must be an object', {
      errors: [{ path: prefix || '/', code: 'invalid_type', message: 'A field must be an object' }],
    });
  }
  const unknownKeys = Object.keys(input).filter((k) => !FIELD_INPUT_KEYS.includes(k));
  if (unknownKeys.length) {
    throw new AppError('VALIDATION_FAILED', `Unknown field properties: ${unknownKeys.join(', ')}`, {
      errors: unknownKeys.map((k) => ({ path: `${prefix}/${k}`, code: 'unknown_field', message: `${k} is not a field property` })),
    });
  }
  const raw = input as Record<string, unknown>;
  try {
    return normalizeFieldOrThrow({ field: { ...raw, settings: raw.settings ?? {} } as unknown as FieldDefinition });
  } catch (err) {
    const e = err as { issues?: { path: string }[] };
    if (prefix && Array.isArray(e.issues)) for (const i of e.issues) i.path = `${prefix}${i.path}`;
    throw err;
  }
}

/**
 * Normalises a changed field. Flags in `droppable` were carried over from the old type, not
 * asked for: they stay where the new type supports them (a unique code stays unique as a
 * number) and are dropped where it does not, instead of failing the change.
 */
export function normalizeFieldChangeOrThrow(input: Record<string, unknown>, droppable: string[]): FieldDefinition {
  try {
    return normalizeFieldInputOrThrow(input);
  } catch (err) {
    const paths = ((err as { issues?: { path: string }[] }).issues ?? []).map((i) => i.path);
    if (!paths.length || !paths.every((p) => droppable.includes(p.slice(1)))) throw err;
    return normalizeFieldInputOrThrow({ ...input, ...Object.fromEntries(paths.map((p) => [p.slice(1), false])) });
  }
}
