import { type FieldWidth, type FormDefinition, hiddenFormFields, hiddenLayoutNodes, type LayoutNode, type LocalizedText } from '@crm/forms';
import type { FieldDefinition } from '@crm/schema';
import { Card, Descriptions, Divider, Flex, Grid, Tabs, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../../field-types/shared/format-value';
import type { Entity, Field } from '../../../apps/api/apps.api';
import type { RecordRow } from '../../records.api';
import { useRelatedEntities } from '../../hooks/useRelatedEntities';
import { RecordValue } from './RecordValue';

interface Props {
  entity: Entity;
  record: RecordRow;
  /** The published form as the member may see it; null: no form yet (the fields in their order). */
  form: { visible: Set<string>; form: FormDefinition } | null;
  /** The print page: every tab's fields one after another (one column on a narrow screen, the form's columns on paper). */
  print?: boolean;
}

const FRACTION: Record<FieldWidth, number> = { '1/4': 0.25, '1/3': 1 / 3, '1/2': 0.5, '2/3': 2 / 3, '3/4': 0.75, full: 1 };

/** Text of the member's language, else English, else any. */
export function localized(text: LocalizedText | undefined, lang: string): string {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[lang as 'en'] ?? text.en ?? Object.values(text)[0] ?? '';
}

/**
 * The record's fields in the form's layout (sections with their columns, tabs, dividers), only
 * those the server lets the member read and the form's visibility rules show for the record's
 * values (the shared rules package, as the form evaluates them: a field, section or tab hidden in
 * the form is hidden here); fields the form does not place follow at the end. One column on a phone.
 */
export function RecordFieldsLayout({ entity, record, form, print = false }: Props) {
  const { t, i18n } = useTranslation();
  const screens = Grid.useBreakpoint();
  const related = useRelatedEntities(entity);
  const narrow = !screens.md;
  const byKey = new Map(entity.fields.map((f) => [f.key, f]));
  // The form's show-when rules over the record as saved (evaluated once per record version).
  const rules = useMemo(() => {
    if (!form) return { fields: new Set<string>(), nodes: new Set<string>() };
    const args = { form: form.form, values: record, now: new Date(), fields: entity.fields as unknown as FieldDefinition[] };
    return { fields: hiddenFormFields(args), nodes: hiddenLayoutNodes(args) };
  }, [form, record, entity.fields]);
  const readable = (key: string) => byKey.has(key) && Object.hasOwn(record, key) && (form ? form.visible.has(key) : true) && !rules.fields.has(key);
  const placed = new Set<string>();

  const grid = (keys: { key: string; width?: FieldWidth }[], columns: number, id: string): ReactNode => {
    const cols = narrow ? 1 : Math.max(1, Math.min(4, columns));
    const items = keys
      .filter((k) => readable(k.key))
      .map((k) => {
        const field = byKey.get(k.key) as Field;
        return {
          key: field.key,
          label: field.label,
          span: Math.max(1, Math.round(FRACTION[k.width ?? (cols === 1 ? 'full' : '1/2')] * cols)),
          children: <RecordValue field={field} record={record} related={related} />,
        };
      });
    if (!items.length) return null;
    return <Descriptions key={id} column={cols} bordered size="small" layout={narrow ? 'vertical' : 'horizontal'} items={items} />;
  };

  const render = (nodes: LayoutNode[], columns: number, prefix: string): ReactNode[] => {
    const out: ReactNode[] = [];
    let run: { key: string; width?: FieldWidth }[] = [];
    const flush = () => {
      if (run.length) out.push(grid(run, columns, `${prefix}-${out.length}`));
      run = [];
    };
    for (const node of nodes) {
      if (node.type === 'field') {
        placed.add(node.key);
        run.push(node);
        continue;
      }
      flush();
      if (node.type === 'section') {
        if (rules.nodes.has(node.id)) continue;
        const body = render(node.children, node.columns ?? 1, node.id);
        if (body.some(Boolean))
          out.push(
            <Card key={node.id} size="small" title={localized(node.title, i18n.language) || undefined}>
              <Flex vertical gap={12}>
                {body}
              </Flex>
            </Card>,
          );
      } else if (node.type === 'tabs') {
        const tabs = node.tabs
          .filter((tab) => !rules.nodes.has(tab.id))
          .map((tab) => ({ tab, body: render(tab.children, 2, tab.id) }))
          .filter((x) => x.body.some(Boolean))
          .map(({ tab, body }) => ({
            key: tab.id,
            label: localized(tab.title, i18n.language),
            children: (
              <Flex vertical gap={12}>
                {body}
              </Flex>
            ),
          }));
        if (tabs.length && !print) out.push(<Tabs key={node.id} items={tabs} />);
        else
          for (const tab of tabs)
            out.push(
              <Card key={tab.key} size="small" title={tab.label}>
                {tab.children}
              </Card>,
            );
      } else if (node.type === 'divider') {
        out.push(
          <Divider key={node.id} titlePlacement="start">
            {localized(node.title, i18n.language)}
          </Divider>,
        );
      } else out.push(<Typography.Paragraph key={node.id}>{localized(node.text, i18n.language)}</Typography.Paragraph>);
    }
    flush();
    return out;
  };

  const body = render(form?.form.layout ?? [], 2, 'root');
  // A field placed in a hidden section or tab counts as placed: it does not reappear under Other fields.
  const rest = entity.fields.filter((f) => !placed.has(f.key) && !placedIn(form?.form.layout ?? [], f.key)).map((f) => ({ key: f.key }));
  const restGrid = grid(rest, 2, 'rest');
  return (
    <Flex vertical gap={12}>
      {body}
      {restGrid &&
        (body.some(Boolean) ? (
          <Card size="small" title={t('recordPage.otherFields')}>
            {restGrid}
          </Card>
        ) : (
          restGrid
        ))}
      <Descriptions
        size="small"
        column={narrow ? 1 : 2}
        items={[
          { key: 'createdAt', label: t('records.createdAt'), children: formatDateTime({ value: record.createdAt }) },
          { key: 'updatedAt', label: t('records.updatedAt'), children: formatDateTime({ value: record.updatedAt }) },
        ]}
      />
    </Flex>
  );
}

/** Whether the layout places this field anywhere (in any section or tab, shown or not). */
function placedIn(nodes: LayoutNode[], key: string): boolean {
  return nodes.some((n) =>
    n.type === 'field'
      ? n.key === key
      : n.type === 'section'
        ? placedIn(n.children, key)
        : n.type === 'tabs'
          ? n.tabs.some((t) => placedIn(t.children, key))
          : false,
  );
}
