import type { FieldWidth, FormDefinition, FormFieldConfig, LayoutNode, LocalizedText } from '@crm/forms';
import type { FieldTypeKey } from '@crm/schema';

/** One field as the designer holds it (the server's DesignField: the field service's input). */
export interface DesignField {
  key: string;
  label: string;
  type: FieldTypeKey;
  required?: boolean;
  unique?: boolean;
  indexed?: boolean;
  settings?: Record<string, unknown>;
}

/** The document the server stores for the designer (GET/PUT …/form/design). */
export interface DesignDocument {
  fields: DesignField[];
  form: Partial<FormDefinition>;
}

export type BlockKind = 'section' | 'columns' | 'tabs' | 'divider' | 'description';

/**
 * A part of the canvas. Containers (sections, each tab of a tabs block) keep their children in
 * `DesignState.containers` under their id, so moving a field touches two short id lists and
 * never copies the tree: components re-render only for the parts whose object changed.
 */
export type CanvasNode =
  | { kind: 'field'; id: string; key: string; width?: FieldWidth }
  | { kind: 'section'; id: string; title?: LocalizedText; columns: number; collapsible?: boolean; visibleWhen?: unknown }
  | { kind: 'tabs'; id: string; tabs: { id: string; title: LocalizedText; visibleWhen?: unknown }[] }
  | { kind: 'divider'; id: string; title?: LocalizedText }
  | { kind: 'description'; id: string; text: LocalizedText };

export const ROOT = 'root';

export interface DesignState {
  fields: Record<string, DesignField>;
  /** Per-field form settings (help, placeholder, default, visibility, read-only…), by field key. */
  config: Record<string, FormFieldConfig>;
  nodes: Record<string, CanvasNode>;
  /** Container id (ROOT, a section's id, a tab's id) → the ids of the nodes in it, in order. */
  containers: Record<string, string[]>;
  /** Form parts the canvas does not edit (submit validations, hint, hidden-field policy), kept as they were. */
  rest: Pick<FormDefinition, 'validations' | 'hiddenFieldPolicy'> & { submitHint?: LocalizedText };
}

let seq = 0;
/** A layout id unique in the form (letters, digits, `_`, `-`). */
export function newId(prefix: string): string {
  seq += 1;
  return `${prefix}_${Date.now().toString(36)}${seq.toString(36)}`;
}

/** The node id of a field placement (one per field: a field is placed at most once). */
export const fieldNodeId = (key: string) => `f:${key}`;

/** Builds the state from the server's document; fields not placed follow at the end of the canvas. */
export function stateFromDocument(doc: DesignDocument): DesignState {
  const s: DesignState = {
    fields: {},
    config: { ...(doc.form.fields ?? {}) },
    nodes: {},
    containers: { [ROOT]: [] },
    rest: { validations: doc.form.validations ?? [], hiddenFieldPolicy: doc.form.hiddenFieldPolicy ?? 'clear', submitHint: doc.form.submitHint },
  };
  for (const f of doc.fields) s.fields[f.key] = f;
  const place = (nodes: LayoutNode[], container: string) => {
    for (const n of nodes) {
      if (n.type === 'field') {
        if (!s.fields[n.key] || s.nodes[fieldNodeId(n.key)]) continue;
        s.nodes[fieldNodeId(n.key)] = { kind: 'field', id: fieldNodeId(n.key), key: n.key, width: n.width };
        s.containers[container].push(fieldNodeId(n.key));
      } else if (n.type === 'section') {
        s.nodes[n.id] = { kind: 'section', id: n.id, title: n.title, columns: n.columns ?? 1, collapsible: n.collapsible, visibleWhen: n.visibleWhen };
        s.containers[n.id] = [];
        s.containers[container].push(n.id);
        place(n.children, n.id);
      } else if (n.type === 'tabs') {
        s.nodes[n.id] = { kind: 'tabs', id: n.id, tabs: n.tabs.map((t) => ({ id: t.id, title: t.title, visibleWhen: t.visibleWhen })) };
        s.containers[container].push(n.id);
        for (const t of n.tabs) {
          s.containers[t.id] = [];
          place(t.children, t.id);
        }
      } else {
        s.nodes[n.id] = n.type === 'divider' ? { kind: 'divider', id: n.id, title: n.title } : { kind: 'description', id: n.id, text: n.text };
        s.containers[container].push(n.id);
      }
    }
  };
  place(doc.form.layout ?? [], ROOT);
  for (const key of Object.keys(s.fields)) {
    if (s.nodes[fieldNodeId(key)]) continue;
    s.nodes[fieldNodeId(key)] = { kind: 'field', id: fieldNodeId(key), key };
    s.containers[ROOT].push(fieldNodeId(key));
  }
  return s;
}

/** The server's document from the state: fields in canvas order, the layout as the form package wants it. */
export function documentFromState(s: DesignState): DesignDocument {
  const order: string[] = [];
  const build = (container: string): LayoutNode[] =>
    (s.containers[container] ?? []).flatMap((id): LayoutNode[] => {
      const n = s.nodes[id];
      if (!n) return [];
      switch (n.kind) {
        case 'field':
          order.push(n.key);
          return [{ type: 'field', key: n.key, ...(n.width ? { width: n.width } : {}) }];
        case 'section':
          return [
            {
              type: 'section',
              id: n.id,
              ...(n.title !== undefined && n.title !== '' ? { title: n.title } : {}),
              ...(n.columns > 1 ? { columns: n.columns } : {}),
              ...(n.collapsible ? { collapsible: true } : {}),
              ...(n.visibleWhen !== undefined ? { visibleWhen: n.visibleWhen } : {}),
              children: build(n.id),
            },
          ];
        case 'tabs':
          return [{ type: 'tabs', id: n.id, tabs: n.tabs.map((t) => ({ ...t, children: build(t.id) })) }];
        case 'divider':
          return [{ type: 'divider', id: n.id, ...(n.title ? { title: n.title } : {}) }];
        case 'description':
          return [{ type: 'description', id: n.id, text: n.text }];
      }
    });
  const layout = build(ROOT);
  const fields: Record<string, FormFieldConfig> = {};
  for (const [key, cfg] of Object.entries(s.config)) if (s.fields[key] && Object.keys(cfg).length) fields[key] = cfg;
  return {
    fields: [...order, ...Object.keys(s.fields).filter((k) => !order.includes(k))].map((k) => s.fields[k]),
    form: {
      layout,
      fields,
      validations: s.rest.validations,
      hiddenFieldPolicy: s.rest.hiddenFieldPolicy,
      ...(s.rest.submitHint ? { submitHint: s.rest.submitHint } : {}),
    },
  };
}

/** The container holding a node, and its index there. */
export function locate(s: DesignState, id: string): { container: string; index: number } | null {
  for (const [container, ids] of Object.entries(s.containers)) {
    const index = ids.indexOf(id);
    if (index >= 0) return { container, index };
  }
  return null;
}

/** Containers inside a node (a section: itself; tabs: each tab), to drop into or to remove with it. */
export function innerContainers(n: CanvasNode): string[] {
  return n.kind === 'section' ? [n.id] : n.kind === 'tabs' ? n.tabs.map((t) => t.id) : [];
}

/** Would putting `id` into `container` put a block inside itself? */
export function isInside(s: DesignState, id: string, container: string): boolean {
  const n = s.nodes[id];
  if (!n) return false;
  for (const c of innerContainers(n)) {
    if (c === container) return true;
    for (const child of s.containers[c] ?? []) if (isInside(s, child, container)) return true;
  }
  return false;
}
