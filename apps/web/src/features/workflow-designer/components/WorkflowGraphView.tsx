import type { FieldDefinition } from '@crm/schema';
import type { WorkflowGraph } from '@crm/workflow';
import { ReactFlowProvider } from '@xyflow/react';
import { Flex } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesignContext } from '../../../workflow-nodes/node-type-ui';
import { indexProblems } from '../model/validation';
import { DesignerCanvas, type Selection } from './DesignerCanvas';
import { NodeConfigPanel } from './NodeConfigPanel';
import './designer.css';

const NO_DIRECTORY = { members: [], roles: [], departments: [] };
const noop = () => undefined;

/**
 * A version's graph, read only: the nodes an instance passed highlighted and where it waits now
 * marked; choosing a node shows its settings. Lives in the version page and in a task's view.
 */
export function WorkflowGraphView({
  graph,
  fields = [],
  path,
  active,
}: {
  graph: WorkflowGraph;
  fields?: readonly FieldDefinition[];
  path?: readonly string[];
  active?: readonly string[];
}) {
  const { t } = useTranslation();
  const [selection, setSelection] = useState<Selection>(null);
  const problems = useMemo(() => indexProblems([]), []);
  const ctx: DesignContext = useMemo(
    () => ({ fields, directory: NO_DIRECTORY, graph, readOnly: true, problemsAt: () => [], edgeProblems: () => [], editEdge: noop }),
    [fields, graph],
  );
  return (
    <ReactFlowProvider>
      {path && (
        <Flex gap={8} wrap style={{ marginBottom: 8 }} aria-label={t('workflows.view.legend')} role="note">
          <span className="wf-legend wf-node--path">{t('workflows.view.passed')}</span>
          <span className="wf-legend wf-node--active">{t('workflows.view.waiting')}</span>
          <span className="wf-legend wf-node--off">{t('workflows.view.notPassed')}</span>
        </Flex>
      )}
      <div className="wf-designer wf-designer--readonly">
        <DesignerCanvas graph={graph} problems={problems} selection={selection} onSelect={setSelection} readOnly path={path} active={active} />
        <aside className="wf-side" tabIndex={0} aria-label={t('workflows.panel.label')}>
          <NodeConfigPanel
            graph={graph}
            selection={selection}
            ctx={ctx}
            nodeProblems={() => []}
            onNode={noop}
            onConnect={noop}
            onRemoveNode={noop}
            onRemoveEdge={noop}
            onSelect={setSelection}
          />
        </aside>
      </div>
    </ReactFlowProvider>
  );
}
