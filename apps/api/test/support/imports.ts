import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Api, Client } from './harness';

/** Uploads a file to import into an entity (multipart `file` plus reading options). */
export async function uploadImport(c: Client, entityId: string, name: string, bytes: Uint8Array, fields: Record<string, string> = {}): Promise<Api> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return c.request('POST', `/api/entities/${entityId}/imports`, form);
}

/** Polls an import until its job finished (done, aborted or failed). */
export async function waitForImport(c: Client, id: string, timeoutMs = 60_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await c.get(`/api/imports/${id}`);
    if (res.status !== 200) throw new Error(`import ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    if (['done', 'aborted', 'failed'].includes(res.body.status)) return res.body;
    if (Date.now() > until) throw new Error(`import ${id} still ${res.body.status}: ${JSON.stringify(res.body.progress)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Downloads bytes (the error file, an export) with the client's session. */
export async function download(c: Client, path: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(c.baseUrl + path, { headers: { cookie: c.cookie } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

export const gbk = (text: string): Buffer => iconv.encode(text, 'gbk');
export const fromGbk = (bytes: Buffer): string => iconv.decode(bytes, 'gbk');

/** A one-sheet workbook from rows of cells. */
export async function xlsxOf(rows: (string | number | Date | null)[][], sheet = 'Sheet1'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The rows of the first sheet of a workbook, as text. */
export async function xlsxRows(bytes: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return out;
}
