import { Templates } from '@rjsf/antd';
import {
  ADDITIONAL_PROPERTY_FLAG,
  deepEquals,
  getTemplate,
  getUiOptions,
  type FieldTemplateProps,
  type ObjectFieldTemplateProps,
  type ObjectFieldTemplatePropertyType,
} from '@rjsf/utils';
import { Card, Col, Divider, Row, Tabs, Typography } from 'antd';
import { isValidElement, memo, startTransition, useContext, useEffect, useState, useSyncExternalStore, type ReactElement, type ReactNode } from 'react';
import { FieldItem, FieldItemClassesContext, useFieldItemClasses } from './FieldItem';
import type { SetStore } from './set-store';

/**
 * What the preview's form knows beyond rjsf: the fields hidden by the rules (a set, or a store
 * of it: a store keeps the form context, and so rjsf's registry, the same when the set changes),
 * and the phone width.
 */
export interface PreviewContext {
  hidden: ReadonlySet<string> | SetStore;
  phone: boolean;
}

const NO_HIDDEN: ReadonlySet<string> = new Set();
const NO_STORE: SetStore = { get: () => NO_HIDDEN, subscribe: () => () => {} };
const isStore = (h: PreviewContext['hidden'] | undefined): h is SetStore => !!h && typeof (h as SetStore).subscribe === 'function';

/** `ui:layout` as buildFormSchemas localizes it (packages/forms schemas.ts). */
type Node =
  | { type: 'field'; key: string; width?: string }
  | { type: 'section'; id: string; title?: string; columns: number; children: Node[] }
  | { type: 'tabs'; id: string; tabs: { id: string; title?: string; children: Node[] }[] }
  | { type: 'divider'; id: string; title?: string }
  | { type: 'description'; id: string; text: string };

const FRACTION: Record<string, number> = { '1/4': 0.25, '1/3': 1 / 3, '1/2': 0.5, '2/3': 2 / 3, '3/4': 0.75, full: 1 };

const fieldKeys = (nodes: Node[]): string[] =>
  nodes.flatMap((n) =>
    n.type === 'field' ? [n.key] : n.type === 'section' ? fieldKeys(n.children) : n.type === 'tabs' ? n.tabs.flatMap((t) => fieldKeys(t.children)) : [],
  );

interface Ctx {
  byName: Map<string, ObjectFieldTemplatePropertyType>;
  hidden: ReadonlySet<string>;
  phone: boolean;
  /** Whether the node is drawn yet: the first fields in reading order, then the rest after the first paint. */
  drawn: (n: Node) => boolean;
}

/**
 * docs/performance.md: the cost of a form's mount is its fields' antd components (Form.Item,
 * Row/Col, the inputs, their style hooks), about the same for each field. The root draws the first
 * fields in its first commit and all the rest after the first paint, in one transition (React
 * yields every few milliseconds, so a keystroke goes first; one commit, one style and layout pass
 * for the rest instead of one per step of 48). Validation does not depend on it: rjsf validates the
 * data, not the DOM.
 */
const FIRST_FIELDS = 24;

const positionCache = new WeakMap<Node[], Map<Node, number>>();

/** How many fields come before each node in reading order (a section or tabs: before its first field). */
function positionsOf(layout: Node[]): Map<Node, number> {
  const hit = positionCache.get(layout);
  if (hit) return hit;
  const out = new Map<Node, number>();
  let count = 0;
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      out.set(n, count);
      if (n.type === 'field') count++;
      else if (n.type === 'section') walk(n.children);
      else if (n.type === 'tabs') for (const tab of n.tabs) walk(tab.children);
    }
  };
  walk(layout);
  positionCache.set(layout, out);
  return out;
}

type Registry = Record<string, unknown> & { rootSchema?: Record<string, unknown> };
const sameRegistries = new WeakMap<Registry, WeakMap<Registry, boolean>>();

/**
 * Whether two rjsf registries differ at most in the root schema's `required` (and the schema
 * utilities rjsf rebuilds for it). docs/performance.md: a required-when rule changes the root's
 * `required` and rjsf then hands every field a new registry; a field whose own `required` prop did
 * not change draws the same with either, so its cell need not re-render. Remembered per pair:
 * the 200 cells of one change compare the same two registries.
 */
function sameRegistry(a: Registry, b: Registry): boolean {
  if (a === b) return true;
  const known = sameRegistries.get(a)?.get(b);
  if (known !== undefined) return known;
  const rest = (r: Registry) => {
    const { rootSchema, schemaUtils: _, ...others } = r;
    const { required: __, ...schema } = rootSchema ?? {};
    return { others, schema };
  };
  const ra = rest(a);
  const rb = rest(b);
  const keys = (o: object) => Object.keys(o);
  const shallow = (x: Record<string, unknown>, y: Record<string, unknown>) =>
    keys(x).length === keys(y).length && keys(x).every((k) => x[k] === y[k] || deepEquals(x[k], y[k]));
  const same = shallow(ra.others, rb.others) && shallow(ra.schema, rb.schema);
  let byB = sameRegistries.get(a);
  if (!byB) sameRegistries.set(a, (byB = new WeakMap()));
  byB.set(b, same);
  return same;
}

/** Whether a field's rjsf element draws the same: its props deep-equal (functions count as equal, as rjsf's own SchemaField memo has it), the registry the same but for the root's `required`. */
function sameField(a: ReactNode, b: ReactNode): boolean {
  if (a === b) return true;
  if (!isValidElement(a) || !isValidElement(b) || a.type !== b.type || a.key !== b.key) return false;
  const { registry: ra, ...pa } = (a as ReactElement<Record<string, unknown>>).props;
  const { registry: rb, ...pb } = (b as ReactElement<Record<string, unknown>>).props;
  return sameRegistry(ra as Registry, rb as Registry) && deepEquals(pa, pb);
}

/** The grid's horizontal gutter: the Row's negative margins, each cell's padding half of it. */
const GUTTER = 16;
const CELL_STYLE = { paddingInline: `${GUTTER / 2}px` };

/**
 * One field's cell. docs/performance.md: rjsf hands every field a fresh element on each change
 * (the root schema is re-resolved for the new form data), so without this memo a keystroke
 * re-renders all the cells, their antd Col and Form.Item; with it only the field whose value,
 * errors, required or schema changed. The cell is the element antd's `Col` draws in the grid's
 * `Row` (its classes, the gutter's padding) without the Col's style and breakpoint hooks.
 */
const FieldCell = memo(
  function FieldCell({ fieldKey, span, content }: { fieldKey: string; span: number; content: ReactNode }) {
    const classes = useContext(FieldItemClassesContext);
    if (!classes)
      return (
        <Col span={span} data-field={fieldKey}>
          {content}
        </Col>
      );
    return (
      <div data-field={fieldKey} style={CELL_STYLE} className={classes.col(span)}>
        {content}
      </div>
    );
  },
  (a, b) => a.fieldKey === b.fieldKey && a.span === b.span && sameField(a.content, b.content),
);

/** A grid of the nodes: a field spans its width (or one column of `columns`), blocks the whole row. */
function Grid({ nodes, columns, ctx }: { nodes: Node[]; columns: number; ctx: Ctx }) {
  const cols = ctx.phone ? 1 : Math.max(1, Math.min(4, columns));
  return (
    <Row gutter={GUTTER}>
      {nodes.map((n) => {
        if (!ctx.drawn(n)) return null;
        if (n.type !== 'field') {
          const block = renderBlock(n, ctx);
          return block ? (
            <Col key={n.id} span={24}>
              {block}
            </Col>
          ) : null;
        }
        const p = ctx.byName.get(n.key);
        if (!p || ctx.hidden.has(n.key)) return null;
        const span = ctx.phone ? 24 : Math.max(6, Math.round(24 * (n.width ? (FRACTION[n.width] ?? 1) : 1 / cols)));
        return <FieldCell key={n.key} fieldKey={n.key} span={span} content={p.content} />;
      })}
    </Row>
  );
}

function renderBlock(n: Exclude<Node, { type: 'field' }>, ctx: Ctx): ReactNode {
  switch (n.type) {
    case 'section': {
      const keys = fieldKeys(n.children);
      if (keys.length > 0 && keys.every((k) => ctx.hidden.has(k))) return null;
      return (
        <Card size="small" title={n.title} style={{ marginBottom: 12 }}>
          <Grid nodes={n.children} columns={n.columns} ctx={ctx} />
        </Card>
      );
    }
    case 'tabs':
      return (
        <Tabs
          size="small"
          style={{ marginBottom: 12 }}
          items={n.tabs.map((tab, i) => ({ key: tab.id, label: tab.title || String(i + 1), children: <Grid nodes={tab.children} columns={1} ctx={ctx} /> }))}
        />
      );
    case 'divider':
      return <Divider titlePlacement="start">{n.title}</Divider>;
    case 'description':
      return <Typography.Paragraph type="secondary">{n.text}</Typography.Paragraph>;
  }
}

const DefaultObject = Templates.ObjectFieldTemplate!;
const DefaultField = Templates.FieldTemplate!;
const DefaultWrap = Templates.WrapIfAdditionalTemplate!;
/** The theme template's layout options in the form context: with any of them, the theme's template draws the field. */
const THEME_OPTIONS = ['colon', 'labelCol', 'wrapperCol', 'wrapperStyle', 'descriptionLocation'];

/**
 * The theme's field template, but lighter, and at the root none.
 *
 * At the root antd's Form.Item would wrap the whole form and hand every field's Form.Item a new
 * context value (its sub-item meta callback) on each change, re-rendering all 200 of them per
 * keystroke (docs/performance.md). The root has no label; its own errors, if any, are shown under
 * the fields. It works out antd's classes for the fields' `FieldItem`s once.
 *
 * An ordinary field (not an additional property, the theme's wrapper, no layout options in the form
 * context) is drawn as the theme draws it — the wrapper's div, then Form.Item with the label, help or
 * errors, description and required mark — but with `FieldItem` for antd's Form.Item: the same
 * elements, a fifth of the components (docs/performance.md, the mount of the whole form).
 */
export function LayoutFieldTemplate(props: FieldTemplateProps) {
  const classes = useContext(FieldItemClassesContext);
  if (props.id === 'root') return <RootField {...props} />;
  const { children, registry, schema, uiSchema, rawErrors } = props;
  const uiOptions = getUiOptions(uiSchema);
  const context = (registry.formContext ?? {}) as Record<string, unknown>;
  const lean =
    !!classes &&
    !(ADDITIONAL_PROPERTY_FLAG in schema) &&
    getTemplate('WrapIfAdditionalTemplate', registry, uiOptions) === DefaultWrap &&
    THEME_OPTIONS.every((k) => context[k] === undefined);
  if (!lean) return <DefaultField {...props} />;
  if (props.hidden) return <div className="rjsf-field-hidden">{children}</div>;
  return (
    <div className={props.classNames} style={props.style}>
      <FieldItem
        htmlFor={props.id}
        label={props.displayLabel && uiOptions.widget !== 'checkbox' && props.label}
        required={props.required}
        help={(!!props.rawHelp && props.help) || (rawErrors?.length ? props.errors : undefined)}
        extra={props.rawDescription ? props.description : undefined}
        validateStatus={rawErrors?.length ? 'error' : undefined}
        hasFeedback={schema.type !== 'array' && schema.type !== 'object'}
      >
        {children}
      </FieldItem>
    </div>
  );
}

function RootField(props: FieldTemplateProps) {
  const classes = useFieldItemClasses();
  return (
    <FieldItemClassesContext.Provider value={classes}>
      <div>
        {props.children}
        {props.rawErrors?.length ? props.errors : null}
      </div>
    </FieldItemClassesContext.Provider>
  );
}

/**
 * The root object of the preview follows the form's layout (sections with their columns, tabs,
 * dividers, descriptions; fields by width; one column at phone width) and leaves out the fields
 * the visibility rules hide. Nested objects (subform rows, addresses) use the theme's template.
 */
export function LayoutObjectTemplate(props: ObjectFieldTemplateProps) {
  const layout = (props.uiSchema?.['ui:layout'] as Node[] | undefined) ?? null;
  const context = (props.registry.formContext ?? {}) as Partial<PreviewContext>;
  const store = isStore(context.hidden) ? context.hidden : NO_STORE;
  const stored = useSyncExternalStore(store.subscribe, store.get);
  const laidOut = props.fieldPathId.$id === 'root' && !!layout;
  const total = props.properties.length;
  const [limit, setLimit] = useState(FIRST_FIELDS);
  useEffect(() => {
    if (!laidOut || limit >= total) return;
    // After the next frame is painted, not before it.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setLimit(Infinity)));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [laidOut, limit, total]);
  if (!laidOut) return <DefaultObject {...props} />;
  const hidden = isStore(context.hidden) ? stored : (context.hidden ?? NO_HIDDEN);
  const placed = new Set(fieldKeys(layout));
  const rest: Node[] = props.properties.filter((p) => !placed.has(p.name)).map((p) => ({ type: 'field', key: p.name }));
  const positions = positionsOf(layout);
  const restAt = new Map(rest.map((n, i) => [n, placed.size + i]));
  const drawn = (n: Node) => (positions.get(n) ?? restAt.get(n) ?? 0) < limit;
  const ctx: Ctx = { byName: new Map(props.properties.map((p) => [p.name, p])), hidden, phone: !!context.phone, drawn };
  return <Grid nodes={[...layout, ...rest]} columns={1} ctx={ctx} />;
}
