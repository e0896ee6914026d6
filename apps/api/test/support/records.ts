import type { Client } from './harness';

/** Query string of a list or count call; objects (filters) are sent as JSON text. */
export function qs(params: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    parts.push(`${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Ids of live records in list order (first page, up to 200). */
export async function listIds(c: Client, entityId: string, params: Record<string, unknown> = {}): Promise<number[]> {
  const res = await c.get(`/api/entities/${entityId}/records${qs({ limit: 200, ...params })}`);
  if (res.status !== 200) throw new Error(`list: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items.map((r: { id: number }) => r.id);
}

/** Number of live records, read with the count endpoint. */
export async function countOf(c: Client, entityId: string): Promise<number> {
  const res = await c.get(`/api/entities/${entityId}/records/count`);
  if (res.status !== 200) throw new Error(`count: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.count;
}

/** Uploads bytes as multipart part `file`; returns the file dto. */
export async function upload(c: Client, name: string, bytes: Uint8Array, mime: string): Promise<{ id: string; name: string; size: number; mime: string }> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: mime }), name);
  const res = await c.request('POST', '/api/files', form);
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The paths of a 400 VALIDATION_FAILED body, sorted. */
export function paths(body: { errors?: { path: string }[] }): string[] {
  return (body.errors ?? []).map((e) => e.path).sort();
}
