// The inbox's lazy chunk: lists, task and instance pages (the flow view loads on demand).
export { InboxPage } from './components/InboxPage';
export { TaskPage, InstancePage } from './components/TaskPage';
export { TaskView } from './components/TaskView';
