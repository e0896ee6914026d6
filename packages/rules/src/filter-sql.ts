import { parseConditionOrThrow, type ConditionNode, type LeafNode, type Scalar } from './condition-ast';
import { bindConditionOrThrow } from './condition-bind';
import { dateOfDay, dayNumber, relativeDateBounds, type DateBounds, type RelativeDateRange } from './dates';
import type { FilterField, ResolveField, SqlDialect, SqlFragment } from './types';
import { htmlContainsPattern, regionPrefix, VALUE_KINDS, type CanonicalValue } from './value-kinds';

/** LIKE escape character; '!' reads the same on MySQL (any sql_mode) and SQLite, unlike '\'. */
const LIKE_ESCAPE = '!';

export interface CompileFilterInput {
  /** A json-logic condition of the supported subset. */
  filter: unknown;
  resolveField: ResolveField;
  dialect: SqlDialect;
  /** Reference instant for relative date ranges (UTC). */
  now: Date;
}

/**
 * Compiles a json-logic filter to a parameterized WHERE fragment over the record table `r`.
 * Matches `evaluateFilter` row for row: a blank value never satisfies ==, <, in, contains…,
 * while `!=` and any negation ("!") do match blanks, as in json-logic.
 */
export function compileFilterOrThrow({ filter, resolveField, dialect, now }: CompileFilterInput): SqlFragment {
  const { node, fields } = bindConditionOrThrow({ node: parseConditionOrThrow(filter), resolveField });
  const ctx: Ctx = { dialect, now, field: (key) => fields.get(key)! };
  return emit(node, false, ctx);
}

interface Ctx {
  dialect: SqlDialect;
  now: Date;
  field(key: string): FilterField;
}

/** `negated` pushes "!" down to the leaves, so SQL's NULL logic never leaks through a NOT. */
function emit(node: ConditionNode, negated: boolean, ctx: Ctx): SqlFragment {
  switch (node.kind) {
    case 'const':
      return { sql: node.value !== negated ? '1=1' : '1=0', params: [] };
    case 'not':
      return emit(node.item, !negated, ctx);
    case 'and':
    case 'or': {
      const parts = node.items.map((item) => emit(item, negated, ctx));
      if (parts.length === 1) return parts[0]!;
      const joiner = (node.kind === 'and') !== negated ? ' AND ' : ' OR ';
      return { sql: `(${parts.map((p) => p.sql).join(joiner)})`, params: parts.flatMap((p) => p.params) };
    }
    default: {
      const leaf = leafSql(node, ctx.field(node.key), ctx);
      return { sql: negated ? leaf.neg : leaf.pos, params: leaf.params };
    }
  }
}

/** Both polarities of a leaf; they take the same parameters in the same order. */
interface LeafSql {
  pos: string;
  neg: string;
  params: unknown[];
}

const COMPLEMENT = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' } as const;

function leafSql(leaf: LeafNode, field: FilterField, ctx: Ctx): LeafSql {
  const col = field.column;
  switch (leaf.kind) {
    case 'compare': {
      if (leaf.value === null) {
        const isNull = { sql: `${col} IS NULL`, not: `${col} IS NOT NULL` };
        return leaf.op === '==' ? both(isNull.sql, isNull.not, []) : both(isNull.not, isNull.sql, []);
      }
      const params = [storage(field, leaf.value)];
      const equal = `${col} = ?`;
      const differ = `(${col} <> ? OR ${col} IS NULL)`;
      if (leaf.op === '==') return both(equal, differ, params);
      if (leaf.op === '!=') return both(differ, equal, params);
      return both(`${col} ${leaf.op} ?`, `(${col} ${COMPLEMENT[leaf.op]} ? OR ${col} IS NULL)`, params);
    }
    case 'between': {
      const [lo, hi] = leaf.inclusive ? ['>=', '<='] : ['>', '<'];
      const [notLo, notHi] = leaf.inclusive ? ['<', '>'] : ['<=', '>='];
      return both(`(${col} ${lo} ? AND ${col} ${hi} ?)`, `(${col} ${notLo} ? OR ${col} ${notHi} ? OR ${col} IS NULL)`, [
        storage(field, leaf.low),
        storage(field, leaf.high),
      ]);
    }
    case 'in': {
      if (leaf.values.length === 0) return both('1=0', '1=1', []);
      const marks = leaf.values.map(() => '?').join(', ');
      return nullable(
        col,
        `${col} IN (${marks})`,
        leaf.values.map((v) => storage(field, v)),
      );
    }
    case 'contains':
      return containsSql(field, leaf.value as CanonicalValue, ctx.dialect);
    case 'starts_with':
      return like(col, `${escapeLike(String(leaf.value))}%`);
    case 'in_region': {
      // A range over the stored codes (see regionPrefix): an index range scan on both databases.
      const prefix = regionPrefix(String(leaf.value));
      const next = String(Number(prefix) + 1).padStart(prefix.length, '0');
      return nullable(col, `(${col} >= ? AND ${col} < ?)`, [prefix, next]);
    }
    case 'is_empty':
    case 'is_not_empty': {
      const [empty, notEmpty] = emptySql(field, ctx.dialect);
      return leaf.kind === 'is_empty' ? both(empty, notEmpty, []) : both(notEmpty, empty, []);
    }
    case 'date_range':
      return dateRangeSql(field, leaf.range, ctx.now);
  }
}

function containsSql(field: FilterField, value: CanonicalValue, dialect: SqlDialect): LeafSql {
  const col = field.column;
  switch (field.valueKind) {
    case 'string-list':
      if (dialect === 'mysql') return nullable(col, `JSON_CONTAINS(${col}, JSON_ARRAY(?))`, [value]);
      return exists(`SELECT 1 FROM json_each(${col}) WHERE json_each.value = ?`, [value]);
    case 'id-list': {
      const link = field.link!;
      return exists(`SELECT 1 FROM ${link.table} l WHERE l.${link.recordColumn} = r.id AND l.${link.targetColumn} = ?`, [value]);
    }
    case 'html':
      return nullable(col, `${col} REGEXP ?`, [htmlContainsPattern(String(value))]);
    default:
      return like(col, `%${escapeLike(String(value))}%`);
  }
}

/** [is empty, is not empty], both free of NULL results. */
function emptySql(field: FilterField, dialect: SqlDialect): [string, string] {
  const col = field.column;
  switch (VALUE_KINDS[field.valueKind].empty) {
    case 'null':
      return [`${col} IS NULL`, `${col} IS NOT NULL`];
    case 'null-or-blank':
      return [`(${col} IS NULL OR ${col} = '')`, `(${col} IS NOT NULL AND ${col} <> '')`];
    case 'json-list': {
      const length = dialect === 'mysql' ? `JSON_LENGTH(${col})` : `json_array_length(${col})`;
      return [`(${col} IS NULL OR ${length} = 0)`, `(${col} IS NOT NULL AND ${length} > 0)`];
    }
    case 'link': {
      const link = field.link!;
      const rows = `EXISTS (SELECT 1 FROM ${link.table} l WHERE l.${link.recordColumn} = r.id)`;
      return [`NOT ${rows}`, rows];
    }
  }
}

function dateRangeSql(field: FilterField, range: DateBounds | RelativeDateRange, now: Date): LeafSql {
  const { from, to } = typeof range === 'string' ? relativeDateBounds(range, now) : range;
  const col = field.column;
  const startOf = (date: string) => storage(field, field.valueKind === 'datetime' ? `${date}T00:00:00.000Z` : date);
  const pos: string[] = [];
  const neg: string[] = [];
  const params: unknown[] = [];
  if (from !== null) {
    pos.push(`${col} >= ?`);
    neg.push(`${col} < ?`);
    params.push(startOf(from));
  }
  if (to !== null) {
    pos.push(`${col} < ?`);
    neg.push(`${col} >= ?`);
    params.push(startOf(dateOfDay(dayNumber(to) + 1)));
  }
  return both(`(${pos.join(' AND ')})`, `(${[...neg, `${col} IS NULL`].join(' OR ')})`, params);
}

function like(col: string, pattern: string): LeafSql {
  return nullable(col, `${col} LIKE ? ESCAPE '${LIKE_ESCAPE}'`, [pattern]);
}

function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c);
}

function exists(subquery: string, params: unknown[]): LeafSql {
  return both(`EXISTS (${subquery})`, `NOT EXISTS (${subquery})`, params);
}

/** A predicate that is NULL exactly when `col` is NULL; its negation must take blanks in. */
function nullable(col: string, sql: string, params: unknown[]): LeafSql {
  return both(sql, `(${col} IS NULL OR NOT (${sql}))`, params);
}

function both(pos: string, neg: string, params: unknown[]): LeafSql {
  return { pos, neg, params };
}

function storage(field: FilterField, value: Scalar): unknown {
  const canonical = value as CanonicalValue;
  const stored = field.toDb ? field.toDb(canonical) : VALUE_KINDS[field.valueKind].toDb(canonical);
  return typeof stored === 'boolean' ? (stored ? 1 : 0) : stored;
}
