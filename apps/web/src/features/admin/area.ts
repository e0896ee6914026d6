// The admin area's chunk: the workspace home (apps), my profile, an app's navigation editor.
export { ProfilePage } from './components/ProfilePage';
export { WorkspaceHome } from './components/WorkspaceHome';
