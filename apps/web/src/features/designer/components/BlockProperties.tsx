import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, InputNumber, Switch, Typography } from 'antd';
import { memo, type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { updateNode } from '../model/design-ops';
import { type CanvasNode, newId } from '../model/design-state';
import { useDesign, useDesignStore } from '../model/design-store';
import { JsonLogicInput, type RuleSlots } from './FieldProperties';
import { textOf } from './text';

function Item({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <Form.Item label={label} htmlFor={id} style={{ marginBottom: 12 }}>
      {children(id)}
    </Form.Item>
  );
}

/** The selected layout block: section (title, columns, collapsible, visibility), tabs, divider, description. */
export const BlockProperties = memo(function BlockProperties({ id, slots }: { id: string; slots: RuleSlots }) {
  const { t } = useTranslation();
  const store = useDesignStore();
  const node = useDesign((s) => s.nodes[id]);
  if (!node || node.kind === 'field') return null;
  const set = (patch: Partial<CanvasNode>, c?: string) => store.apply((s) => updateNode(s, id, patch), c);
  const kind = node.kind === 'section' && node.columns > 1 ? 'columns' : node.kind;
  return (
    <Form layout="vertical" component="div">
      <Typography.Title level={2} style={{ fontSize: 15 }}>
        {t(`designer.blocks.${kind}`)}
      </Typography.Title>
      {node.kind === 'section' && (
        <>
          <Item label={t('designer.blockTitle')}>
            {(i) => <Input id={i} value={textOf(node.title)} onChange={(e) => set({ title: e.target.value }, `title:${id}`)} />}
          </Item>
          <Item label={t('designer.columns')}>
            {(i) => (
              <InputNumber controls={false} id={i} min={1} max={4} precision={0} value={node.columns} onChange={(v) => set({ columns: Number(v ?? 1) })} />
            )}
          </Item>
          <Item label={t('designer.collapsible')}>
            {(i) => <Switch id={i} checked={!!node.collapsible} onChange={(v) => set({ collapsible: v || undefined })} />}
          </Item>
          {slots.renderCondition?.({ value: node.visibleWhen, label: t('designer.visibleWhen'), onChange: (v) => set({ visibleWhen: v }) }) ?? (
            <JsonLogicInput label={t('designer.visibleWhen')} value={node.visibleWhen} onChange={(v) => set({ visibleWhen: v })} />
          )}
        </>
      )}
      {node.kind === 'tabs' && (
        <div role="group" aria-label={t('designer.blocks.tabs')}>
          {node.tabs.map((tab, i) => (
            <Flex key={tab.id} gap={4} style={{ marginBottom: 6 }}>
              <Input
                aria-label={t('designer.tabTitle', { n: i + 1 })}
                value={textOf(tab.title)}
                onChange={(e) => set({ tabs: node.tabs.map((x) => (x.id === tab.id ? { ...x, title: e.target.value } : x)) }, `tab:${tab.id}`)}
              />
              <Button
                danger
                type="text"
                icon={<DeleteOutlined aria-hidden />}
                aria-label={t('designer.removeTab', { title: textOf(tab.title) })}
                disabled={node.tabs.length === 1}
                onClick={() =>
                  store.apply((s) => {
                    // The tab's contents move to the first remaining tab: nothing placed is lost.
                    const rest = node.tabs.filter((x) => x.id !== tab.id);
                    const containers = { ...s.containers, [rest[0].id]: [...s.containers[rest[0].id], ...(s.containers[tab.id] ?? [])] };
                    delete containers[tab.id];
                    return { ...updateNode(s, id, { tabs: rest }), containers };
                  })
                }
              />
            </Flex>
          ))}
          <Button
            size="small"
            icon={<PlusOutlined aria-hidden />}
            onClick={() =>
              store.apply((s) => {
                const tab = { id: newId('tab'), title: `${t('designer.tab')} ${node.tabs.length + 1}` };
                return { ...updateNode(s, id, { tabs: [...node.tabs, tab] }), containers: { ...s.containers, [tab.id]: [] } };
              })
            }
          >
            {t('designer.addTab')}
          </Button>
        </div>
      )}
      {node.kind === 'divider' && (
        <Item label={t('designer.blockTitle')}>
          {(i) => <Input id={i} value={textOf(node.title)} onChange={(e) => set({ title: e.target.value || undefined }, `title:${id}`)} />}
        </Item>
      )}
      {node.kind === 'description' && (
        <Item label={t('designer.text')}>
          {(i) => <Input.TextArea id={i} rows={3} value={textOf(node.text)} onChange={(e) => set({ text: e.target.value }, `text:${id}`)} />}
        </Item>
      )}
    </Form>
  );
});
