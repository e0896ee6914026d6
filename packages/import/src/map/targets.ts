import type { FieldDefinition, SubformSettings } from '@crm/schema';
import { fieldIoOf, type ImportRule, type NotImportableReason } from '../field-io';
import type { Locale } from '../types';

/** System fields a column can name. */
export const SYSTEM_TARGETS = ['id', 'ownerId', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version'] as const;
export type SystemTarget = (typeof SYSTEM_TARGETS)[number];

/** How people call system fields in headers, in both languages; the first of each is what exports write. */
export const SYSTEM_NAMES: Record<SystemTarget, Record<Locale, string[]>> = {
  id: { en: ['ID', 'Record ID'], 'zh-CN': ['ID', '记录ID', '数据ID', '记录编号'] },
  ownerId: { en: ['Owner', 'Owned by'], 'zh-CN': ['负责人', '所有者', '拥有者', '数据负责人'] },
  createdAt: { en: ['Created at', 'Created', 'Creation time', 'Created on'], 'zh-CN': ['创建时间', '提交时间'] },
  createdBy: { en: ['Created by', 'Creator'], 'zh-CN': ['创建人', '提交人'] },
  updatedAt: { en: ['Updated at', 'Last modified', 'Modified at', 'Updated'], 'zh-CN': ['更新时间', '修改时间', '最后修改时间'] },
  updatedBy: { en: ['Updated by', 'Modified by', 'Last modified by'], 'zh-CN': ['更新人', '修改人', '最后修改人'] },
  version: { en: ['Version'], 'zh-CN': ['版本'] },
};

/** Whether a column mapped here is written: yes; only to find existing records (upsert key); or not at all. */
export type Importability = 'yes' | 'match-only' | 'no';

/**
 * Something a column can be mapped to: a field (`key`), a subform child (`subform.child`) or a
 * system field (`id`, `ownerId`, …; field keys can never be these, they are reserved).
 */
export interface ImportTarget {
  path: string;
  label: string;
  kind: 'field' | 'child' | 'system';
  field: FieldDefinition | null;
  /** The subform of a child. */
  parent: FieldDefinition | null;
  rule: ImportRule | null;
  importable: Importability;
  reason?: NotImportableReason | 'read_only_system' | 'subform_columns';
}

function fieldTarget(field: FieldDefinition, parent: FieldDefinition | null): ImportTarget {
  const rule = fieldIoOf(field.type)?.import ?? null;
  const base = {
    path: parent ? `${parent.key}.${field.key}` : field.key,
    label: parent ? `${parent.label}.${field.label}` : field.label,
    kind: parent ? ('child' as const) : ('field' as const),
    field,
    parent,
    rule,
  };
  if (!rule) return { ...base, importable: 'no', reason: 'computed' };
  if (rule.kind === 'none')
    return { ...base, importable: rule.matchable && (field.unique === true || field.type === 'serial') ? 'match-only' : 'no', reason: rule.reason };
  if (rule.kind === 'subform') return { ...base, importable: 'no', reason: 'subform_columns' };
  return { ...base, importable: 'yes' };
}

/** Every target of an entity's fields: fields, subform children, system fields. */
export function importTargets(args: { fields: readonly FieldDefinition[]; locale?: Locale }): ImportTarget[] {
  const locale = args.locale ?? 'en';
  const out: ImportTarget[] = [];
  for (const field of args.fields) {
    out.push(fieldTarget(field, null));
    if (field.type === 'subform') for (const child of (field.settings as SubformSettings).fields ?? []) out.push(fieldTarget(child, field));
  }
  for (const name of SYSTEM_TARGETS) {
    const label = SYSTEM_NAMES[name][locale][0]!;
    const base = { path: name, label, kind: 'system' as const, field: null, parent: null };
    if (name === 'id') out.push({ ...base, rule: null, importable: 'match-only' });
    else if (name === 'ownerId') out.push({ ...base, rule: { kind: 'member', multiple: () => false }, importable: 'yes' });
    else out.push({ ...base, rule: null, importable: 'no', reason: 'read_only_system' });
  }
  return out;
}
