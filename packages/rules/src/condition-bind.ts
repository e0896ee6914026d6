import type { ConditionNode, LeafNode, Scalar } from './condition-ast';
import { RulesError, RulesErrorCode } from './errors';
import { assertSafeColumn, assertSafeIdentifier } from './sql-identifiers';
import type { FilterField, FilterOperator, ResolveField } from './types';
import { VALUE_KINDS } from './value-kinds';

/** A condition whose leaves were checked against their fields; values are in canonical API form. */
export interface BoundCondition {
  node: ConditionNode;
  fields: ReadonlyMap<string, FilterField>;
}

/** The operator a leaf needs in its field's `operators`. */
export function leafOperator(leaf: LeafNode): FilterOperator {
  if (leaf.kind === 'compare') return leaf.op;
  return leaf.kind;
}

/** Checks fields, operators and values of a parsed condition, canonicalizing the values. */
export function bindConditionOrThrow({ node, resolveField }: { node: ConditionNode; resolveField: ResolveField }): BoundCondition {
  const fields = new Map<string, FilterField>();
  const bind = (n: ConditionNode): ConditionNode => {
    switch (n.kind) {
      case 'const':
        return n;
      case 'and':
      case 'or':
        return { kind: n.kind, items: n.items.map(bind) };
      case 'not':
        return { kind: 'not', item: bind(n.item) };
      default:
        return bindLeaf(n, fieldOrThrow(n, resolveField, fields));
    }
  };
  return { node: bind(node), fields };
}

function fieldOrThrow(leaf: LeafNode, resolveField: ResolveField, fields: Map<string, FilterField>): FilterField {
  const known = fields.get(leaf.key);
  if (known) return known;
  const field = resolveField(leaf.key);
  if (field === null || typeof field !== 'object') {
    throw new RulesError(RulesErrorCode.UNKNOWN_FIELD, `Unknown field "${leaf.key}"`, {
      field: leaf.key,
      path: leaf.path,
    });
  }
  assertSafeColumn(field.column, `field ${leaf.key}`);
  if (field.valueKind === 'id-list') {
    if (!field.link) throw new Error(`Field ${leaf.key} holds an id list but has no link table`);
    assertSafeIdentifier(field.link.table, `link table of ${leaf.key}`);
    assertSafeIdentifier(field.link.recordColumn, `link table of ${leaf.key}`);
    assertSafeIdentifier(field.link.targetColumn, `link table of ${leaf.key}`);
  }
  fields.set(leaf.key, field);
  return field;
}

function bindLeaf(leaf: LeafNode, field: FilterField): LeafNode {
  const operator = leafOperator(leaf);
  const kind = VALUE_KINDS[field.valueKind];
  if (!field.operators.includes(operator) || !kind.operators.includes(operator)) {
    throw new RulesError(RulesErrorCode.UNSUPPORTED_OPERATOR, `Operator "${operator}" is not supported for field "${leaf.key}"`, {
      field: leaf.key,
      operator,
      path: leaf.path,
    });
  }
  const value = (v: Scalar): Scalar => {
    if (v === null) return null; // only reachable for == / != null
    const canonical = kind.canonical(v);
    if (canonical === undefined) {
      throw new RulesError(RulesErrorCode.INVALID_VALUE, `Field "${leaf.key}" expects ${kind.expected}`, {
        field: leaf.key,
        operator,
        path: leaf.path,
      });
    }
    return canonical;
  };
  switch (leaf.kind) {
    case 'compare':
    case 'contains':
      return { ...leaf, value: value(leaf.value), ...(field.valueKind === 'html' ? { html: true as const } : {}) };
    case 'starts_with':
    case 'in_region':
      return { ...leaf, value: value(leaf.value) };
    case 'between':
      return { ...leaf, low: value(leaf.low), high: value(leaf.high) };
    case 'in':
      return { ...leaf, values: leaf.values.map(value) };
    default:
      return leaf;
  }
}
