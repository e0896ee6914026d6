import { compileFilterOrThrow } from '@crm/rules';
import { formatDecimal, type RollupSettings } from '@crm/schema';
import type { Dialect } from '../../database/db';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { RelationStorage } from './computed.repository';

const AGGREGATE_SQL: Record<RollupSettings['aggregate'], string> = { sum: 'SUM', avg: 'AVG', count: 'COUNT', min: 'MIN', max: 'MAX' };

/** Where the source's relation field keeps its target ids; null when the field is gone. */
export function relationStorageOf(source: CompiledEntity, key: string): RelationStorage | null {
  const f = source.byKey.get(key);
  if (!f || f.type !== 'relation') return null;
  if (f.physical.column) return { column: f.physical.column };
  if (f.physical.table) return { linkTable: f.physical.table };
  return null;
}

/**
 * The aggregate query of a rollup over its source entity, from generated names only: the
 * aggregated column, the relation's storage and the compiled condition (parameterised).
 * Null when the source no longer has the relation or the field.
 */
export function rollupQuery(args: { source: CompiledEntity; settings: RollupSettings; dialect: Dialect; now: Date }) {
  const { source, settings } = args;
  const rel = relationStorageOf(source, settings.relationField);
  if (!rel) return null;
  let column: string | null = null;
  if (settings.field) {
    const f = source.byKey.get(settings.field);
    if (!f?.physical.column) return null;
    column = `r.${f.physical.column}`;
  }
  const aggregate = settings.aggregate === 'count' ? `COUNT(${column ?? '*'})` : `${AGGREGATE_SQL[settings.aggregate]}(${column})`;
  const cond = settings.condition
    ? compileFilterOrThrow({ filter: settings.condition, resolveField: source.resolveField, dialect: args.dialect, now: args.now })
    : null;
  return { sourceTable: source.meta.table, rel, aggregate, where: cond?.sql ?? null, params: cond?.params ?? [] };
}

/** An aggregate as the API shows it: a number rounded to the rollup's precision, or null. */
export function rollupValue(raw: unknown, settings: RollupSettings): number | null {
  if (raw === null || raw === undefined) return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) return null;
  const rounded = Number(formatDecimal({ value: n, scale: settings.precision ?? 2 }));
  return rounded === 0 ? 0 : rounded;
}
