import type { DepartmentRef, ExportLookups, ImportLookups, MemberRef, RecordRef } from '@crm/import';
import type { RequestContext } from '../../common/request-context';
import type { CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { rowToRecord } from '../records/record-codec';
import type { RecordsQueryService } from '../records/records-query.service';
import type { ImportsRepository } from './imports.repository';

/** Values per `in` filter (the rules package takes at most 1000). */
const IN_CHUNK = 500;

const chunks = <T>(list: T[], n: number): T[][] => Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, i * n + n));

/**
 * What the import and export engines ask of the workspace (packages/import's ImportLookups and
 * ExportLookups), for one member: members and departments of the workspace, and records the
 * member may view (their view scope of the target entity, through the records read path).
 * Each call is one query per kind (per 500 values), never one per row.
 */
export class ImportDirectory implements ImportLookups, ExportLookups {
  private departmentsCache: Promise<DepartmentRef[]> | null = null;
  private readonly entities = new Map<string, Promise<CompiledEntity>>();

  constructor(
    private readonly ctx: RequestContext,
    private readonly repo: ImportsRepository,
    private readonly reads: RecordsQueryService,
    private readonly runtime: EntityRuntime,
  ) {}

  async members(args: { emails: string[]; names: string[] }): Promise<MemberRef[]> {
    const out: MemberRef[] = [];
    const emails = chunks(args.emails, IN_CHUNK);
    const names = chunks(args.names, IN_CHUNK);
    for (let i = 0; i < Math.max(emails.length, names.length); i++)
      out.push(...(await this.repo.members(this.ctx.actor.workspaceId, emails[i] ?? [], names[i] ?? [])));
    return out;
  }

  async departments(args: { names: string[] }): Promise<DepartmentRef[]> {
    const wanted = new Set(args.names.map((n) => n.toLowerCase()));
    return (await this.allDepartments()).filter((d) => wanted.has(d.name.toLowerCase()));
  }

  async records(args: { entityId: string; field: string | undefined; values: (string | number)[] }): Promise<RecordRef[]> {
    const c = await this.entity(args.entityId);
    const key = args.field ?? c.meta.displayField;
    if (!key || !args.values.length) return [];
    const acc = await this.reads.entityAccessOf(this.ctx, c);
    if (!acc.can('view')) return [];
    const out: RecordRef[] = [];
    for (const part of chunks(args.values, IN_CHUNK)) {
      const rows = await this.reads.matchingRows(this.reads.db, c, acc, 'view', { in: [{ var: key }, part] }, part.length * 20, false);
      for (const row of rows) {
        const rec = rowToRecord(c, row);
        const value = rec[key];
        if (typeof value === 'string' || typeof value === 'number') out.push({ id: rec.id, key: value, version: rec.version });
      }
    }
    return out;
  }

  async memberNames(args: { ids: string[] }): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const part of chunks(args.ids, IN_CHUNK)) for (const m of await this.repo.membersByIds(this.ctx.actor.workspaceId, part)) out.set(m.id, m.name);
    return out;
  }

  async departmentPaths(args: { ids: string[] }): Promise<Map<string, string[]>> {
    const wanted = new Set(args.ids);
    return new Map((await this.allDepartments()).filter((d) => wanted.has(d.id)).map((d) => [d.id, d.path]));
  }

  async recordTitles(args: { entityId: string; ids: number[] }): Promise<Map<number, string>> {
    const c = await this.entity(args.entityId);
    const out = new Map<number, string>();
    const key = c.meta.displayField;
    const acc = await this.reads.entityAccessOf(this.ctx, c);
    if (!acc.can('view')) return out;
    for (const part of chunks(args.ids, IN_CHUNK)) {
      const rows = await this.reads.matchingRows(this.reads.db, c, acc, 'view', { in: [{ var: 'id' }, part] }, part.length, false);
      for (const row of rows) {
        const rec = rowToRecord(c, row);
        const title = key && acc.readable(key) ? rec[key] : undefined;
        out.set(rec.id, title === null || title === undefined || title === '' ? `#${rec.id}` : String(title));
      }
    }
    return out;
  }

  private entity(id: string): Promise<CompiledEntity> {
    let p = this.entities.get(id);
    if (!p) this.entities.set(id, (p = this.runtime.getOrThrow(this.ctx.actor.workspaceId, id)));
    return p;
  }

  private allDepartments(): Promise<DepartmentRef[]> {
    this.departmentsCache ??= this.repo.departments(this.ctx.actor.workspaceId).then((rows) => {
      const byId = new Map(rows.map((r) => [r.id, r]));
      const pathOf = (id: string): string[] => {
        const names: string[] = [];
        for (let at = byId.get(id), guard = 0; at && guard < 100; at = at.parent_id ? byId.get(at.parent_id) : undefined, guard++) names.unshift(at.name);
        return names;
      };
      return rows.map((r) => ({ id: r.id, name: r.name, path: pathOf(r.id) }));
    });
    return this.departmentsCache;
  }
}
