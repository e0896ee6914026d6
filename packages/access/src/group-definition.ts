import { assertConditionSafeOrThrow } from '@crm/rules';
import { AccessError, type AccessIssue } from './errors';
import { PRESET_DEFINITIONS } from './presets';
import { type Action, ACTIONS, type FieldRule, type PermissionGroup, type Preset, PRESETS, type RowScope } from './types';

const isStringList = (v: unknown, max: number) =>
  Array.isArray(v) && v.length <= max && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 64);

/**
 * Checks and normalises a permission group from an admin's input. A preset fills actions and
 * row scope; a custom group names them. Field rules may only name the entity's fields, and
 * an editable field must be visible.
 */
export function normalizeGroupOrThrow({ input, id, fieldKeys }: { input: unknown; id: string; fieldKeys: readonly string[] }): PermissionGroup {
  const issues: AccessIssue[] = [];
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new AccessError('INVALID_GROUP', 'A permission group must be an object', [{ path: '/', code: 'invalid_type', message: 'object expected' }]);
  const o = input as Record<string, unknown>;
  const allowed = ['name', 'preset', 'members', 'departments', 'roles', 'actions', 'rowScope', 'fields'];
  for (const k of Object.keys(o)) if (!allowed.includes(k)) issues.push({ path: `/${k}`, code: 'unknown_field', message: `${k} is not a group property` });

  const preset = o.preset === undefined || o.preset === null ? null : (o.preset as Preset);
  if (preset !== null && !PRESETS.includes(preset))
    issues.push({ path: '/preset', code: 'invalid_option', message: `preset must be one of ${PRESETS.join(', ')}` });
  const name = typeof o.name === 'string' ? o.name.trim() : preset && PRESETS.includes(preset) ? PRESET_DEFINITIONS[preset].name : '';
  if (!name || name.length > 100) issues.push({ path: '/name', code: name ? 'too_long' : 'required', message: 'name is required (at most 100 characters)' });

  const lists: Record<'members' | 'departments' | 'roles', string[]> = { members: [], departments: [], roles: [] };
  for (const k of ['members', 'departments', 'roles'] as const) {
    if (o[k] === undefined) continue;
    if (!isStringList(o[k], 1000)) issues.push({ path: `/${k}`, code: 'invalid_type', message: `${k} must be a list of ids` });
    else lists[k] = [...new Set(o[k] as string[])];
  }

  let actions: Action[] = preset && PRESETS.includes(preset) ? [...PRESET_DEFINITIONS[preset].actions] : [];
  if (o.actions !== undefined) {
    if (!Array.isArray(o.actions)) issues.push({ path: '/actions', code: 'invalid_type', message: 'actions must be a list' });
    else {
      o.actions.forEach((a, i) => {
        if (!ACTIONS.includes(a as Action))
          issues.push({ path: `/actions/${i}`, code: 'invalid_option', message: `unknown action "${String(a)}"; one of ${ACTIONS.join(', ')}` });
      });
      actions = [...new Set(o.actions as Action[])];
    }
  } else if (!preset) issues.push({ path: '/actions', code: 'required', message: 'actions are required for a custom group' });

  let rowScope: RowScope = preset && PRESETS.includes(preset) ? PRESET_DEFINITIONS[preset].rowScope : { kind: 'own' };
  if (o.rowScope !== undefined) {
    const rs = o.rowScope as Record<string, unknown> | null;
    const kind = rs && typeof rs === 'object' ? rs.kind : undefined;
    if (kind === 'all' || kind === 'own' || kind === 'department') rowScope = { kind };
    else if (kind === 'condition') {
      try {
        assertConditionSafeOrThrow(rs!.condition);
        rowScope = { kind: 'condition', condition: rs!.condition };
      } catch (err) {
        issues.push({ path: '/rowScope/condition', code: 'invalid_condition', message: (err as Error).message });
      }
    } else issues.push({ path: '/rowScope/kind', code: 'invalid_option', message: 'rowScope.kind must be all, own, department or condition' });
  }

  const fields: Record<string, FieldRule> = {};
  if (o.fields !== undefined) {
    if (!o.fields || typeof o.fields !== 'object' || Array.isArray(o.fields))
      issues.push({ path: '/fields', code: 'invalid_type', message: 'fields must map field keys to {visible, editable}' });
    else {
      for (const [key, rule] of Object.entries(o.fields as Record<string, unknown>)) {
        if (!fieldKeys.includes(key)) {
          issues.push({ path: `/fields/${key}`, code: 'unknown_field', message: `"${key}" is not a field of this entity` });
          continue;
        }
        const r = (rule ?? {}) as Record<string, unknown>;
        const visible = r.visible === undefined ? true : r.visible;
        const editable = r.editable === undefined ? visible : r.editable;
        if (typeof visible !== 'boolean' || typeof editable !== 'boolean') {
          issues.push({ path: `/fields/${key}`, code: 'invalid_type', message: 'visible and editable are booleans' });
          continue;
        }
        if (editable && !visible)
          issues.push({ path: `/fields/${key}/editable`, code: 'invalid_combination', message: `"${key}" cannot be editable while hidden` });
        fields[key] = { visible, editable };
      }
    }
  }
  if (issues.length) throw new AccessError('INVALID_GROUP', `Invalid permission group: ${issues.map((i) => i.path).join(', ')}`, issues);
  return { id, name, preset, ...lists, actions, rowScope, fields };
}
