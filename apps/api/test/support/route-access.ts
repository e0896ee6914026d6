/**
 * The route-access matrix's expectations (issue 8, "close the class"): for every route the API
 * serves, the request made with ids of things the actors must not reach, and what each actor
 * class gets. apps/api/test/route-access.spec.ts reads the routes from Nest's metadata and fails
 * for a route without an entry here, so a route added later cannot slip through unchecked.
 *
 * Actors (seeded by the spec):
 * - anon: no credentials;
 * - outsider: a member whose group on the target entity reaches only their own records;
 * - dept: a member whose group reaches records owned in their department (the target records
 *   are owned in another department);
 * - stranger: a member with no group in the target app at all (its entity is invisible to them);
 * - otherAdmin: the admin of another app, nothing in the target app;
 * - narrowed: a workspace admin's API token narrowed to the other app;
 * - readOnly: the outsider's read-only API token;
 * - disabled: a member with every right on the target entity whose account was then disabled.
 *
 * Workspace-level targets (members, departments, roles) are ids of a second workspace.
 */
export const ACTORS = ['anon', 'outsider', 'dept', 'stranger', 'otherAdmin', 'narrowed', 'readOnly', 'disabled'] as const;
export type ActorName = (typeof ACTORS)[number];

/** Ids of the things no actor may reach. */
export interface Targets {
  appId: string;
  entityId: string;
  recordId: number;
  /** A record of the target entity in the recycle bin. */
  binnedId: number;
  fileId: string;
  /** An import session of the workspace admin (on the target entity). */
  importId: string;
  /** An export job of the workspace admin (on the target entity). */
  exportId: string;
  groupId: string;
  /** An API token of the workspace admin. */
  tokenId: string;
  /** The target entity's public link was rotated away from this token. */
  oldLinkToken: string;
  ownerEmail: string;
  /** A published workflow of the target entity. */
  workflowId: string;
  /** The owner's pending task on the target record, and its instance (the owner is no actor). */
  taskId: string;
  instanceId: string;
  /** A view the admin shared on the target entity, and one the admin keeps to themself. */
  sharedViewId: string;
  privateViewId: string;
  /** The admin's comment on the target record. */
  commentId: string;
  otherWorkspace: { memberId: string; departmentId: string; roleId: string };
}

export interface RouteCall {
  path: string;
  body?: unknown;
}

/** An expected status (or any of several), or `skip` with the reason in `why`. */
export type Expect = number | number[] | 'skip';

export interface Expectation {
  call(t: Targets): RouteCall;
  /** outsider and dept (members with a group on the target entity but out of its records' scope). */
  member: Expect;
  /** stranger, otherAdmin and narrowed (nothing of the target app). */
  foreign: Expect;
  /** Overrides for one actor class. */
  only?: Partial<Record<ActorName, Expect>>;
  /** When a 2xx is the contract, what the answer must (not) show. */
  check?: (body: any, t: Targets, actor: ActorName) => void;
  why?: string;
}

const E = (t: Targets) => `/api/entities/${t.entityId}`;
const T = (t: Targets) => `/api/workflow-tasks/${encodeURIComponent(t.taskId)}`;
const I = (t: Targets) => `/api/workflow-instances/${t.instanceId}`;
const W = (t: Targets) => `/api/workflows/${t.workflowId}`;
const R = (t: Targets) => `${E(t)}/records/${t.recordId}`;
const NF = 404;
const FORB = 403;
const ids = (body: any): number[] => (body?.items ?? []).map((r: any) => Number(r.id));
const mustNotList = (what: string) => (body: any, t: Targets) => {
  if (ids(body).includes(t.recordId)) throw new Error(`${what} lists the out-of-scope record ${t.recordId}`);
};
const selfOnly = { member: 'skip', foreign: 'skip', why: 'acts only on the caller’s own sessions (auth.spec covers it)' } as const;
/** Workspace-level changes: workspace admins only (a narrowed token never), on ids of another workspace. */
const orgWrite = (call: (t: Targets) => RouteCall): Expectation => ({ call, member: FORB, foreign: FORB });
const orgRead = (call: (t: Targets) => RouteCall): Expectation => ({ call, member: NF, foreign: NF });

export const EXPECTATIONS: Record<string, Expectation> = {
  // ---- public ----
  'GET /api/health/jobs': {
    call: () => ({ path: '/api/health/jobs' }),
    member: FORB,
    foreign: FORB,
    why: 'installation-wide operations data: workspace admins only, never a token narrowed to apps',
  },
  'GET /api/health': { call: () => ({ path: '/api/health' }), member: 200, foreign: 200, only: { anon: 200, disabled: 200 }, why: 'public by design' },
  'GET /api/health/ready': {
    call: () => ({ path: '/api/health/ready' }),
    member: 200,
    foreign: 200,
    only: { anon: 200, disabled: 200 },
    why: 'public by design: readiness for load balancers, tells nothing but ready or not',
  },
  'POST /api/auth/login': {
    call: (t) => ({ path: '/api/auth/login', body: { email: t.ownerEmail, password: 'not-the-password' } }),
    member: [401, 429],
    foreign: [401, 429],
    only: { anon: [401, 429], disabled: [401, 429], readOnly: [401, 429] },
  },
  'POST /api/auth/invite/accept': {
    call: () => ({ path: '/api/auth/invite/accept', body: { token: 'crm_not-an-invite', password: 'a-new-password-1' } }),
    member: [400, 404],
    foreign: [400, 404],
    only: { anon: [400, 404], disabled: [400, 404], readOnly: [400, 404] },
  },
  'POST /api/auth/reset': {
    call: () => ({ path: '/api/auth/reset', body: { token: 'crm_not-a-reset', password: 'a-new-password-1' } }),
    member: [400, 404],
    foreign: [400, 404],
    only: { anon: [400, 404], disabled: [400, 404], readOnly: [400, 404] },
  },
  'GET /api/public/forms/:token': {
    call: (t) => ({ path: `/api/public/forms/${t.oldLinkToken}` }),
    member: NF,
    foreign: NF,
    only: { anon: NF, disabled: NF, readOnly: NF },
  },
  'POST /api/public/forms/:token/submit': {
    call: (t) => ({ path: `/api/public/forms/${t.oldLinkToken}/submit`, body: { title: 'through an old link' } }),
    member: NF,
    foreign: NF,
    only: { anon: NF, disabled: NF, readOnly: NF },
  },

  // ---- the caller itself ----
  'GET /api/auth/me': { call: () => ({ path: '/api/auth/me' }), member: 200, foreign: 200, why: 'answers the caller only' },
  'POST /api/auth/logout': { call: () => ({ path: '/api/auth/logout' }), ...selfOnly },
  'POST /api/auth/logout-all': { call: () => ({ path: '/api/auth/logout-all' }), ...selfOnly },
  'POST /api/auth/password': {
    call: () => ({ path: '/api/auth/password', body: { currentPassword: 'wrong-password-0', newPassword: 'another-password-1' } }),
    member: [400, 401, 403],
    foreign: [400, 401, 403],
  },
  'PATCH /api/auth/me': {
    call: () => ({ path: '/api/auth/me', body: { language: 'xx-not-a-language' } }),
    member: [400, 403],
    foreign: [400, 403],
    why: 'changes the caller’s own profile only; a bad language is refused before anything is written',
  },
  'GET /api/tokens': {
    call: () => ({ path: '/api/tokens' }),
    member: 200,
    foreign: 200,
    only: { narrowed: FORB },
    check: (body, t) => {
      if ((body.items ?? []).some((x: any) => x.id === t.tokenId)) throw new Error('lists another member’s token');
    },
  },
  'POST /api/tokens': {
    call: () => ({ path: '/api/tokens', body: { name: '' } }),
    member: 400,
    foreign: 400,
    only: { narrowed: FORB },
    why: 'minting one’s own token is allowed in a session: an invalid body, so nothing is stored; tokens cannot mint tokens',
  },
  'DELETE /api/tokens/:id': {
    call: (t) => ({ path: `/api/tokens/${t.tokenId}` }),
    member: NF,
    foreign: NF,
    only: { narrowed: FORB },
    why: 'another member’s token is not found; a narrowed token (here the owner’s own) manages no tokens',
  },
  'POST /api/files': {
    call: () => ({ path: '/api/files', body: {} }),
    member: [400, 415],
    foreign: [400, 415],
    why: 'any member may upload: sent without a file, so nothing is stored',
  },
  'GET /api/files/:id': { call: (t) => ({ path: `/api/files/${t.fileId}` }), member: NF, foreign: NF },
  'GET /api/files/:id/thumbnail': { call: (t) => ({ path: `/api/files/${t.fileId}/thumbnail` }), member: NF, foreign: NF },

  // ---- workspace: members, departments, roles (ids of another workspace) ----
  'GET /api/members': {
    // The server-side search (the pickers' way in): it too lists one's own workspace only.
    call: () => ({ path: '/api/members?q=e&limit=200' }),
    member: 200,
    foreign: 200,
    check: (body, t) => {
      if (JSON.stringify(body).includes(t.otherWorkspace.memberId)) throw new Error('lists a member of another workspace');
    },
    why: 'the member directory of one’s own workspace',
  },
  'GET /api/members/:id': orgRead((t) => ({ path: `/api/members/${t.otherWorkspace.memberId}` })),
  'POST /api/members': orgWrite(() => ({ path: '/api/members', body: { email: 'intruder@example.com', name: 'Intruder', password: 'intruder-pass-1' } })),
  'PATCH /api/members/:id': orgWrite((t) => ({ path: `/api/members/${t.otherWorkspace.memberId}`, body: { name: 'Renamed' } })),
  'POST /api/members/:id/reset-password': orgWrite((t) => ({ path: `/api/members/${t.otherWorkspace.memberId}/reset-password` })),
  'GET /api/departments': { call: () => ({ path: '/api/departments' }), member: 200, foreign: 200 },
  'GET /api/departments/:id': orgRead((t) => ({ path: `/api/departments/${t.otherWorkspace.departmentId}` })),
  'POST /api/departments': orgWrite(() => ({ path: '/api/departments', body: { name: 'Intruders' } })),
  'PATCH /api/departments/:id': orgWrite((t) => ({ path: `/api/departments/${t.otherWorkspace.departmentId}`, body: { name: 'Renamed' } })),
  'DELETE /api/departments/:id': orgWrite((t) => ({ path: `/api/departments/${t.otherWorkspace.departmentId}` })),
  'PUT /api/departments/:id/members': orgWrite((t) => ({ path: `/api/departments/${t.otherWorkspace.departmentId}/members`, body: { userIds: [] } })),
  'GET /api/roles': { call: () => ({ path: '/api/roles' }), member: 200, foreign: 200 },
  'GET /api/roles/:id': orgRead((t) => ({ path: `/api/roles/${t.otherWorkspace.roleId}` })),
  'POST /api/roles': orgWrite(() => ({ path: '/api/roles', body: { name: 'Intruders' } })),
  'PATCH /api/roles/:id': orgWrite((t) => ({ path: `/api/roles/${t.otherWorkspace.roleId}`, body: { name: 'Renamed' } })),
  'DELETE /api/roles/:id': orgWrite((t) => ({ path: `/api/roles/${t.otherWorkspace.roleId}` })),
  'PUT /api/roles/:id/members': orgWrite((t) => ({ path: `/api/roles/${t.otherWorkspace.roleId}/members`, body: { userIds: [] } })),
  'GET /api/audit': {
    call: (t) => ({ path: `/api/audit?entityId=${t.entityId}` }),
    member: FORB,
    foreign: FORB,
    only: { narrowed: 200 },
    check: (body) => {
      if ((body.items ?? []).length) throw new Error('shows audit entries of the target app');
    },
  },

  // ---- apps ----
  'GET /api/apps': {
    call: () => ({ path: '/api/apps' }),
    member: 200,
    foreign: 200,
    check: (body, t, actor) => {
      const listed = (body.items ?? []).some((a: any) => a.id === t.appId);
      if (listed && ['stranger', 'otherAdmin', 'narrowed'].includes(actor)) throw new Error('lists the target app');
    },
  },
  'POST /api/apps': { call: () => ({ path: '/api/apps', body: { key: 'intruder', name: 'Intruder' } }), member: FORB, foreign: FORB },
  'GET /api/apps/:appId': { call: (t) => ({ path: `/api/apps/${t.appId}` }), member: 200, foreign: NF, why: 'members see the app their group opens' },
  'PATCH /api/apps/:appId': { call: (t) => ({ path: `/api/apps/${t.appId}`, body: { name: 'Renamed' } }), member: FORB, foreign: NF },
  'DELETE /api/apps/:appId': { call: (t) => ({ path: `/api/apps/${t.appId}` }), member: FORB, foreign: NF },
  'PUT /api/apps/order': { call: (t) => ({ path: '/api/apps/order', body: { appIds: [t.appId] } }), member: FORB, foreign: FORB },
  'GET /api/trash/apps': { call: () => ({ path: '/api/trash/apps' }), member: FORB, foreign: FORB, why: 'the trash is the workspace admins’' },
  'POST /api/trash/apps/:appId/restore': { call: (t) => ({ path: `/api/trash/apps/${t.appId}/restore` }), member: FORB, foreign: FORB },
  'POST /api/trash/apps/:appId/purge': {
    call: (t) => ({ path: `/api/trash/apps/${t.appId}/purge`, body: { key: 'target' } }),
    member: FORB,
    foreign: FORB,
    why: 'deleting forever is the workspace admins’',
  },
  'GET /api/apps/:appId/navigation': {
    call: (t) => ({ path: `/api/apps/${t.appId}/navigation` }),
    member: 200,
    foreign: NF,
    why: 'members get the menu of an app their group opens, with only the entities they may open',
  },
  'GET /api/apps/:appId/search': {
    call: (t) => ({ path: `/api/apps/${t.appId}/search?q=e` }),
    member: 200,
    foreign: NF,
    check: (body, t) => {
      for (const g of body.groups ?? [])
        if (g.items.some((h: any) => h.id === t.recordId && g.entityId === t.entityId)) throw new Error('search finds a record out of scope');
    },
    why: 'members search the app their group opens; only records in their view scope',
  },
  'PUT /api/apps/:appId/navigation': { call: (t) => ({ path: `/api/apps/${t.appId}/navigation`, body: { groups: [] } }), member: FORB, foreign: [FORB, NF] },
  'GET /api/apps/:appId/admins': {
    call: (t) => ({ path: `/api/apps/${t.appId}/admins` }),
    member: NF,
    foreign: NF,
    why: 'workspace admins and the app’s own admins only',
  },
  'PUT /api/apps/:appId/admins': { call: (t) => ({ path: `/api/apps/${t.appId}/admins`, body: { userIds: [] } }), member: FORB, foreign: [FORB, NF] },
  'GET /api/apps/:appId/entities': { call: (t) => ({ path: `/api/apps/${t.appId}/entities` }), member: 200, foreign: NF },
  'POST /api/apps/:appId/entities': {
    call: (t) => ({ path: `/api/apps/${t.appId}/entities`, body: { key: 'intruder', name: 'Intruder', fields: [] } }),
    member: FORB,
    foreign: NF,
  },

  // ---- entity design ----
  'GET /api/entities/:entityId': { call: (t) => ({ path: E(t) }), member: 200, foreign: NF },
  'PATCH /api/entities/:entityId': { call: (t) => ({ path: E(t), body: { name: 'Renamed' } }), member: FORB, foreign: NF },
  'DELETE /api/entities/:entityId': { call: (t) => ({ path: E(t) }), member: FORB, foreign: NF },
  'GET /api/entities/:entityId/schema': { call: (t) => ({ path: `${E(t)}/schema` }), member: 200, foreign: NF },
  'POST /api/entities/:entityId/fields': {
    call: (t) => ({ path: `${E(t)}/fields`, body: { key: 'intruder', label: 'Intruder', type: 'text' } }),
    member: FORB,
    foreign: NF,
  },
  'PATCH /api/entities/:entityId/fields/:key': { call: (t) => ({ path: `${E(t)}/fields/title`, body: { label: 'Renamed' } }), member: FORB, foreign: NF },
  'DELETE /api/entities/:entityId/fields/:key': { call: (t) => ({ path: `${E(t)}/fields/title` }), member: FORB, foreign: NF },
  'POST /api/entities/:entityId/fields/:key/restore': { call: (t) => ({ path: `${E(t)}/fields/title/restore` }), member: FORB, foreign: NF },
  'POST /api/entities/:entityId/fields/:key/purge': { call: (t) => ({ path: `${E(t)}/fields/title/purge` }), member: FORB, foreign: NF },
  'GET /api/entities/:entityId/permission-groups': { call: (t) => ({ path: `${E(t)}/permission-groups` }), member: FORB, foreign: NF },
  'POST /api/entities/:entityId/permission-groups': {
    call: (t) => ({ path: `${E(t)}/permission-groups`, body: { preset: 'manage_all', members: [] } }),
    member: FORB,
    foreign: NF,
  },
  'PATCH /api/permission-groups/:id': {
    call: (t) => ({ path: `/api/permission-groups/${t.groupId}`, body: { rowScope: { kind: 'all' } } }),
    member: FORB,
    foreign: NF,
  },
  'DELETE /api/permission-groups/:id': { call: (t) => ({ path: `/api/permission-groups/${t.groupId}` }), member: FORB, foreign: NF },
  // View as member: app admins only; the member id is of another workspace (404 for the admins who reach the entity).
  'GET /api/entities/:entityId/my-access': {
    call: (t) => ({ path: `${E(t)}/my-access` }),
    member: 200,
    foreign: NF,
    why: 'one’s own actions on an entity one may see',
  },
  'GET /api/entities/:entityId/access-preview': {
    call: (t) => ({ path: `${E(t)}/access-preview?memberId=${t.otherWorkspace.memberId}` }),
    member: FORB,
    foreign: NF,
  },

  // ---- workflow design: the target app's admins only (members who see the entity: 403) ----
  'GET /api/entities/:entityId/workflows': { call: (t) => ({ path: `${E(t)}/workflows` }), member: FORB, foreign: NF },
  'POST /api/entities/:entityId/workflows': { call: (t) => ({ path: `${E(t)}/workflows`, body: { name: 'x', startOn: 'manual' } }), member: FORB, foreign: NF },
  'GET /api/workflows/:workflowId': { call: (t) => ({ path: `${W(t)}` }), member: FORB, foreign: NF },
  'PATCH /api/workflows/:workflowId': { call: (t) => ({ path: `${W(t)}`, body: { name: 'renamed' } }), member: FORB, foreign: NF },
  'DELETE /api/workflows/:workflowId': { call: (t) => ({ path: `${W(t)}` }), member: FORB, foreign: NF },
  'PUT /api/workflows/:workflowId/draft': { call: (t) => ({ path: `${W(t)}/draft`, body: { graph: { nodes: [], edges: [] } } }), member: FORB, foreign: NF },
  'POST /api/workflows/:workflowId/validate': { call: (t) => ({ path: `${W(t)}/validate`, body: {} }), member: FORB, foreign: NF },
  'POST /api/workflows/:workflowId/publish': { call: (t) => ({ path: `${W(t)}/publish` }), member: FORB, foreign: NF },
  'POST /api/workflows/:workflowId/retire': { call: (t) => ({ path: `${W(t)}/retire` }), member: FORB, foreign: NF },
  'GET /api/workflows/:workflowId/versions': { call: (t) => ({ path: `${W(t)}/versions` }), member: FORB, foreign: NF },
  'GET /api/workflows/:workflowId/versions/:version': { call: (t) => ({ path: `${W(t)}/versions/1` }), member: FORB, foreign: NF },
  // ---- workflow runtime: own inbox only; someone else's task or instance is not found ----
  'GET /api/workflow-inbox': {
    call: () => ({ path: '/api/workflow-inbox?box=todo' }),
    member: 200,
    foreign: 200,
    check: (body, t) => {
      if (body.items.some((i: any) => i.instanceId === t.instanceId)) throw new Error('lists the owner’s task');
    },
  },
  'GET /api/workflow-inbox/counts': {
    call: () => ({ path: '/api/workflow-inbox/counts' }),
    member: 200,
    foreign: 200,
    check: (body) => {
      if (body.todo !== 0) throw new Error(`counts ${body.todo} tasks`);
    },
  },
  'POST /api/workflow-tasks/batch-approve': {
    call: (t) => ({ path: '/api/workflow-tasks/batch-approve', body: { taskIds: [t.taskId] } }),
    member: 200,
    foreign: 200,
    check: (body) => {
      if (body.approved !== 0 || body.results[0].code !== 'TASK_NOT_FOUND') throw new Error(`approved ${JSON.stringify(body)}`);
    },
  },
  'GET /api/workflow-tasks/:taskId': { call: (t) => ({ path: `${T(t)}` }), member: NF, foreign: NF },
  'PATCH /api/workflow-tasks/:taskId/record': { call: (t) => ({ path: `${T(t)}/record`, body: { title: 'x' } }), member: NF, foreign: NF },
  'POST /api/workflow-tasks/:taskId/approve': { call: (t) => ({ path: `${T(t)}/approve`, body: {} }), member: NF, foreign: NF },
  'POST /api/workflow-tasks/:taskId/reject': { call: (t) => ({ path: `${T(t)}/reject`, body: {} }), member: NF, foreign: NF },
  'POST /api/workflow-tasks/:taskId/complete': { call: (t) => ({ path: `${T(t)}/complete`, body: {} }), member: NF, foreign: NF },
  'POST /api/workflow-tasks/:taskId/return': { call: (t) => ({ path: `${T(t)}/return`, body: { target: 'start' } }), member: NF, foreign: NF },
  'POST /api/workflow-tasks/:taskId/transfer': {
    call: (t) => ({ path: `${T(t)}/transfer`, body: { to: t.otherWorkspace.memberId } }),
    member: NF,
    foreign: NF,
  },
  'POST /api/workflow-tasks/:taskId/add-approver': {
    call: (t) => ({ path: `${T(t)}/add-approver`, body: { members: [t.otherWorkspace.memberId] } }),
    member: NF,
    foreign: NF,
  },
  'GET /api/workflow-instances/:instanceId': { call: (t) => ({ path: `${I(t)}` }), member: NF, foreign: NF },
  'POST /api/workflow-instances/:instanceId/withdraw': { call: (t) => ({ path: `${I(t)}/withdraw`, body: {} }), member: NF, foreign: NF },
  'POST /api/workflow-instances/:instanceId/resubmit': { call: (t) => ({ path: `${I(t)}/resubmit`, body: {} }), member: NF, foreign: NF },
  'POST /api/workflow-instances/:instanceId/urge': { call: (t) => ({ path: `${I(t)}/urge`, body: {} }), member: NF, foreign: NF },
  'POST /api/workflow-instances/:instanceId/comments': { call: (t) => ({ path: `${I(t)}/comments`, body: { comment: 'hi' } }), member: NF, foreign: NF },
  'POST /api/workflow-instances/:instanceId/reassign': {
    call: (t) => ({ path: `${I(t)}/reassign`, body: { taskId: t.taskId, to: t.otherWorkspace.memberId } }),
    member: NF,
    foreign: NF,
  },
  'POST /api/workflow-instances/:instanceId/end': { call: (t) => ({ path: `${I(t)}/end`, body: {} }), member: NF, foreign: NF },
  'POST /api/workflow-instances/:instanceId/reactivate': { call: (t) => ({ path: `${I(t)}/reactivate`, body: {} }), member: NF, foreign: NF },
  // ---- notifications: the caller's own ----
  'GET /api/notifications': { call: () => ({ path: '/api/notifications' }), member: 200, foreign: 200 },
  'GET /api/notifications/unread-count': { call: () => ({ path: '/api/notifications/unread-count' }), member: 200, foreign: 200 },
  'POST /api/notifications/read': { call: () => ({ path: '/api/notifications/read', body: { all: true } }), member: 200, foreign: 200 },
  // ---- forms ----
  'GET /api/entities/:entityId/form': { call: (t) => ({ path: `${E(t)}/form` }), member: 200, foreign: NF },
  'PUT /api/entities/:entityId/form': { call: (t) => ({ path: `${E(t)}/form`, body: { fields: {} } }), member: FORB, foreign: NF },
  'POST /api/entities/:entityId/form/publish': { call: (t) => ({ path: `${E(t)}/form/publish` }), member: FORB, foreign: NF },
  'GET /api/entities/:entityId/form/versions/:version': { call: (t) => ({ path: `${E(t)}/form/versions/1` }), member: [200, FORB], foreign: NF },
  'GET /api/entities/:entityId/form/schema': { call: (t) => ({ path: `${E(t)}/form/schema` }), member: 200, foreign: NF },
  // The target form has no linkage default: a member who reaches the entity gets 400 (no_linkage), not its data.
  'POST /api/entities/:entityId/form/linkage': {
    call: (t) => ({ path: `${E(t)}/form/linkage`, body: { field: 'title', values: {} } }),
    member: 400,
    foreign: NF,
  },
  'GET /api/entities/:entityId/form/design': { call: (t) => ({ path: `${E(t)}/form/design` }), member: FORB, foreign: NF },
  'PUT /api/entities/:entityId/form/design': {
    call: (t) => ({ path: `${E(t)}/form/design`, body: { revision: 0, document: { fields: [], form: {} } } }),
    member: FORB,
    foreign: NF,
  },
  'POST /api/entities/:entityId/form/design/preview': { call: (t) => ({ path: `${E(t)}/form/design/preview` }), member: FORB, foreign: NF },
  'POST /api/entities/:entityId/form/design/publish': {
    call: (t) => ({ path: `${E(t)}/form/design/publish`, body: { revision: 0 } }),
    member: FORB,
    foreign: NF,
  },
  'GET /api/entities/:entityId/form/public-link': { call: (t) => ({ path: `${E(t)}/form/public-link` }), member: FORB, foreign: NF },
  'POST /api/entities/:entityId/form/public-link': { call: (t) => ({ path: `${E(t)}/form/public-link`, body: {} }), member: FORB, foreign: NF },
  'POST /api/entities/:entityId/form/public-link/rotate': { call: (t) => ({ path: `${E(t)}/form/public-link/rotate` }), member: FORB, foreign: NF },
  'PATCH /api/entities/:entityId/form/public-link': { call: (t) => ({ path: `${E(t)}/form/public-link`, body: { enabled: true } }), member: FORB, foreign: NF },

  // ---- records ----
  'GET /api/entities/:entityId/records': { call: (t) => ({ path: `${E(t)}/records` }), member: 200, foreign: NF, check: mustNotList('the list') },
  'POST /api/entities/:entityId/records/query': {
    call: (t) => ({ path: `${E(t)}/records/query`, body: {} }),
    member: 200,
    foreign: NF,
    check: mustNotList('the query'),
  },
  'GET /api/entities/:entityId/records/count': {
    call: (t) => ({ path: `${E(t)}/records/count` }),
    member: 200,
    foreign: NF,
    check: (body) => {
      if (body.count !== 0) throw new Error(`counts ${body.count} records out of scope`);
    },
  },
  'GET /api/entities/:entityId/records/groups': {
    call: (t) => ({ path: `${E(t)}/records/groups?field=stage` }),
    member: 200,
    foreign: NF,
    check: (body) => {
      if (body.total !== 0) throw new Error(`groups count ${body.total} records out of scope`);
    },
  },
  // ---- saved views ----
  'GET /api/entities/:entityId/views': {
    call: (t) => ({ path: `${E(t)}/views` }),
    member: 200,
    foreign: NF,
    check: (body, t) => {
      if (body.items.some((v: { id: string }) => v.id === t.privateViewId)) throw new Error('lists another member’s own view');
    },
    why: 'members who see the entity read its shared views and their own, never another member’s',
  },
  'POST /api/entities/:entityId/views': { call: (t) => ({ path: `${E(t)}/views`, body: { name: 'hijack', shared: true } }), member: FORB, foreign: NF },
  'PATCH /api/views/:viewId': {
    call: (t) => ({ path: `/api/views/${t.sharedViewId}`, body: { name: 'renamed' } }),
    member: FORB,
    foreign: NF,
    why: 'a shared view is changed by admins only; members who see it get 403, others 404',
  },
  'DELETE /api/views/:viewId': { call: (t) => ({ path: `/api/views/${t.sharedViewId}` }), member: FORB, foreign: NF },
  'POST /api/entities/:entityId/records': { call: (t) => ({ path: `${E(t)}/records`, body: { title: 'intruder' } }), member: FORB, foreign: NF },
  'POST /api/entities/:entityId/imports': {
    call: (t) => ({ path: `${E(t)}/imports`, body: {} }),
    member: FORB,
    foreign: NF,
    why: 'the members may view and edit but not import; sent without a file, so nothing would be stored anyway',
  },
  'GET /api/imports/:id': { call: (t) => ({ path: `/api/imports/${t.importId}` }), member: NF, foreign: NF, why: 'an import is its creator’s' },
  'POST /api/imports/:id/scan': { call: (t) => ({ path: `/api/imports/${t.importId}/scan`, body: {} }), member: NF, foreign: NF },
  'POST /api/imports/:id/run': { call: (t) => ({ path: `/api/imports/${t.importId}/run`, body: {} }), member: NF, foreign: NF },
  'GET /api/imports/:id/error-file': { call: (t) => ({ path: `/api/imports/${t.importId}/error-file` }), member: NF, foreign: NF },
  'GET /api/entities/:entityId/export': {
    call: (t) => ({ path: `${E(t)}/export?format=csv` }),
    member: FORB,
    foreign: NF,
    why: 'the members may view but not export',
  },
  'POST /api/entities/:entityId/exports': {
    call: (t) => ({ path: `${E(t)}/exports`, body: { format: 'csv' } }),
    member: FORB,
    foreign: NF,
    why: 'the members may view but not export',
  },
  'GET /api/exports/:id': { call: (t) => ({ path: `/api/exports/${t.exportId}` }), member: NF, foreign: NF, why: 'an export is its creator’s' },
  'GET /api/exports/:id/file': { call: (t) => ({ path: `/api/exports/${t.exportId}/file` }), member: NF, foreign: NF },
  'POST /api/entities/:entityId/records/bulk': {
    call: (t) => ({ path: `${E(t)}/records/bulk`, body: { records: [{ title: 'intruder' }] } }),
    member: FORB,
    foreign: NF,
  },
  'POST /api/entities/:entityId/records/bulk-update': {
    call: (t) => ({ path: `${E(t)}/records/bulk-update`, body: { all: true, values: { title: 'overwritten' } } }),
    member: 200,
    foreign: NF,
    check: (body) => {
      if (body.updated !== 0) throw new Error(`bulk-updated ${body.updated} records out of scope`);
    },
    why: 'a bulk edit of "everything" reaches the member’s own scope only: none of the target records',
  },
  'POST /api/entities/:entityId/records/bulk-delete': {
    call: (t) => ({ path: `${E(t)}/records/bulk-delete`, body: { all: true } }),
    member: 200,
    foreign: NF,
    check: (body) => {
      if ((body.ids ?? []).length) throw new Error('bulk-deleted records out of scope');
    },
  },
  'GET /api/entities/:entityId/records/:id': { call: (t) => ({ path: R(t) }), member: NF, foreign: NF },
  'PATCH /api/entities/:entityId/records/:id': { call: (t) => ({ path: R(t), body: { version: 1, title: 'overwritten' } }), member: NF, foreign: NF },
  'DELETE /api/entities/:entityId/records/:id': { call: (t) => ({ path: R(t) }), member: NF, foreign: NF },
  'POST /api/entities/:entityId/records/:id/restore': { call: (t) => ({ path: `${E(t)}/records/${t.binnedId}/restore` }), member: NF, foreign: NF },
  'DELETE /api/entities/:entityId/records/:id/purge': { call: (t) => ({ path: `${E(t)}/records/${t.binnedId}/purge` }), member: NF, foreign: NF },
  'GET /api/entities/:entityId/recycle-bin': {
    call: (t) => ({ path: `${E(t)}/recycle-bin` }),
    member: [200, FORB],
    foreign: NF,
    check: (body, t) => {
      if (ids(body).includes(t.binnedId)) throw new Error('the recycle bin lists a record out of scope');
    },
  },
  // ---- comments: under the record's read permission (the target record is out of every actor's scope) ----
  'GET /api/entities/:entityId/records/:id/comments': { call: (t) => ({ path: `${R(t)}/comments` }), member: NF, foreign: NF },
  'POST /api/entities/:entityId/records/:id/comments': { call: (t) => ({ path: `${R(t)}/comments`, body: { body: 'sneaky' } }), member: NF, foreign: NF },
  'GET /api/entities/:entityId/records/:id/comments/mentionable': { call: (t) => ({ path: `${R(t)}/comments/mentionable?q=a` }), member: NF, foreign: NF },
  'DELETE /api/entities/:entityId/records/:id/comments/:commentId': {
    call: (t) => ({ path: `${R(t)}/comments/${t.commentId}` }),
    member: NF,
    foreign: NF,
  },
  'POST /api/entities/:entityId/recycle-bin/restore': {
    call: (t) => ({ path: `${E(t)}/recycle-bin/restore`, body: { ids: [t.binnedId] } }),
    member: [200, FORB],
    foreign: NF,
    check: (body, t) => {
      if ((body.ids ?? []).includes(t.binnedId)) throw new Error('restored a record out of scope');
    },
    why: 'a member with a delete scope gets 200 with the out-of-scope record among the refused',
  },
  'POST /api/entities/:entityId/recycle-bin/purge': {
    call: (t) => ({ path: `${E(t)}/recycle-bin/purge`, body: { ids: [t.binnedId] } }),
    member: [200, FORB],
    foreign: NF,
    check: (body, t) => {
      if ((body.ids ?? []).includes(t.binnedId)) throw new Error('purged a record out of scope');
    },
    why: 'a member with a delete scope gets 200 with the out-of-scope record among the refused',
  },
  'GET /api/entities/:entityId/records/:id/history': { call: (t) => ({ path: `${R(t)}/history` }), member: NF, foreign: NF },
  'GET /api/entities/:entityId/records/:id/related': { call: (t) => ({ path: `${R(t)}/related?entityId=${t.entityId}&field=link` }), member: NF, foreign: NF },
  'GET /api/entities/:entityId/fields/:key/options': {
    call: (t) => ({ path: `${E(t)}/fields/link/options` }),
    member: 200,
    foreign: NF,
    check: mustNotList('the picker'),
    why: 'a member who may edit picks among the records in their own view scope',
  },
};
