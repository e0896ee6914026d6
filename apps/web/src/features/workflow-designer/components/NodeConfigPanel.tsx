import { DeleteOutlined } from '@ant-design/icons';
import { NODE_TYPES, type WorkflowGraph, type WorkflowNode } from '@crm/workflow';
import { Button, Card, Flex, Form, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DesignContext } from '../../../workflow-nodes/node-type-ui';
import { NODE_TYPE_UI } from '../../../workflow-nodes/registry';
import { LabeledControl } from '../../../workflow-nodes/shared/LabeledControl';
import { ProblemText } from '../../../workflow-nodes/shared/ProblemText';
import { localeOf, nodeTitle } from '../../../workflow-nodes/shared/node-title';
import type { Selection } from './DesignerCanvas';

interface Props {
  graph: WorkflowGraph;
  selection: Selection;
  ctx: DesignContext;
  /** The node's own problems that belong to no single setting. */
  nodeProblems(nodeId: string): string[];
  onNode(nodeId: string, patch: Partial<Pick<WorkflowNode, 'name' | 'settings'>>): void;
  onConnect(from: string, to: string): void;
  onRemoveNode(nodeId: string): void;
  onRemoveEdge(edgeId: string): void;
  onSelect(s: Selection): void;
}

/** The settings of the selected node (its type's panel) or connection; nothing selected: a hint. */
export function NodeConfigPanel(props: Props) {
  const { graph, selection, ctx } = props;
  const { t, i18n } = useTranslation();
  if (!selection) return <Typography.Paragraph type="secondary">{t('workflows.panel.nothing')}</Typography.Paragraph>;
  if (selection.kind === 'edge') {
    const edge = graph.edges.find((e) => e.id === selection.id);
    if (!edge) return null;
    const from = graph.nodes.find((n) => n.id === edge.from);
    const to = graph.nodes.find((n) => n.id === edge.to);
    return (
      <Card size="small" title={t('workflows.panel.edge', { from: nodeTitle(from, i18n.language), to: nodeTitle(to, i18n.language) })}>
        <Flex vertical gap={8} align="flex-start">
          <ProblemText messages={ctx.edgeProblems(edge.id)} />
          {from?.type === 'branch' && <Button onClick={() => props.onSelect({ kind: 'node', id: from.id })}>{t('workflows.panel.editConditions')}</Button>}
          {!ctx.readOnly && (
            <Button danger icon={<DeleteOutlined aria-hidden />} onClick={() => props.onRemoveEdge(edge.id)}>
              {t('workflows.panel.removeEdge')}
            </Button>
          )}
        </Flex>
      </Card>
    );
  }
  const node = graph.nodes.find((n) => n.id === selection.id);
  if (!node) return null;
  const def = NODE_TYPES[node.type];
  const { Panel, icon: Icon } = NODE_TYPE_UI[node.type];
  const settings = node.settings ?? def.defaultSettings();
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <Icon style={{ color: def.designer.color }} aria-hidden />
          <span>{def.label[localeOf(i18n.language)]}</span>
        </Flex>
      }
      extra={
        !ctx.readOnly &&
        node.type !== 'start' && (
          <Button
            type="text"
            danger
            icon={<DeleteOutlined aria-hidden />}
            aria-label={t('workflows.panel.removeNode', { name: nodeTitle(node, i18n.language) })}
            onClick={() => props.onRemoveNode(node.id)}
          />
        )
      }
    >
      <Form layout="vertical" component="div">
        <LabeledControl label={t('workflows.panel.name')} help={t('workflows.panel.nameHelp', { id: node.id })}>
          {(id) => (
            <Input
              id={id}
              value={node.name ?? ''}
              maxLength={200}
              disabled={ctx.readOnly}
              placeholder={def.label[localeOf(i18n.language)]}
              onChange={(e) => props.onNode(node.id, { name: e.target.value || undefined })}
            />
          )}
        </LabeledControl>
        <ProblemText messages={props.nodeProblems(node.id)} />
        <Panel node={node} settings={settings} ctx={ctx} onSettings={(next: Record<string, unknown>) => props.onNode(node.id, { settings: next })} />
        <NextSteps node={node} graph={graph} ctx={ctx} onConnect={props.onConnect} />
      </Form>
    </Card>
  );
}

/** Connecting from the keyboard: the next step of a node (or a new path of a branch or split). */
function NextSteps({
  node,
  graph,
  ctx,
  onConnect,
}: {
  node: WorkflowNode;
  graph: WorkflowGraph;
  ctx: DesignContext;
  onConnect(from: string, to: string): void;
}) {
  const { t, i18n } = useTranslation();
  const max = NODE_TYPES[node.type].outgoing.max;
  if (max === 0 || ctx.readOnly) return null;
  const options = graph.nodes.filter((n) => n.id !== node.id && n.type !== 'start').map((n) => ({ value: n.id, label: nodeTitle(n, i18n.language) }));
  const single = max === 1;
  const current = single ? graph.edges.find((e) => e.from === node.id)?.to : undefined;
  return (
    <LabeledControl label={single ? t('workflows.panel.next') : t('workflows.panel.addPath')}>
      {(id) => (
        <Select
          id={id}
          value={current ?? null}
          allowClear={false}
          placeholder={t('workflows.panel.pickNode')}
          options={options}
          onChange={(to: string) => onConnect(node.id, to)}
        />
      )}
    </LabeledControl>
  );
}
