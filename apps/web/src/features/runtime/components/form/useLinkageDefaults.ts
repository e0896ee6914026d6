import { type FormDefinition, linkageRequest } from '@crm/forms';
import { useEffect, useRef } from 'react';
import type { Id } from '../../../apps/api/apps.api';
import { linkageValueOrThrow } from '../../form.api';

type Values = Record<string, unknown>;

/** The form's data-linkage default keys. */
export function linkageKeys(form: FormDefinition): string[] {
  return Object.entries(form.fields)
    .filter(([, cfg]) => cfg.default?.kind === 'linkage')
    .map(([key]) => key);
}

/** How long the values a linkage reads must rest before it is looked up (one request per pause in typing). */
export const LINKAGE_DEBOUNCE_MS = 350;

/**
 * Data-linkage defaults filled live: when the form values a linkage's condition reads change
 * (its request, with the values in place, differs from the last one), the server is asked for
 * the value (POST …/form/linkage, read as the member) after a pause, and `fill` puts it in the
 * field — only while the member has not typed into it (`typed`). A blank value the condition
 * reads clears a value filled this way, as a save would fill none. An answer that comes after
 * the values moved on, or after the member typed into the field, is dropped.
 */
export function useLinkageDefaults({
  entityId,
  form,
  values,
  typed,
  fill,
}: {
  entityId: Id;
  form: FormDefinition;
  values: Values;
  typed: ReadonlySet<string>;
  fill: (key: string, value: unknown) => void;
}) {
  const last = useRef(new Map<string, string>());
  // Changed since the last lookup, waiting for the pause.
  const pending = useRef(new Map<string, string>());
  const filled = useRef(new Set<string>());
  const latest = useRef({ typed, fill, values });
  latest.current = { typed, fill, values };
  const keys = linkageKeys(form).filter((k) => !typed.has(k));
  const signature = JSON.stringify(keys.map((key) => [key, JSON.stringify(linkageRequest({ form, key, values }))]));
  const unmounted = useRef<AbortController | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    unmounted.current = controller;
    return () => controller.abort();
  }, []);

  useEffect(() => {
    for (const [key, req] of JSON.parse(signature) as [string, string][]) {
      const before = last.current.get(key);
      last.current.set(key, req);
      // The values the form opened with are not a change: an edit keeps its stored values.
      if (before !== undefined && before !== req) pending.current.set(key, req);
    }
    if (!pending.current.size) return;
    const timer = setTimeout(() => {
      const due = [...pending.current];
      pending.current.clear();
      const signal = unmounted.current?.signal;
      for (const [key, req] of due) {
        if (req === 'null') {
          if (filled.current.delete(key)) latest.current.fill(key, undefined);
          continue;
        }
        linkageValueOrThrow({ entityId, field: key, values: latest.current.values, signal })
          .then((value) => {
            if (signal?.aborted || latest.current.typed.has(key) || last.current.get(key) !== req) return;
            filled.current.add(key);
            latest.current.fill(key, value ?? undefined);
          })
          .catch(() => undefined); // the server fills it on save in any case
      }
    }, LINKAGE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [signature, entityId]);
}
