/* Test fixture: one field per value kind, shaped as the API would resolve them. */
import type { FilterField, FilterOperator } from '../types';

const ORDERED: FilterOperator[] = ['==', '!=', '<', '<=', '>', '>=', 'between', 'in', 'is_empty', 'is_not_empty'];

export const FIELDS = {
  name: {
    key: 'name',
    type: 'text',
    valueKind: 'string',
    operators: [...ORDERED, 'contains', 'starts_with'],
    column: 'r.f_name',
    sortable: true,
  },
  amount: { key: 'amount', type: 'number', valueKind: 'number', operators: ORDERED, column: 'r.f_amount', sortable: true },
  closed_on: {
    key: 'closed_on',
    type: 'date',
    valueKind: 'date',
    operators: [...ORDERED, 'date_range'],
    column: 'r.f_closed_on',
    sortable: true,
  },
  seen_at: {
    key: 'seen_at',
    type: 'datetime',
    valueKind: 'datetime',
    operators: [...ORDERED, 'date_range'],
    column: 'r.f_seen_at',
    sortable: true,
  },
  active: {
    key: 'active',
    type: 'switch',
    valueKind: 'boolean',
    operators: ['==', '!=', 'is_empty', 'is_not_empty'],
    column: 'r.f_active',
    sortable: true,
  },
  stage: {
    key: 'stage',
    type: 'select',
    valueKind: 'string',
    operators: ['==', '!=', 'in', 'is_empty', 'is_not_empty'],
    column: 'r.f_stage',
    sortable: true,
  },
  tags: {
    key: 'tags',
    type: 'multiselect',
    valueKind: 'string-list',
    operators: ['contains', 'is_empty', 'is_not_empty'],
    column: 'r.f_tags',
    sortable: false,
  },
  owner: {
    key: 'owner',
    type: 'relation',
    valueKind: 'id',
    operators: ['==', '!=', 'in', 'is_empty', 'is_not_empty'],
    column: 'r.f_owner',
    sortable: true,
  },
  contacts: {
    key: 'contacts',
    type: 'relation',
    valueKind: 'id-list',
    operators: ['contains', 'is_empty', 'is_not_empty'],
    column: 'r.id',
    link: { table: 'l_contacts', recordColumn: 'record_id', targetColumn: 'target_id' },
    sortable: false,
  },
} satisfies Record<string, FilterField>;

export type FixtureKey = keyof typeof FIELDS;

export function resolveField(key: string): FilterField | undefined {
  return Object.hasOwn(FIELDS, key) ? FIELDS[key as FixtureKey] : undefined;
}
