import { BranchesOutlined } from '@ant-design/icons';
import { Card, Flex, Input, InputNumber, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NodePanelProps, NodeTypeUi } from '../node-type-ui';
import { ConditionInput } from '../shared/ConditionInput';
import { LabeledControl } from '../shared/LabeledControl';
import { ProblemText } from '../shared/ProblemText';
import { nodeTitle } from '../shared/node-title';

/** 条件分支: the conditions live on the outgoing connections; one of them is the default path. */
function BranchPanel({ node, ctx }: NodePanelProps<Record<string, never>>) {
  const { t, i18n } = useTranslation();
  const edges = ctx.graph.edges.filter((e) => e.from === node.id);
  const defaultId = edges.find((e) => e.isDefault)?.id;
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('workflows.branch.help')}</Typography.Text>
      <Radio.Group
        aria-label={t('workflows.branch.defaultPath')}
        value={defaultId}
        disabled={ctx.readOnly}
        onChange={(e) => ctx.editEdge(e.target.value as string, { isDefault: true })}
        style={{ display: 'flex', flexDirection: 'column', gap: 12 }}
      >
        {edges.map((edge, i) => {
          const target = nodeTitle(
            ctx.graph.nodes.find((n) => n.id === edge.to),
            i18n.language,
          );
          const name = t('workflows.branch.pathTo', { n: i + 1, target });
          const problems = ctx.edgeProblems(edge.id);
          return (
            <Card key={edge.id} size="small" title={edge.label || name} role="group" aria-label={name}>
              <Radio value={edge.id}>{t('workflows.branch.isDefault')}</Radio>
              <LabeledControl label={t('workflows.branch.pathName')}>
                {(id) => (
                  <Input
                    id={id}
                    value={edge.label ?? ''}
                    disabled={ctx.readOnly}
                    maxLength={200}
                    onChange={(e) => ctx.editEdge(edge.id, { label: e.target.value || undefined })}
                  />
                )}
              </LabeledControl>
              {!edge.isDefault && (
                <>
                  <LabeledControl label={t('workflows.branch.condition')}>
                    {(id) => (
                      <ConditionInput
                        id={id}
                        aria-label={t('workflows.branch.conditionOf', { path: name })}
                        fields={ctx.fields}
                        value={edge.condition}
                        disabled={ctx.readOnly}
                        onChange={(condition) => ctx.editEdge(edge.id, { condition })}
                      />
                    )}
                  </LabeledControl>
                  <LabeledControl label={t('workflows.branch.priority')} help={t('workflows.branch.priorityHelp')}>
                    {(id) => (
                      <InputNumber
                        controls={false}
                        id={id}
                        min={-1000}
                        max={1000}
                        precision={0}
                        disabled={ctx.readOnly}
                        value={edge.priority ?? null}
                        onChange={(priority) => ctx.editEdge(edge.id, { priority: priority ?? undefined })}
                      />
                    )}
                  </LabeledControl>
                </>
              )}
              <ProblemText messages={problems} />
            </Card>
          );
        })}
      </Radio.Group>
    </Flex>
  );
}

export const branchUi: NodeTypeUi = { icon: BranchesOutlined, Panel: BranchPanel };
