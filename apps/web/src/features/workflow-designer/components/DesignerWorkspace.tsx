import type { WorkflowGraph } from '@crm/workflow';
import { useReactFlow } from '@xyflow/react';
import { App as AntdApp } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { problemText } from '../../../ui/problem';
import type { DesignContext } from '../../../workflow-nodes/node-type-ui';
import type { Entity } from '../../apps/api/apps.api';
import type { WorkflowDetail } from '../api/workflows.api';
import { useDirectory } from '../../../api/directory.queries';
import { useGraphEditor } from '../hooks/useGraphEditor';
import { usePublish, useSaveDraft } from '../hooks/useWorkflowDesign';
import { indexProblems, problemMessage, validateLocally, type DesignProblem } from '../model/validation';
import { DesignerCanvas } from './DesignerCanvas';
import { DesignerToolbar } from './DesignerToolbar';
import { NodeConfigPanel } from './NodeConfigPanel';
import { Palette } from './Palette';
import { ProblemsList } from './ProblemsList';

interface Props {
  workflow: WorkflowDetail;
  entity: Entity;
  initial: WorkflowGraph;
  /** The server's problems of the stored draft, for the graph they were found in (JSON). */
  initialProblems: { graph: string; problems: DesignProblem[] } | null;
}

/**
 * The designer proper: palette, canvas, the selected node's panel and the problems. The graph
 * is validated in the browser on every change; the server's answer replaces that list from a
 * save or publish until the next edit.
 */
export function DesignerWorkspace({ workflow, entity, initial, initialProblems }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = AntdApp.useApp();
  const { fitView } = useReactFlow();
  const editor = useGraphEditor(initial);
  const { graph, selection, setSelection } = editor;
  const directory = useDirectory();
  const save = useSaveDraft(workflow.id);
  const publish = usePublish(workflow.id);
  const [saved, setSaved] = useState(() => JSON.stringify(initial));
  const [server, setServer] = useState(initialProblems);

  const json = useMemo(() => JSON.stringify(graph), [graph]);
  const structure = useMemo(() => JSON.stringify({ n: graph.nodes.map(({ position: _p, ...n }) => n), e: graph.edges }), [graph]);
  // Positions do not change what is valid: validation runs when the structure does.
  const local = useMemo(() => validateLocally({ graph, fields: entity.fields }), [structure, entity.fields]);
  const fromServer = server !== null && server.graph === json;
  const problems = fromServer ? server.problems : local;
  const index = useMemo(() => indexProblems(problems), [problems]);

  const ctx: DesignContext = useMemo(() => {
    const nodeId = selection?.kind === 'node' ? selection.id : undefined;
    const mine = (nodeId && index.byNode.get(nodeId)) || [];
    return {
      fields: entity.fields,
      directory,
      graph,
      readOnly: false,
      problemsAt: (pointer) => mine.filter((p) => !p.edgeId && p.path?.startsWith(pointer)).map((p) => problemMessage(p, i18n.language)),
      edgeProblems: (edgeId) => (index.byEdge.get(edgeId) ?? []).map((p) => problemMessage(p, i18n.language)),
      editEdge: editor.editEdge,
    };
  }, [entity.fields, directory, graph, selection, index, i18n.language, editor.editEdge]);

  async function saveDraft(): Promise<boolean> {
    try {
      const detail = await save.mutateAsync(graph);
      setSaved(json);
      setServer({ graph: json, problems: detail.draft?.problems ?? [] });
      message.success(t('workflows.designer.saved'));
      return true;
    } catch (error) {
      message.error(problemText(error, t));
      return false;
    }
  }

  async function publishDraft() {
    if (json !== saved && !(await saveDraft())) return;
    try {
      const answer = await publish.mutateAsync();
      message.success(t('workflows.designer.published', { version: answer.version }));
    } catch (error) {
      const problems = error instanceof ApiError ? (error.problem as { problems?: unknown }).problems : undefined;
      const listed = Array.isArray(problems) ? (problems as DesignProblem[]) : null;
      if (listed) setServer({ graph: json, problems: listed });
      message.error(listed ? t('workflows.designer.publishRefused', { count: listed.length }) : problemText(error, t));
    }
  }

  return (
    <>
      <DesignerToolbar
        workflow={workflow}
        entityName={entity.name}
        dirty={json !== saved}
        problemCount={problems.length}
        saving={save.isPending}
        publishing={publish.isPending}
        onLayout={() => {
          editor.layout();
          requestAnimationFrame(() => void fitView({ padding: 0.2, maxZoom: 1 }));
        }}
        onSave={() => void saveDraft()}
        onPublish={() => void publishDraft()}
        onCopyVersion={(g) => editor.reset(g)}
      />
      <div className="wf-designer">
        <aside className="wf-side" tabIndex={0}>
          <Palette onAdd={editor.add} hint={t(selection ? 'workflows.palette.hintSelected' : 'workflows.palette.hint')} />
        </aside>
        <DesignerCanvas
          graph={graph}
          problems={index}
          selection={selection}
          onSelect={setSelection}
          readOnly={false}
          onMove={editor.move}
          onConnect={editor.connect}
          onDrop={editor.drop}
          onDelete={({ nodes, edges }) => {
            if (nodes.length) editor.removeNodes(nodes);
            if (edges.length) editor.removeEdges(edges);
          }}
        />
        <aside className="wf-side" tabIndex={0} aria-label={t('workflows.panel.label')}>
          <NodeConfigPanel
            graph={graph}
            selection={selection}
            ctx={ctx}
            nodeProblems={(id) => (index.byNode.get(id) ?? []).filter((p) => !p.edgeId).map((p) => problemMessage(p, i18n.language))}
            onNode={editor.editNode}
            onConnect={editor.connect}
            onRemoveNode={(id) => editor.removeNodes([id])}
            onRemoveEdge={(id) => editor.removeEdges([id])}
            onSelect={setSelection}
          />
          <div style={{ marginTop: 12 }}>
            <ProblemsList problems={problems} graph={graph} source={fromServer ? 'server' : 'local'} onSelect={setSelection} />
          </div>
        </aside>
      </div>
    </>
  );
}
