// The workflow designer's lazy chunk (React Flow, dagre and the workflow package load only here).
export { WorkflowDesignerPage } from './components/DesignerPage';
export { WorkflowVersionPage } from './components/VersionPage';
export { WorkflowGraphView } from './components/WorkflowGraphView';
export { WorkflowListPage } from './components/WorkflowListPage';
