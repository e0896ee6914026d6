import type { FormFieldConfig } from '@crm/forms';
import { type FieldTypeKey, isReservedKey } from '@crm/schema';
import { type BlockKind, type CanvasNode, type DesignField, type DesignState, fieldNodeId, innerContainers, isInside, locate, newId } from './design-state';

const KEY_PATTERN = /^[a-z][a-z0-9_]{0,47}$/;

/** Settings a new field of a type starts with, so that it is valid from the first save where possible. */
const STARTING_SETTINGS: Partial<Record<FieldTypeKey, (label: (k: string) => string) => Record<string, unknown>>> = {
  radio: (l) => ({ options: [1, 2].map((n) => ({ value: `option_${n}`, label: l(`designer.option`) + ` ${n}` })) }),
  select: (l) => ({ options: [1, 2].map((n) => ({ value: `option_${n}`, label: l(`designer.option`) + ` ${n}` })) }),
  checkbox: (l) => ({ options: [1, 2].map((n) => ({ value: `option_${n}`, label: l(`designer.option`) + ` ${n}` })) }),
  multiselect: (l) => ({ options: [1, 2].map((n) => ({ value: `option_${n}`, label: l(`designer.option`) + ` ${n}` })) }),
  formula: () => ({ expression: '1', resultType: 'number' }),
  subform: () => ({ fields: [] }),
};

/** A field key made from the label (ASCII letters and digits), or from the type; unique and not reserved. */
export function keyFromLabel(label: string, type: string, taken: (key: string) => boolean): string {
  const slug = label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 40);
  const base = slug || type;
  const ok = (k: string) => KEY_PATTERN.test(k) && !isReservedKey({ key: k }) && !taken(k);
  if (slug && ok(base)) return base;
  for (let n = 1; ; n++) if (ok(`${base}_${n}`)) return `${base}_${n}`;
}

const insert = (ids: string[], index: number, id: string) => [...ids.slice(0, index), id, ...ids.slice(index)];

export function addField(
  s: DesignState,
  args: { type: FieldTypeKey; label: string; container: string; index?: number; t: (k: string) => string },
): { state: DesignState; id: string } {
  const key = keyFromLabel(args.label, args.type, (k) => !!s.fields[k]);
  const field: DesignField = { key, label: args.label, type: args.type, settings: STARTING_SETTINGS[args.type]?.(args.t) ?? {} };
  const id = fieldNodeId(key);
  const ids = s.containers[args.container] ?? [];
  return {
    id,
    state: {
      ...s,
      fields: { ...s.fields, [key]: field },
      nodes: { ...s.nodes, [id]: { kind: 'field', id, key } },
      containers: { ...s.containers, [args.container]: insert(ids, args.index ?? ids.length, id) },
    },
  };
}

export function addBlock(
  s: DesignState,
  args: { kind: BlockKind; container: string; index?: number; t: (k: string) => string },
): { state: DesignState; id: string } {
  const id = newId(args.kind);
  const containers = { ...s.containers };
  let node: CanvasNode;
  if (args.kind === 'section' || args.kind === 'columns') {
    node = { kind: 'section', id, title: args.kind === 'section' ? args.t('designer.newSection') : undefined, columns: args.kind === 'columns' ? 2 : 1 };
    containers[id] = [];
  } else if (args.kind === 'tabs') {
    const tabs = [1, 2].map((n) => ({ id: newId('tab'), title: `${args.t('designer.tab')} ${n}` }));
    node = { kind: 'tabs', id, tabs };
    for (const tab of tabs) containers[tab.id] = [];
  } else if (args.kind === 'divider') node = { kind: 'divider', id };
  else node = { kind: 'description', id, text: args.t('designer.newDescription') };
  const ids = containers[args.container] ?? [];
  containers[args.container] = insert(ids, args.index ?? ids.length, id);
  return { id, state: { ...s, nodes: { ...s.nodes, [id]: node }, containers } };
}

/** Moves a node to `index` of `container` (index counted without the node itself). */
export function moveNode(s: DesignState, id: string, container: string, index: number): DesignState {
  const from = locate(s, id);
  if (!from || !s.containers[container] || isInside(s, id, container) || id === container) return s;
  const containers = { ...s.containers, [from.container]: s.containers[from.container].filter((x) => x !== id) };
  const target = containers[container];
  containers[container] = insert(target, Math.max(0, Math.min(index, target.length)), id);
  return { ...s, containers };
}

/** Moves a node one place up or down within its container. */
export function nudge(s: DesignState, id: string, delta: -1 | 1): DesignState {
  const at = locate(s, id);
  if (!at) return s;
  const next = at.index + delta;
  if (next < 0 || next >= s.containers[at.container].length) return s;
  return moveNode(s, id, at.container, next);
}

/** Removes a node; a block's contents move out to where the block was (nothing placed in it is lost). */
export function removeNode(s: DesignState, id: string): DesignState {
  const at = locate(s, id);
  const n = s.nodes[id];
  if (!at || !n) return s;
  const inner = innerContainers(n).flatMap((c) => s.containers[c] ?? []);
  const containers = { ...s.containers };
  for (const c of innerContainers(n)) delete containers[c];
  const ids = containers[at.container];
  containers[at.container] = [...ids.slice(0, at.index), ...inner, ...ids.slice(at.index + 1)];
  const nodes = { ...s.nodes };
  delete nodes[id];
  if (n.kind !== 'field') return { ...s, nodes, containers };
  const fields = { ...s.fields };
  const config = { ...s.config };
  delete fields[n.key];
  delete config[n.key];
  return { ...s, nodes, containers, fields, config };
}

/** A copy of a field right after it (new key, same settings and form settings). */
export function copyField(s: DesignState, id: string, t: (k: string) => string): { state: DesignState; id: string } {
  const n = s.nodes[id];
  const at = locate(s, id);
  if (!n || n.kind !== 'field' || !at) return { state: s, id };
  const src = s.fields[n.key];
  const label = `${src.label} ${t('designer.copySuffix')}`;
  const key = keyFromLabel(label, src.type, (k) => !!s.fields[k]);
  const copyId = fieldNodeId(key);
  const ids = s.containers[at.container];
  return {
    id: copyId,
    state: {
      ...s,
      fields: { ...s.fields, [key]: { ...structuredClone(src), key, label } },
      config: s.config[n.key] ? { ...s.config, [key]: structuredClone(s.config[n.key]) } : s.config,
      nodes: { ...s.nodes, [copyId]: { ...n, id: copyId, key } },
      containers: { ...s.containers, [at.container]: insert(ids, at.index + 1, copyId) },
    },
  };
}

export function updateField(s: DesignState, key: string, patch: Partial<DesignField>): DesignState {
  const f = s.fields[key];
  return f ? { ...s, fields: { ...s.fields, [key]: { ...f, ...patch } } } : s;
}

export function updateSettings(s: DesignState, key: string, patch: Record<string, unknown>): DesignState {
  const f = s.fields[key];
  return f ? updateField(s, key, { settings: { ...(f.settings ?? {}), ...patch } }) : s;
}

/** Sets (or with `undefined`, clears) form settings of a field. */
export function updateConfig(s: DesignState, key: string, patch: Partial<FormFieldConfig>): DesignState {
  const next: Record<string, unknown> = { ...(s.config[key] ?? {}), ...patch };
  for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === '') delete next[k];
  return { ...s, config: { ...s.config, [key]: next as FormFieldConfig } };
}

export function updateNode(s: DesignState, id: string, patch: Partial<CanvasNode>): DesignState {
  const n = s.nodes[id];
  return n ? { ...s, nodes: { ...s.nodes, [id]: { ...n, ...patch } as CanvasNode } } : s;
}

/** Changes the key of a field not published yet; false when the key is taken or invalid. */
export function renameKey(s: DesignState, from: string, to: string): DesignState | null {
  if (from === to) return s;
  if (!KEY_PATTERN.test(to) || isReservedKey({ key: to }) || s.fields[to]) return null;
  const oldId = fieldNodeId(from);
  const newNodeId = fieldNodeId(to);
  const fields = { ...s.fields, [to]: { ...s.fields[from], key: to } };
  delete fields[from];
  const config = { ...s.config };
  if (config[from]) {
    config[to] = config[from];
    delete config[from];
  }
  const nodes = { ...s.nodes, [newNodeId]: { ...(s.nodes[oldId] as CanvasNode & { kind: 'field' }), id: newNodeId, key: to } };
  delete nodes[oldId];
  const at = locate(s, oldId);
  const containers = at ? { ...s.containers, [at.container]: s.containers[at.container].map((x) => (x === oldId ? newNodeId : x)) } : s.containers;
  return { ...s, fields, config, nodes, containers };
}

/** Adds a child field to a subform (its `settings.fields`). */
export function addSubformChild(s: DesignState, key: string, type: FieldTypeKey, label: string): DesignState {
  const f = s.fields[key];
  if (!f || f.type !== 'subform') return s;
  const children = ((f.settings?.fields as DesignField[] | undefined) ?? []).slice();
  const childKey = keyFromLabel(label, type, (k) => children.some((c) => c.key === k));
  children.push({ key: childKey, label, type, settings: {} });
  return updateSettings(s, key, { fields: children });
}

/** Changes the form-level parts (submit validations, hint, hidden-field policy). */
export function updateRest(s: DesignState, patch: Partial<DesignState['rest']>): DesignState {
  return { ...s, rest: { ...s.rest, ...patch } };
}
