import { ExclamationCircleFilled } from '@ant-design/icons';
import { NODE_TYPES, type WorkflowNode } from '@crm/workflow';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { Tooltip, Typography } from 'antd';
import { memo } from 'react';
import { NODE_TYPE_UI } from '../../../workflow-nodes/registry';
import { NODE_SIZE } from '../model/layout';

export interface FlowNodeData extends Record<string, unknown> {
  node: WorkflowNode;
  title: string;
  typeLabel: string;
  problems: string[];
  /** In a version view: on the instance's path, where it waits now, or neither. */
  mark?: 'path' | 'active' | 'off';
}

export type FlowNodeType = Node<FlowNodeData, 'wf'>;

/** One node on the canvas: type icon in its colour, name, type, and its problems as a red mark. */
export const FlowNode = memo(function FlowNode({ data, selected }: NodeProps<FlowNodeType>) {
  const { node, title, typeLabel, problems, mark } = data;
  const definition = NODE_TYPES[node.type];
  const Icon = NODE_TYPE_UI[node.type].icon;
  const classes = ['wf-node', selected && 'wf-node--selected', problems.length > 0 && 'wf-node--problem', mark && `wf-node--${mark}`].filter(Boolean).join(' ');
  return (
    <div className={classes} style={{ width: NODE_SIZE.width, height: NODE_SIZE.height, borderLeftColor: definition.designer.color }}>
      {node.type !== 'start' && <Handle type="target" position={Position.Top} />}
      <span className="wf-node__icon" style={{ background: definition.designer.color }} aria-hidden>
        <Icon />
      </span>
      <span className="wf-node__text">
        <Typography.Text strong ellipsis>
          {title}
        </Typography.Text>
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
          {typeLabel}
        </Typography.Text>
      </span>
      {problems.length > 0 && (
        <Tooltip title={problems.join('\n')}>
          <span className="wf-node__problems">
            <ExclamationCircleFilled aria-hidden />
            {problems.length}
          </span>
        </Tooltip>
      )}
      {definition.outgoing.max > 0 && <Handle type="source" position={Position.Bottom} />}
    </div>
  );
});
