import { isSafeFieldPath, parseConditionOrThrow, RulesError } from '@crm/rules';
import type { Issue } from '@crm/schema';

export const VIEW_KINDS = ['table', 'kanban', 'calendar'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];

/**
 * What a saved view remembers. Field keys are kept as written: a view naming a field that was
 * removed later still opens (the web app skips unknown keys), so they are checked for shape only.
 */
export interface ViewConfig {
  columns?: { key: string; width?: number }[];
  sort?: string;
  filter?: unknown;
  search?: string;
  groupBy?: string | null;
  kanban?: { field: string; sumField?: string | null };
  calendar?: { field: string; mode?: 'month' | 'week' };
}

const MAX_CONFIG_CHARS = 32_000;
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks a view config, pushing one issue per bad path (prefix `/config`); returns the config as stored. */
export function checkViewConfig(raw: unknown, kind: ViewKind, issues: Issue[]): ViewConfig {
  const at = (path: string, code: string, message: string) => issues.push({ path: `/config${path}`, code, message });
  if (raw === undefined) raw = {};
  if (!isObj(raw)) {
    at('', 'invalid_type', 'config must be an object');
    return {};
  }
  if (JSON.stringify(raw).length > MAX_CONFIG_CHARS) at('', 'too_long', `config must be at most ${MAX_CONFIG_CHARS} characters of JSON`);
  const allowed = ['columns', 'sort', 'filter', 'search', 'groupBy', 'kanban', 'calendar'];
  for (const k of Object.keys(raw)) if (!allowed.includes(k)) at(`/${k}`, 'unknown_field', `${k} is not a view setting`);
  const key = (v: unknown, path: string) => {
    if (!isSafeFieldPath(v)) at(path, 'invalid_value', 'a field key');
  };
  if (raw.columns !== undefined) {
    if (!Array.isArray(raw.columns) || raw.columns.length > 300) at('/columns', 'invalid_type', 'columns must be a list of at most 300 { key, width? }');
    else
      raw.columns.forEach((c, i) => {
        if (!isObj(c)) return at(`/columns/${i}`, 'invalid_type', '{ key, width? }');
        key(c.key, `/columns/${i}/key`);
        if (c.width !== undefined && (!Number.isInteger(c.width) || (c.width as number) < 40 || (c.width as number) > 2000))
          at(`/columns/${i}/width`, 'invalid_value', 'width is a whole number of pixels from 40 to 2000');
        for (const k of Object.keys(c)) if (k !== 'key' && k !== 'width') at(`/columns/${i}/${k}`, 'unknown_field', `${k} is not a column setting`);
      });
  }
  for (const k of ['sort', 'search'] as const)
    if (raw[k] !== undefined && (typeof raw[k] !== 'string' || (raw[k] as string).length > 200))
      at(`/${k}`, 'invalid_type', `${k} is text of at most 200 characters`);
  if (raw.filter !== undefined && raw.filter !== null) {
    try {
      parseConditionOrThrow(raw.filter);
    } catch (err) {
      if (!(err instanceof RulesError)) throw err;
      at(`/filter${String(err.details.path ?? '')}`, 'invalid_filter', err.message);
    }
  }
  if (raw.groupBy !== undefined && raw.groupBy !== null) key(raw.groupBy, '/groupBy');
  const sub = (name: 'kanban' | 'calendar', keys: string[]) => {
    const v = raw[name];
    if (v === undefined) {
      if (kind === name) at(`/${name}`, 'required', `a ${name} view needs ${name}.field`);
      return;
    }
    if (!isObj(v)) return at(`/${name}`, 'invalid_type', `${name} must be an object`);
    key(v.field, `/${name}/field`);
    for (const k of Object.keys(v)) if (!keys.includes(k)) at(`/${name}/${k}`, 'unknown_field', `${k} is not a ${name} setting`);
    if (name === 'kanban' && v.sumField !== undefined && v.sumField !== null) key(v.sumField, '/kanban/sumField');
    if (name === 'calendar' && v.mode !== undefined && v.mode !== 'month' && v.mode !== 'week') at('/calendar/mode', 'invalid_value', 'month or week');
  };
  sub('kanban', ['field', 'sumField']);
  sub('calendar', ['field', 'mode']);
  return raw as ViewConfig;
}
