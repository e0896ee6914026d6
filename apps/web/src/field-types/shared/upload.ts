import { readCsrfCookie, toProblem, type Problem } from '@crm/api-client';
import type { TFunction } from 'i18next';

/** A file as the API's file routes answer and as attachment values hold it. */
export interface StoredFile {
  id: string;
  name: string;
  size: number;
  mime: string;
}

/** The problem an upload answered with (413 too large, 400 refused type…), as the field shows it. */
export class UploadProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/**
 * What the member reads when an upload fails, in their language: a file over the server's limit
 * (413) says to choose a smaller one; other codes the UI knows are translated; else the server's
 * own detail.
 */
export function uploadProblemText(err: unknown, t: TFunction): string {
  if (!(err instanceof UploadProblem)) return String(err);
  if (err.problem.code === 'PAYLOAD_TOO_LARGE' || err.problem.status === 413) return t('widgets.fileTooLarge');
  return t(`problems.${err.problem.code}`, { defaultValue: err.message });
}

/**
 * POST /api/files with upload progress. The typed client's fetch cannot report upload
 * progress, so this one call uses XMLHttpRequest with the same CSRF header and language.
 */
export function uploadFile(args: { file: Blob; name: string; onProgress?: (percent: number) => void; signal?: AbortSignal }): Promise<StoredFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/files');
    xhr.withCredentials = true;
    const csrf = readCsrfCookie();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    const lang = document.documentElement.lang;
    if (lang) xhr.setRequestHeader('Accept-Language', lang);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) args.onProgress?.(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as StoredFile);
      else reject(new UploadProblem(toProblem(body, new Response(null, { status: xhr.status, statusText: xhr.statusText }))));
    };
    xhr.onerror = () => reject(new UploadProblem({ type: 'about:blank', title: 'NETWORK_ERROR', status: 0, code: 'NETWORK_ERROR' as Problem['code'] }));
    args.signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', args.file, args.name);
    xhr.send(form);
  });
}

/** Files of an attachment value: reads give `{ id, name, size, mime }`, a fresh value may hold bare ids. */
export function filesOfValue(value: unknown): StoredFile[] {
  return (Array.isArray(value) ? value : [])
    .map((f) => (typeof f === 'string' ? { id: f, name: f, size: 0, mime: '' } : (f as StoredFile)))
    .filter((f): f is StoredFile => !!f && typeof f.id === 'string');
}

/** Why a chosen file may not be added before it is sent: too many files or a type the field refuses; null when fine. */
export function fileRefusal(args: {
  file: { type: string };
  count: number;
  maxFiles: number;
  accept?: readonly string[];
}): { key: 'tooMany' | 'badType'; max?: number } | null {
  if (args.count >= args.maxFiles) return { key: 'tooMany', max: args.maxFiles };
  if (!mimeAllowed(args.file.type, args.accept)) return { key: 'badType' };
  return null;
}

/** `image/*`, exact types and `*\/*`; no list: anything. */
export function mimeAllowed(mime: string, accept?: readonly string[]): boolean {
  if (!accept || accept.length === 0) return true;
  const m = mime.toLowerCase();
  return accept.some((p) => {
    const pat = p.toLowerCase();
    return pat === '*/*' || pat === m || (pat.endsWith('/*') && m.startsWith(pat.slice(0, -1)));
  });
}

/** 1 536 → "1.5 KB". */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
