import { substituteVariables } from '@crm/access';
import { compileFilterOrThrow, evaluateFilter, type FilterField } from '@crm/rules';
import { fieldTypes } from '@crm/schema';
import { describe, expect, it } from 'vitest';
import {
  type ConditionField,
  type ConditionGroup,
  emptyGroup,
  fromJsonLogic,
  incompleteRules,
  newRule,
  operatorsForField,
  replaceItem,
  SYSTEM_CONDITION_FIELDS,
  toJsonLogic,
} from './condition-model';

const FIELDS: ConditionField[] = [
  { key: 'name', label: '客户名称', type: 'text' },
  { key: 'amount', label: '金额', type: 'number' },
  { key: 'closed_on', label: 'Closed on', type: 'date' },
  { key: 'stage', label: 'Stage', type: 'select', settings: { options: [{ value: 'won', label: 'Won' }] } },
  { key: 'tags', label: 'Tags', type: 'multiselect', settings: { options: [{ value: 'vip', label: 'VIP' }] } },
  { key: 'dept', label: 'Dept', type: 'department' },
  { key: 'rep', label: 'Rep', type: 'member' },
  { key: 'active', label: 'Active', type: 'switch' },
  { key: 'addr', label: 'Address', type: 'address' },
  ...SYSTEM_CONDITION_FIELDS,
];

/** The filter view the server builds for a field (entity-runtime filterFieldOf), over a fake column. */
function resolveField(key: string): FilterField | undefined {
  const field = FIELDS.find((f) => f.key === key);
  if (!field) return undefined;
  const type = fieldTypes[field.type];
  const settings = { ...(type.defaultSettings as object), ...(field.settings ?? {}) } as never;
  return { key, type: field.type, valueKind: type.valueKind(settings), operators: type.operatorsFor(settings), column: `r.f_${key}`, sortable: true };
}

/** What the permission service does with a row scope before compiling it. */
function serverCompiles(json: unknown) {
  const filter = substituteVariables({
    condition: json,
    values: { $user: 'u1', $user_departments: ['d1', 'd2'], $today: '2026-12-02', $now: '2026-12-02T10:00:00.000Z' },
  });
  return compileFilterOrThrow({ filter, resolveField, dialect: 'sqlite', now: new Date('2026-12-02T10:00:00Z') });
}

const CASES: unknown[] = [
  { '==': [{ var: 'name' }, 'Acme'] },
  { and: [{ '>=': [{ var: 'amount' }, 1000] }, { '!=': [{ var: 'stage' }, 'won'] }] },
  { or: [{ '<=': [100, { var: 'amount' }, 500] }, { is_empty: [{ var: 'closed_on' }] }] },
  { and: [{ in: [{ var: 'stage' }, ['won']] }, { '!': { in: [{ var: 'stage' }, ['won']] } }] },
  { and: [{ contains: [{ var: 'tags' }, 'vip'] }, { '!': { contains: [{ var: 'name' }, 'test'] } }, { starts_with: [{ var: 'name' }, 'A'] }] },
  { and: [{ date_range: [{ var: 'closed_on' }, 'this_month'] }, { date_range: [{ var: 'createdAt' }, { from: '2026-01-01', to: '2026-01-31' }] }] },
  { or: [{ '==': [{ var: 'ownerId' }, '$user'] }, { in: [{ var: 'dept' }, '$user_departments'] }] },
  { and: [{ '<=': [{ var: 'closed_on' }, '$today'] }, { '==': [{ var: 'active' }, true] }, { in_region: [{ var: 'addr' }, '440300'] }] },
  { and: [{ '==': [{ var: 'rep' }, '$user'] }, { or: [{ is_not_empty: [{ var: 'tags' }] }, { '>': [{ var: 'amount' }, 0] }] }] },
];

describe('condition builder model', () => {
  it.each(CASES.map((c) => [JSON.stringify(c), c]))('reads and writes %s exactly, and the server compiles it', (_text, json) => {
    const tree = fromJsonLogic(json);
    expect(tree).toBeDefined();
    expect(toJsonLogic(tree!)).toEqual(json);
    expect(() => serverCompiles(json)).not.toThrow();
  });

  it('writes what it builds in a form the server compiles and evaluates as meant', () => {
    let tree: ConditionGroup = emptyGroup('or');
    const amount = newRule(FIELDS[1]!);
    const stage = newRule(FIELDS[3]!);
    tree = {
      ...tree,
      items: [
        { ...amount, op: '>', value: 10 },
        { ...stage, op: 'in', value: ['won'] },
      ],
    };
    const json = toJsonLogic(tree);
    expect(json).toEqual({ or: [{ '>': [{ var: 'amount' }, 10] }, { in: [{ var: 'stage' }, ['won']] }] });
    serverCompiles(json);
    expect(evaluateFilter({ filter: json, record: { amount: 5, stage: 'won' }, now: new Date() })).toBe(true);
    expect(evaluateFilter({ filter: json, record: { amount: 5, stage: 'lost' }, now: new Date() })).toBe(false);
  });

  it('writes a single rule bare and an empty tree as no condition', () => {
    expect(toJsonLogic(emptyGroup())).toBeNull();
    expect(fromJsonLogic(null)?.items).toEqual([]);
    const only = fromJsonLogic({ and: [{ '==': [{ var: 'name' }, 'x'] }] })!;
    expect(toJsonLogic(only)).toEqual({ '==': [{ var: 'name' }, 'x'] });
  });

  it('leaves what it cannot show to the JSON editor instead of dropping it', () => {
    expect(fromJsonLogic({ '!': { and: [{ '==': [{ var: 'name' }, 'x'] }] } })).toBeUndefined();
    expect(fromJsonLogic({ '<': [1, { var: 'amount' }, 5] })).toBeUndefined();
    expect(fromJsonLogic(true)).toBeUndefined();
    expect(fromJsonLogic({ and: [{ '==': [{ var: 'name' }, 'x'] }, { cat: ['a'] }] })).toBeUndefined();
  });

  it('offers only the operators the field type supports', () => {
    expect(operatorsForField(FIELDS[0]!)).toEqual(['==', '!=', 'in', 'not_in', 'contains', 'not_contains', 'starts_with', 'is_empty', 'is_not_empty']);
    expect(operatorsForField(FIELDS[4]!)).toEqual(['contains', 'not_contains', 'is_empty', 'is_not_empty']);
    expect(operatorsForField(FIELDS[2]!)).toContain('date_range');
    expect(operatorsForField(FIELDS[8]!)).toEqual(['in_region', 'is_empty', 'is_not_empty']);
    expect(operatorsForField({ key: 'many', label: 'Many', type: 'member', settings: { multiple: true } })).not.toContain('==');
  });

  it('finds rules without a value and replaces or removes items deep in the tree', () => {
    const inner: ConditionGroup = { ...emptyGroup('or'), items: [newRule(FIELDS[0]!), { ...newRule(FIELDS[1]!), op: 'is_empty', value: undefined }] };
    const tree: ConditionGroup = { ...emptyGroup(), items: [inner] };
    expect(incompleteRules(tree).map((r) => r.field)).toEqual(['name']);
    const removed = replaceItem(tree, inner.items[0]!.id, null);
    expect(toJsonLogic(removed)).toEqual({ is_empty: [{ var: 'amount' }] });
  });
});
