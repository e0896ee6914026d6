import { fieldTypes, type FieldTypeKey, type FilterOperator } from '@crm/schema';

/**
 * The condition builder's model: a tree of and/or groups over rules "field · operator · value",
 * and its exact translation to and from the json-logic subset the server compiles
 * (packages/rules condition-ast.ts). Pure: no React.
 */

/** What the builder needs to know of a field (the entity definition's fields satisfy it). */
export interface ConditionField {
  key: string;
  label: string;
  type: FieldTypeKey;
  settings?: Record<string, unknown>;
}

/** Operators as the builder offers them; negated ones are written as `{"!": …}`. */
export const BUILDER_OPERATORS = [
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'between',
  'in',
  'not_in',
  'contains',
  'not_contains',
  'starts_with',
  'date_range',
  'in_region',
  'is_empty',
  'is_not_empty',
] as const;
export type BuilderOperator = (typeof BUILDER_OPERATORS)[number];

/** Values the server resolves per request (docs/permissions.md): written as these strings. */
export const CONDITION_VARIABLES = ['$user', '$user_departments', '$today', '$now'] as const;
export type ConditionVariable = (typeof CONDITION_VARIABLES)[number];

export interface ConditionRule {
  kind: 'rule';
  id: string;
  field: string;
  op: BuilderOperator;
  /** Scalar for comparisons; `[low, high]` for between; a list (or `$user_departments`) for in; a range name or `{from, to}` for date_range. */
  value: unknown;
}

export interface ConditionGroup {
  kind: 'group';
  id: string;
  join: 'and' | 'or';
  items: (ConditionGroup | ConditionRule)[];
}

export type ConditionItem = ConditionGroup | ConditionRule;

/** Operators that take no value. */
export const VALUELESS: ReadonlySet<BuilderOperator> = new Set(['is_empty', 'is_not_empty']);

/**
 * The record's system fields a condition may test (the server's SYSTEM_FILTER_FIELDS), shown
 * after the entity's own fields. Their labels are `rules.system.<key>` in the locale files.
 */
export const SYSTEM_CONDITION_FIELDS: readonly ConditionField[] = [
  { key: 'ownerId', label: 'ownerId', type: 'member' },
  { key: 'createdBy', label: 'createdBy', type: 'member' },
  { key: 'updatedBy', label: 'updatedBy', type: 'member' },
  { key: 'createdAt', label: 'createdAt', type: 'datetime' },
  { key: 'updatedAt', label: 'updatedAt', type: 'datetime' },
];
const SYSTEM_OPERATORS: Record<string, readonly FilterOperator[]> = {
  ownerId: ['==', '!=', 'in', 'is_empty', 'is_not_empty'],
  createdBy: ['==', '!=', 'in', 'is_empty', 'is_not_empty'],
  updatedBy: ['==', '!=', 'in', 'is_empty', 'is_not_empty'],
  createdAt: ['==', '!=', '<', '<=', '>', '>=', 'between', 'date_range', 'is_empty', 'is_not_empty'],
  updatedAt: ['==', '!=', '<', '<=', '>', '>=', 'between', 'date_range', 'is_empty', 'is_not_empty'],
};

/** The field's settings with the type's defaults filled in (`operatorsFor` reads `multiple`). */
export function settingsOf(field: ConditionField): Record<string, unknown> {
  return { ...(fieldTypes[field.type].defaultSettings as Record<string, unknown>), ...(field.settings ?? {}) };
}

/** The builder operators valid for this field, from the field type's own filter operators. */
export function operatorsForField(field: ConditionField): BuilderOperator[] {
  const system = SYSTEM_OPERATORS[field.key];
  const own = system && SYSTEM_CONDITION_FIELDS.some((f) => f.key === field.key && f.type === field.type) ? system : null;
  const server = own ?? fieldTypes[field.type].operatorsFor(settingsOf(field) as never);
  const out: BuilderOperator[] = [];
  for (const op of BUILDER_OPERATORS) {
    const base = op === 'not_in' ? 'in' : op === 'not_contains' ? 'contains' : op;
    if (server.includes(base)) out.push(op);
  }
  return out;
}

let counter = 0;
/** A local id for React keys; never written to json-logic. */
export function newItemId(): string {
  counter += 1;
  return `c${counter}`;
}

export function emptyGroup(join: 'and' | 'or' = 'and'): ConditionGroup {
  return { kind: 'group', id: newItemId(), join, items: [] };
}

/** A new rule on a field with its first operator and an empty value. */
export function newRule(field: ConditionField): ConditionRule {
  const op = operatorsForField(field)[0] ?? 'is_not_empty';
  return { kind: 'rule', id: newItemId(), field: field.key, op, value: defaultValueFor(op) };
}

export function defaultValueFor(op: BuilderOperator): unknown {
  if (VALUELESS.has(op)) return undefined;
  if (op === 'between') return [null, null];
  if (op === 'in' || op === 'not_in') return [];
  if (op === 'date_range') return 'this_month';
  return null;
}

type Json = unknown;
const v = (key: string) => ({ var: key });

function ruleToJson(rule: ConditionRule): Json {
  const { field, op, value } = rule;
  switch (op) {
    case 'between': {
      const [low, high] = Array.isArray(value) ? value : [null, null];
      return { '<=': [low ?? null, v(field), high ?? null] };
    }
    case 'in':
      return { in: [v(field), value] };
    case 'not_in':
      return { '!': { in: [v(field), value] } };
    case 'not_contains':
      return { '!': { contains: [v(field), value] } };
    case 'is_empty':
    case 'is_not_empty':
      return { [op]: [v(field)] };
    default:
      return { [op]: [v(field), value === undefined ? null : value] };
  }
}

/** The json-logic of a tree; null for an empty one (no condition). A group of one item is written as that item. */
export function toJsonLogic(group: ConditionGroup): Json | null {
  const items = group.items.map((item) => (item.kind === 'group' ? toJsonLogic(item) : ruleToJson(item))).filter((x) => x !== null);
  if (items.length === 0) return null;
  if (items.length === 1) return items[0];
  return { [group.join]: items };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const soleKey = (x: unknown): string | undefined => (isObject(x) && Object.keys(x).length === 1 ? Object.keys(x)[0] : undefined);

function varKey(x: unknown): string | undefined {
  if (soleKey(x) !== 'var') return undefined;
  const name = (x as { var: unknown }).var;
  if (typeof name === 'string') return name;
  if (Array.isArray(name) && name.length === 1 && typeof name[0] === 'string') return name[0];
  return undefined;
}

const isScalar = (x: unknown) => x === null || ['string', 'number', 'boolean'].includes(typeof x);

function ruleFromJson(node: Json): ConditionRule | undefined {
  const op = soleKey(node);
  if (!op) return undefined;
  const args = (node as Record<string, unknown>)[op];
  const rule = (field: string, builderOp: BuilderOperator, value: unknown): ConditionRule => ({ kind: 'rule', id: newItemId(), field, op: builderOp, value });
  if (op === '!') {
    const inner = Array.isArray(args) && args.length === 1 ? args[0] : args;
    const positive = ruleFromJson(inner);
    if (positive?.op === 'in') return { ...positive, op: 'not_in' };
    if (positive?.op === 'contains') return { ...positive, op: 'not_contains' };
    return undefined;
  }
  if (op === 'is_empty' || op === 'is_not_empty') {
    const list = Array.isArray(args) ? args : [args];
    const key = list.length === 1 ? varKey(list[0]) : undefined;
    return key === undefined ? undefined : rule(key, op, undefined);
  }
  if (!Array.isArray(args)) return undefined;
  if ((op === '<=' || op === '<') && args.length === 3) {
    const key = varKey(args[1]);
    // Only the inclusive form is offered; an exclusive between stays in the JSON editor.
    return key !== undefined && op === '<=' && isScalar(args[0]) && isScalar(args[2]) ? rule(key, 'between', [args[0], args[2]]) : undefined;
  }
  if (args.length !== 2) return undefined;
  const key = varKey(args[0]);
  if (key === undefined) return undefined;
  const value: unknown = args[1];
  if (op === 'in') return Array.isArray(value) || value === '$user_departments' ? rule(key, 'in', value) : undefined;
  if (op === 'date_range') return typeof value === 'string' || isObject(value) ? rule(key, 'date_range', value) : undefined;
  if ((BUILDER_OPERATORS as readonly string[]).includes(op) && isScalar(value)) return rule(key, op as BuilderOperator, value);
  return undefined;
}

function groupFromJson(node: Json, depth: number): ConditionGroup | undefined {
  const op = soleKey(node);
  if ((op === 'and' || op === 'or') && depth < 8) {
    const list = (node as Record<string, unknown>)[op];
    if (!Array.isArray(list) || list.length === 0) return undefined;
    const items: ConditionItem[] = [];
    for (const child of list) {
      const childOp = soleKey(child);
      const item = childOp === 'and' || childOp === 'or' ? groupFromJson(child, depth + 1) : ruleFromJson(child);
      if (!item) return undefined;
      items.push(item);
    }
    return { kind: 'group', id: newItemId(), join: op, items };
  }
  return undefined;
}

/**
 * The tree of a json-logic condition, or undefined when the builder cannot show it (an
 * operation it does not offer, a nested negation, a literal `true`): the caller then keeps
 * the JSON as it is and offers the JSON editor, so nothing stored is lost.
 */
export function fromJsonLogic(json: Json | null | undefined): ConditionGroup | undefined {
  if (json === null || json === undefined) return emptyGroup();
  const op = soleKey(json);
  if (op === 'and' || op === 'or') return groupFromJson(json, 0);
  const rule = ruleFromJson(json);
  return rule ? { kind: 'group', id: newItemId(), join: 'and', items: [rule] } : undefined;
}

/** Replaces the item with `id` anywhere in the tree (or removes it when `next` is null). */
export function replaceItem(group: ConditionGroup, id: string, next: ConditionItem | null): ConditionGroup {
  const items: ConditionItem[] = [];
  for (const item of group.items) {
    if (item.id === id) {
      if (next) items.push(next);
    } else items.push(item.kind === 'group' ? replaceItem(item, id, next) : item);
  }
  return { ...group, items };
}

/** Rules whose value is still missing: the builder marks them and the caller may hold the save. */
export function incompleteRules(group: ConditionGroup): ConditionRule[] {
  const out: ConditionRule[] = [];
  for (const item of group.items) {
    if (item.kind === 'group') out.push(...incompleteRules(item));
    else if (!VALUELESS.has(item.op) && isMissing(item.value)) out.push(item);
  }
  return out;
}

function isMissing(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0 || value.some((x) => x === null || x === undefined || x === '');
  return false;
}
