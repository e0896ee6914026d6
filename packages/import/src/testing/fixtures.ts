// Helpers for this package's tests: in-memory files, a directory and record store behind the
// lookup interfaces (as the API will implement them over the database), xlsx files built with exceljs.
import ExcelJS from 'exceljs';
import { PassThrough, Writable } from 'node:stream';
import { type FieldDefinition, normalizeFieldOrThrow } from '@crm/schema';
import type { ExportLookups } from '../write/export';
import type { DepartmentRef, ImportLookups, MemberRef, RecordRef } from '../plan/lookups';
import { matchKey } from '../text';
import type { ByteSource, OpenFile } from '../types';

/** A file in memory, yielded in chunks of `chunk` bytes (small chunks test boundaries). */
export function memoryFile(bytes: Uint8Array, chunk = 64 * 1024): OpenFile {
  return () =>
    (async function* (): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    })() as ByteSource;
}

/** A writable stream that keeps what is written. */
export function sinkStream(): { stream: Writable; bytes: () => Buffer } {
  const parts: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      parts.push(Buffer.from(chunk));
      cb();
    },
  });
  return { stream, bytes: () => Buffer.concat(parts) };
}

/** A `.xlsx` built with exceljs's streaming writer; `build` adds rows to the sheet(s). */
export async function xlsxBytes(build: (workbook: ExcelJS.stream.xlsx.WorkbookWriter) => Promise<void> | void, sharedStrings = true): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: sharedStrings, useStyles: true });
  await build(workbook);
  await workbook.commit();
  await done;
  return Buffer.concat(parts);
}

export interface FakeRecord {
  id: number;
  version?: number;
  [field: string]: unknown;
}

/** Members, departments and records, answering the import's and export's lookups; counts calls. */
export class FakeDirectory implements ImportLookups, ExportLookups {
  calls = { members: 0, departments: 0, records: 0 };
  recordCalls: { entityId: string; field: string | undefined; values: (string | number)[] }[] = [];

  constructor(
    public members_: MemberRef[] = [],
    public departments_: DepartmentRef[] = [],
    /** Records per entity; `titles` names each entity's title field. */
    public records_: Record<string, FakeRecord[]> = {},
    public titles: Record<string, string> = {},
  ) {}

  async members(args: { emails: string[]; names: string[] }): Promise<MemberRef[]> {
    this.calls.members++;
    const emails = new Set(args.emails.map(matchKey));
    const names = new Set(args.names.map(matchKey));
    return this.members_.filter((m) => (m.email && emails.has(matchKey(m.email))) || names.has(matchKey(m.name)));
  }

  async departments(args: { names: string[] }): Promise<DepartmentRef[]> {
    this.calls.departments++;
    const names = new Set(args.names.map(matchKey));
    return this.departments_.filter((d) => names.has(matchKey(d.name)));
  }

  async records(args: { entityId: string; field: string | undefined; values: (string | number)[] }): Promise<RecordRef[]> {
    this.calls.records++;
    this.recordCalls.push(args);
    const field = args.field ?? this.titles[args.entityId] ?? 'name';
    const wanted = new Set(args.values.map((v) => matchKey(String(v))));
    return (this.records_[args.entityId] ?? [])
      .filter((r) => r[field] !== undefined && r[field] !== null && wanted.has(matchKey(String(r[field]))))
      .map((r) => ({ id: r.id, key: r[field] as string | number, version: r.version ?? 1 }));
  }

  /** Stores records the way the API would after a create batch. */
  insert(entityId: string, values: Record<string, unknown>): number {
    const list = (this.records_[entityId] ??= []);
    const id = (list.at(-1)?.id ?? 0) + 1;
    list.push({ id, version: 1, ...values });
    return id;
  }

  async memberNames(args: { ids: string[] }): Promise<Map<string, string>> {
    return new Map(this.members_.filter((m) => args.ids.includes(m.id)).map((m) => [m.id, m.name]));
  }

  async departmentPaths(args: { ids: string[] }): Promise<Map<string, string[]>> {
    return new Map(this.departments_.filter((d) => args.ids.includes(d.id)).map((d) => [d.id, d.path]));
  }

  async recordTitles(args: { entityId: string; ids: number[] }): Promise<Map<number, string>> {
    const field = this.titles[args.entityId] ?? 'name';
    return new Map((this.records_[args.entityId] ?? []).filter((r) => args.ids.includes(r.id)).map((r) => [r.id, String(r[field])]));
  }
}

/** A field definition as the API holds it (normalized: settings complete). */
export const field = (
  key: string,
  type: FieldDefinition['type'],
  settings: Record<string, unknown> = {},
  extra: Partial<FieldDefinition> = {},
): FieldDefinition => normalizeFieldOrThrow({ field: { key, label: extra.label ?? key, type, settings, ...extra } });

/** All chunks' rows of a table. */
export async function readAll<T>(chunks: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const chunk of chunks) out.push(...chunk);
  return out;
}
