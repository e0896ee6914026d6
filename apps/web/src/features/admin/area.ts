// The admin area's chunk: the workspace home (apps), my profile, an app's navigation editor, entity settings.
export { EntitySettingsPage } from './components/EntitySettingsPage';
export { NavigationEditor } from './components/NavigationEditor';
export { ProfilePage } from './components/ProfilePage';
export { WorkspaceHome } from './components/WorkspaceHome';
