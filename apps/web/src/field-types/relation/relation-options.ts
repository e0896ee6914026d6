import { api, callOrThrow } from '../../api/client';

/** One record the relation picker offers: its id, the target's display field, the configured display fields. */
export interface RelationOption {
  id: number;
  label: string;
  fields: Record<string, unknown>;
}

export interface RelationOptionPage {
  items: RelationOption[];
  nextCursor: string | null;
}

/**
 * A page of the picker's choices from the server (GET …/fields/:key/options): a contains-search
 * on the display field, the field's configured filter over the form's current values, and the
 * target entity's permissions — all applied by the server.
 */
export async function relationOptionsOrThrow(args: {
  entityId: string;
  fieldKey: string;
  q: string;
  values: Record<string, unknown>;
  /** The subform row, for a relation inside a subform (`$row.<key>` in its filter). */
  row?: Record<string, unknown>;
  cursor: string | null;
  limit?: number;
  signal?: AbortSignal;
}): Promise<RelationOptionPage> {
  const query = {
    q: args.q || undefined,
    values: JSON.stringify(pickScalars(args.values)),
    row: args.row ? JSON.stringify(pickScalars(args.row)) : undefined,
    limit: args.limit ?? 20,
    cursor: args.cursor ?? undefined,
  };
  return (await callOrThrow(
    api.GET('/api/entities/{entityId}/fields/{key}/options', {
      params: { path: { entityId: args.entityId, key: args.fieldKey }, query },
      signal: args.signal,
    }),
  )) as RelationOptionPage;
}

/** The form values a filter may name ($form.<key>): subform rows and files left out to keep the URL short. */
export function pickScalars(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    if (Array.isArray(v) ? v.every((x) => typeof x !== 'object' || x === null) : typeof v !== 'object' || v === null) out[k] = v;
  }
  return out;
}

/** The option text: the display field, then the configured display fields' values in brackets. */
export function optionText(option: RelationOption): string {
  const label = option.label || `#${option.id}`;
  // `fields` carries the display field too: it is the label already.
  const extra = Object.values(option.fields ?? {})
    .filter((v) => v !== null && v !== undefined && v !== '' && typeof v !== 'object')
    .map(String)
    .filter((v) => v !== label);
  return extra.length ? `${label} (${extra.join(', ')})` : label;
}
