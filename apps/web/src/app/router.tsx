import { createBrowserRouter } from 'react-router';
import { NotFoundPage, RouteError } from './ErrorBoundary';
import { SessionGate } from './SessionGate';

// Lazy chunks per area: the sign-in pages load without the shell, the admin screens or the runtime.
const auth = () => import('../features/auth/area');
const shell = () => import('../features/shell/area');
const admin = () => import('../features/admin/area');
const runtime = () => import('../features/runtime/area');
const runtimeHome = () => import('../features/runtime/home');
const org = () => import('../features/org/area');
const designer = () => import('../features/designer/area');
const workflowDesigner = () => import('../features/workflow-designer/area');
const inbox = () => import('../features/inbox/area');
const search = () => import('../features/search/area');

/** The routes (docs/architecture.md, "The web app"): real URLs; deep links survive a reload. */
export function createRouter() {
  return createBrowserRouter([
    {
      errorElement: <RouteError />,
      children: [
        { path: '/sign-in', lazy: async () => ({ Component: (await auth()).SignInPage }) },
        { path: '/invite/:token', lazy: async () => ({ Component: (await auth()).AcceptInvitePage }) },
        { path: '/reset/:token', lazy: async () => ({ Component: (await auth()).ResetPasswordPage }) },
        {
          Component: SessionGate,
          children: [
            { path: '/apps/:appId/entities/:entityId/records/:recordId/print', lazy: async () => ({ Component: (await runtime()).RecordPrintPage }) },
            {
              path: '/',
              lazy: async () => ({ Component: (await shell()).AppShell }),
              children: [
                { index: true, lazy: async () => ({ Component: (await admin()).WorkspaceHome }) },
                { path: 'profile', lazy: async () => ({ Component: (await admin()).ProfilePage }) },
                { path: 'admin/org/:tab?', lazy: async () => ({ Component: (await org()).OrgPage }) },
                { path: 'admin/audit', lazy: async () => ({ Component: (await org()).AuditLogPage }) },
                { path: 'apps/:appId/permissions/:entityId?', lazy: async () => ({ Component: (await org()).AppPermissionsPage }) },
                { path: 'apps/:appId/rules/:entityId?', lazy: async () => ({ Component: (await org()).FormulaTesterPage }) },
                { path: 'apps/:appId', lazy: async () => ({ Component: (await runtimeHome()).AppHome }) },
                { path: 'apps/:appId/search', lazy: async () => ({ Component: (await search()).SearchPage }) },
                { path: 'apps/:appId/navigation', lazy: async () => ({ Component: (await admin()).NavigationEditor }) },
                { path: 'apps/:appId/entities/:entityId/settings', lazy: async () => ({ Component: (await admin()).EntitySettingsPage }) },
                { path: 'apps/:appId/entities/:entityId/design', lazy: async () => ({ Component: (await designer()).DesignerPage }) },
                {
                  path: 'apps/:appId/entities/:entityId',
                  lazy: async () => ({ Component: (await runtime()).RecordsPage }),
                  children: [
                    { path: 'new', lazy: async () => ({ Component: (await runtime()).RecordFormDrawer }) },
                    { path: 'records/:recordId', lazy: async () => ({ Component: (await runtime()).RecordDrawer }) },
                  ],
                },
                { path: 'apps/:appId/entities/:entityId/recycle-bin', lazy: async () => ({ Component: (await runtime()).RecycleBinPage }) },
                {
                  path: 'apps/:appId/entities/:entityId/workflows',
                  lazy: async () => ({ Component: (await workflowDesigner()).WorkflowListPage }),
                },
                {
                  path: 'apps/:appId/entities/:entityId/workflows/:workflowId',
                  lazy: async () => ({ Component: (await workflowDesigner()).WorkflowDesignerPage }),
                },
                {
                  path: 'apps/:appId/entities/:entityId/workflows/:workflowId/versions/:version',
                  lazy: async () => ({ Component: (await workflowDesigner()).WorkflowVersionPage }),
                },
                { path: 'inbox', lazy: async () => ({ Component: (await inbox()).InboxPage }) },
                { path: 'inbox/tasks/:taskId', lazy: async () => ({ Component: (await inbox()).TaskPage }) },
                { path: 'inbox/instances/:instanceId', lazy: async () => ({ Component: (await inbox()).InstancePage }) },
                { path: '*', Component: NotFoundPage },
              ],
            },
          ],
        },
      ],
    },
  ]);
}
