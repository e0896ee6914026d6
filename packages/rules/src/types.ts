/** Field vocabulary shared with the field-type registry. */
export type { FieldTypeKey, FilterOperator, ValueKind } from '@crm/schema';
import type { FieldTypeKey, FilterOperator, ValueKind } from '@crm/schema';

export type SqlDialect = 'mysql' | 'sqlite';

/** A parameterized SQL fragment; `?` placeholders on both dialects. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/** What the compilers need to know about one field; built by the API from field metadata. */
export interface FilterField {
  key: string;
  type: FieldTypeKey;
  valueKind: ValueKind;
  operators: readonly FilterOperator[];
  /** Qualified column of the record table (alias `r`), e.g. `r.f_ab12cd`. Never user text. */
  column: string;
  /** Relation many: link table holding (record id, target id) pairs. */
  link?: { table: string; recordColumn: string; targetColumn: string };
  /** Converts a canonical filter value (API form) to its stored form. */
  toDb?: (value: unknown) => unknown;
  sortable: boolean;
}

export type ResolveField = (key: string) => FilterField | undefined;
