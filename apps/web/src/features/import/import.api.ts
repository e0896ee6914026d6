import { api, ApiError, callOrThrow } from '../../api/client';
import { toProblem } from '@crm/api-client';
import type { Id } from '../apps/api/apps.api';

export type ImportStatus = 'draft' | 'queued' | 'running' | 'done' | 'failed' | 'aborted';
export type ValueAction = 'map' | 'add' | 'skip' | 'empty';

export interface ColumnMapping {
  column: number;
  target: string | null;
}

export interface ValueMapping {
  target: string;
  value: string;
  action: ValueAction;
  to?: string | number;
}

export interface MappingReport {
  columns: {
    column: number;
    header: string;
    letter: string;
    target: string | null;
    how: string | null;
    importable: string | null;
    note?: string;
    recognized?: string;
  }[];
  unmapped: number[];
  missingRequired: { path: string; label: string }[];
  targets: { path: string; label: string; kind: string; importable: string; type?: string | null }[];
}

export interface ImportChoices {
  mapping?: ColumnMapping[];
  valueMappings?: ValueMapping[];
  write?: 'valid-rows' | 'all-or-nothing';
  upsertBy?: string | null;
  dateFormat?: 'auto' | 'YMD' | 'MDY' | 'DMY';
  numberFormat?: 'dot' | 'comma';
  timeZone?: string;
}

export interface ImportSession {
  id: string;
  entityId: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  status: ImportStatus;
  phase: string | null;
  info: { format: string; headerRow: number; columns: { index: number; name: string; letter: string }[]; csv?: { encoding: string } } | null;
  mapping: MappingReport | null;
  choices: ImportChoices;
  progress: { totalRows: number | null; rowsRead: number; rowsDone: number; created: number; updated: number; errorRows: number; errorCount: number };
  errorFile: boolean;
  lastError: string | null;
}

export interface RowProblem {
  row: number;
  column: string;
  field: string | null;
  code: string;
  message: { 'zh-CN': string; en: string };
  value: string | null;
}

export interface UnmatchedColumn {
  column: number;
  header: string;
  target: string;
  kind: 'choice' | 'member' | 'department' | 'relation';
  values: { value: string; count: number; rows: number[]; reason: 'not_found' | 'ambiguous'; candidates: string[]; suggestions: string[] }[];
  truncated: boolean;
  otherCount: number;
}

export interface ScanResult {
  mapping: MappingReport;
  totalRows: number;
  validRows: number;
  errorRows: number;
  errorCount: number;
  creates: number;
  updates: number;
  preview: { rowNumber: number; cells: string[]; errors: RowProblem[]; action: 'create' | 'update' | 'none' }[];
  unmatched: UnmatchedColumn[];
  dateHints: { column: number; target: string; orders: string[]; ambiguousValues: number }[];
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Uploads the file (multipart; the JSON client cannot send it) and answers the new import session. */
export async function uploadImportOrThrow(args: { entityId: Id; file: File; encoding?: string }): Promise<ImportSession> {
  const form = new FormData();
  form.append('file', args.file, args.file.name);
  if (args.encoding && args.encoding !== 'auto') form.append('encoding', args.encoding);
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const csrf = readCookie('csrf');
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (document.documentElement.lang) headers['Accept-Language'] = document.documentElement.lang;
  const res = await fetch(`/api/entities/${encodeURIComponent(args.entityId)}/imports`, { method: 'POST', body: form, headers, credentials: 'include' });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new ApiError(toProblem(body, res));
  return body as unknown as ImportSession;
}

export function getImportOrThrow(id: string, signal?: AbortSignal): Promise<ImportSession> {
  return callOrThrow(api.GET('/api/imports/{id}', { params: { path: { id } }, signal })) as Promise<unknown> as Promise<ImportSession>;
}

export function scanImportOrThrow(id: string, choices: ImportChoices): Promise<ScanResult> {
  return callOrThrow(api.POST('/api/imports/{id}/scan', { params: { path: { id } }, body: choices as never })) as Promise<unknown> as Promise<ScanResult>;
}

export function runImportOrThrow(id: string, choices: ImportChoices): Promise<ImportSession> {
  return callOrThrow(api.POST('/api/imports/{id}/run', { params: { path: { id } }, body: choices as never })) as Promise<unknown> as Promise<ImportSession>;
}

export const errorFileUrl = (id: string) => `/api/imports/${encodeURIComponent(id)}/error-file`;

/** The export of a view: its filter (json-logic), sort and visible columns. */
export function exportUrl(args: { entityId: Id; format: 'csv' | 'xlsx' } & ExportView): string {
  const q = new URLSearchParams({ format: args.format, timeZone: timeZone() });
  if (args.filter) q.set('filter', JSON.stringify(args.filter));
  if (args.sort) q.set('sort', args.sort);
  if (args.columns?.length) q.set('columns', args.columns.join(','));
  return `/api/entities/${encodeURIComponent(args.entityId)}/export?${q.toString()}`;
}

/** What an export writes: the view's filter (json-logic), sort and visible columns in their order. */
export interface ExportView {
  filter?: unknown;
  sort?: string;
  columns?: string[];
}

/** An export prepared in the background (`export.run`): its progress, then its file. */
export interface ExportJob {
  id: string;
  entityId: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  status: 'queued' | 'running' | 'done' | 'failed';
  rows: number;
  lastError: string | null;
}

const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function startExportOrThrow(args: { entityId: Id; format: 'csv' | 'xlsx' } & ExportView): Promise<ExportJob> {
  const body = {
    format: args.format,
    timeZone: timeZone(),
    ...(args.filter ? { filter: args.filter as never } : {}),
    ...(args.sort ? { sort: args.sort } : {}),
    ...(args.columns?.length ? { columns: args.columns.join(',') } : {}),
  };
  return callOrThrow(
    api.POST('/api/entities/{entityId}/exports', { params: { path: { entityId: args.entityId } }, body }),
  ) as Promise<unknown> as Promise<ExportJob>;
}

export function getExportOrThrow(id: string, signal?: AbortSignal): Promise<ExportJob> {
  return callOrThrow(api.GET('/api/exports/{id}', { params: { path: { id } }, signal })) as Promise<unknown> as Promise<ExportJob>;
}

export const exportFileUrl = (id: string) => `/api/exports/${encodeURIComponent(id)}/file`;
