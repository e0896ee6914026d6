import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';
import { qs } from './support/records';

/**
 * The permission matrix: roles × actions × row scopes × field rules, asserted cell by cell
 * against the real server (and database). Each scenario replaces the entity's permission
 * groups through the API; each cell then checks, for one member, every record path:
 * list + count, GET by id, history, create, edit (200 / 403 visible-not-editable / 404 out of
 * scope), delete + restore, bulk create (import), bulk update and bulk delete (exactly the
 * in-scope records), hidden fields absent from every answer, read-only fields refused with
 * 403 FIELD_NOT_WRITABLE naming them, and what the entity definition shows.
 *
 * Organisation: HQ → Sales → Sales East, HQ → Finance.
 *   rep1, rep2: Sales East, role rep; head: Sales (its head), role manager; fin: Finance, role
 *   finance; appAdmin: admin of the deals app; otherAppAdmin: admin of another app.
 * Records (owner / region / rep field / dept field / due):
 *   r1 rep1 east rep1 SalesEast past   r2 rep1 west head Sales   future
 *   r3 rep2 east rep1 SalesEast past   r4 head west  –   Sales   future
 *   r5 fin  east fin  Finance   past   r6 admin north –  HQ      future
 */

const FIELDS = ['title', 'amount', 'salary', 'stage', 'region', 'rep', 'dept', 'due', 'note'] as const;
type Field = (typeof FIELDS)[number];
const RECS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'] as const;
type R = (typeof RECS)[number];
const ALL: R[] = [...RECS];
/** Salaries are unique, with decimals, so their text cannot turn up by chance in ids or times. */
const SALARY: Record<R, number> = { r1: 913571.25, r2: 913572.25, r3: 913573.25, r4: 913574.25, r5: 913575.25, r6: 913576.25 };
const SALARY_TEXT = /91357\d\.25/;

type MemberName = 'rep1' | 'rep2' | 'head' | 'fin';
type ActorName = MemberName | 'admin' | 'appAdmin' | 'otherAppAdmin';
const MEMBERS: MemberName[] = ['rep1', 'rep2', 'head', 'fin'];

interface Cell {
  /** Records the member can view; null: no view action (list and count answer 403). */
  view: R[] | null;
  create?: boolean;
  /** Records the member can edit; null: no edit action. Visible others answer 403, the rest 404. */
  edit?: R[] | null;
  /** Records the member can delete (and restore); null: no delete action. */
  delete?: R[] | null;
  import?: boolean;
  /** Records a match-all bulk update reaches; null: no bulk_edit action. */
  bulkEdit?: R[] | null;
  /** Fields absent from every read (list, get, history, create/update answers). */
  hidden?: Field[];
  /** Fields shown but refused on write. */
  readOnly?: Field[];
  /** Fields in the entity definition the member gets (default: all but hidden). */
  design?: Field[];
  /** Workspace or app admin: manages permission groups and the design. */
  manages?: boolean;
}

const NOTHING: Cell = { view: null };
const FULL: Cell = { view: ALL, create: true, edit: ALL, delete: ALL, import: true, bulkEdit: ALL, manages: true };

interface Org {
  m: Record<MemberName | 'appAdmin' | 'otherAppAdmin', SeededMember>;
  dept: { hq: string; sales: string; east: string; finance: string };
  role: { rep: string; manager: string; finance: string };
}

interface Scenario {
  name: string;
  groups: (o: Org) => Record<string, unknown>[];
  cells: Partial<Record<MemberName, Cell>>;
  /** Also check the workspace admin, the app admin (everything) and another app's admin (nothing). */
  admins?: boolean;
}

const cond = (condition: unknown) => ({ kind: 'condition', condition });

const SCENARIOS: Scenario[] = [
  {
    name: 'no permission group: members see nothing, admins everything',
    groups: () => [],
    cells: {},
    admins: true,
  },
  {
    name: 'preset submit_only via role rep',
    groups: (o) => [{ preset: 'submit_only', roles: [o.role.rep] }],
    cells: {
      rep1: { view: null, create: true, hidden: [...FIELDS], design: [...FIELDS] },
      rep2: { view: null, create: true, hidden: [...FIELDS], design: [...FIELDS] },
    },
  },
  {
    name: 'preset manage_own via members',
    groups: (o) => [{ preset: 'manage_own', members: [o.m.rep1.id, o.m.head.id] }],
    cells: {
      rep1: { view: ['r1', 'r2'], create: true, edit: ['r1', 'r2'], delete: ['r1', 'r2'] },
      head: { view: ['r4'], create: true, edit: ['r4'], delete: ['r4'] },
    },
  },
  {
    name: 'preset view_all via department Finance',
    groups: (o) => [{ preset: 'view_all', departments: [o.dept.finance] }],
    cells: { fin: { view: ALL, edit: null, delete: null } },
  },
  {
    name: 'preset manage_all via role manager',
    groups: (o) => [{ preset: 'manage_all', roles: [o.role.manager] }],
    cells: { head: { ...FULL, manages: false } },
    admins: true,
  },
  {
    name: 'custom: my department and its sub-departments (view, edit, bulk edit)',
    groups: (o) => [{ name: 'Team', roles: [o.role.rep, o.role.manager], actions: ['view', 'edit', 'bulk_edit'], rowScope: { kind: 'department' } }],
    cells: {
      rep1: { view: ['r1', 'r2', 'r3'], edit: ['r1', 'r2', 'r3'], bulkEdit: ['r1', 'r2', 'r3'] },
      rep2: { view: ['r1', 'r2', 'r3'], edit: ['r1', 'r2', 'r3'], bulkEdit: ['r1', 'r2', 'r3'] },
      // Sales and Sales East below it: rep1, rep2 and head own r1–r4.
      head: { view: ['r1', 'r2', 'r3', 'r4'], edit: ['r1', 'r2', 'r3', 'r4'], bulkEdit: ['r1', 'r2', 'r3', 'r4'] },
    },
  },
  {
    name: 'custom: condition with $user (rep field is me)',
    groups: (o) => [
      {
        name: 'My accounts',
        members: [o.m.fin.id],
        departments: [o.dept.east],
        actions: ['view', 'edit'],
        rowScope: cond({ '==': [{ var: 'rep' }, '$user'] }),
      },
    ],
    cells: {
      rep1: { view: ['r1', 'r3'], edit: ['r1', 'r3'] },
      rep2: { view: [], edit: [] },
      fin: { view: ['r5'], edit: ['r5'] },
    },
  },
  {
    name: 'custom: field condition (region is east) with view and delete',
    groups: (o) => [
      { name: 'East', roles: [o.role.rep, o.role.manager, o.role.finance], actions: ['view', 'delete'], rowScope: cond({ '==': [{ var: 'region' }, 'east'] }) },
    ],
    cells: {
      rep1: { view: ['r1', 'r3', 'r5'], delete: ['r1', 'r3', 'r5'] },
      rep2: { view: ['r1', 'r3', 'r5'], delete: ['r1', 'r3', 'r5'] },
      head: { view: ['r1', 'r3', 'r5'], delete: ['r1', 'r3', 'r5'] },
      fin: { view: ['r1', 'r3', 'r5'], delete: ['r1', 'r3', 'r5'] },
    },
  },
  {
    name: 'custom: conditions with $user_departments and $today',
    groups: (o) => [
      { name: 'My departments', roles: [o.role.rep, o.role.finance], actions: ['view'], rowScope: cond({ in: [{ var: 'dept' }, '$user_departments'] }) },
      { name: 'Due from today', roles: [o.role.manager], actions: ['view', 'edit'], rowScope: cond({ '>=': [{ var: 'due' }, '$today'] }) },
    ],
    cells: {
      rep1: { view: ['r1', 'r3'] },
      rep2: { view: ['r1', 'r3'] },
      fin: { view: ['r5'] },
      head: { view: ['r2', 'r4', 'r6'], edit: ['r2', 'r4', 'r6'] },
    },
  },
  {
    name: 'field rules: salary hidden, amount read-only',
    groups: (o) => [
      {
        name: 'Reps',
        roles: [o.role.rep],
        actions: ['view', 'create', 'edit', 'import', 'bulk_edit'],
        rowScope: { kind: 'all' },
        fields: { salary: { visible: false }, amount: { visible: true, editable: false } },
      },
    ],
    cells: {
      rep1: { view: ALL, create: true, edit: ALL, import: true, bulkEdit: ALL, hidden: ['salary'], readOnly: ['amount'] },
      rep2: { view: ALL, create: true, edit: ALL, import: true, bulkEdit: ALL, hidden: ['salary'], readOnly: ['amount'] },
    },
    admins: true,
  },
  {
    name: 'union: manage_own (every field) + view_all (salary hidden)',
    groups: (o) => [
      { preset: 'manage_own', members: [o.m.rep1.id] },
      { preset: 'view_all', roles: [o.role.rep], fields: { salary: { visible: false } } },
    ],
    cells: {
      // The own group shows salary, so it is readable (field rules combine per entity, see docs/permissions.md).
      rep1: { view: ALL, create: true, edit: ['r1', 'r2'], delete: ['r1', 'r2'] },
      rep2: { view: ALL, hidden: ['salary'] },
    },
  },
  {
    name: 'union of scopes and actions from member, department and role groups',
    groups: (o) => [
      { name: 'Own edit', members: [o.m.rep2.id], actions: ['view', 'edit'], rowScope: { kind: 'own' } },
      { name: 'East view', departments: [o.dept.east], actions: ['view'], rowScope: cond({ '==': [{ var: 'region' }, 'east'] }) },
      {
        name: 'Finance own',
        roles: [o.role.finance],
        actions: ['view', 'delete'],
        rowScope: { kind: 'own' },
        fields: { amount: { visible: true, editable: false }, salary: { visible: false } },
      },
    ],
    cells: {
      rep2: { view: ['r1', 'r3', 'r5'], edit: ['r3'] },
      rep1: { view: ['r1', 'r3', 'r5'] },
      fin: { view: ['r5'], delete: ['r5'], hidden: ['salary'] },
    },
  },
];

describe('permission matrix', () => {
  let api: TestApi;
  let org: OrgSeed;
  let o: Org;
  let deals: any;
  let other: any;
  let adminId: string;
  const ids = {} as Record<R, number>;
  const clients = {} as Record<ActorName, Client>;
  const actorIds = {} as Record<ActorName, string>;
  const recs = () => `/api/entities/${deals.id}/records`;
  const rec = (r: R | number) => `${recs()}/${typeof r === 'number' ? r : ids[r]}`;
  const nameOf = (id: number) => (Object.entries(ids).find(([, v]) => v === id)?.[0] ?? `new:${id}`) as R;
  const sorted = (rs: readonly R[]) => [...rs].sort();

  const sample = (f: Field): unknown =>
    ({ title: 'Sample', amount: 5, salary: 1.5, stage: 'won', region: 'south', rep: o.m.rep1.id, dept: o.dept.east, due: '2030-01-01', note: 'sample' })[f];

  async function adminRead(r: R): Promise<any> {
    const res = await api.admin.get(rec(r));
    expect(res.status, `admin reads ${r}`).toBe(200);
    return res.body;
  }

  /** Live record names as the admin sees them, with the given field's value. */
  async function liveWith(key: Field, value: unknown): Promise<R[]> {
    const res = await api.admin.get(`${recs()}${qs({ limit: 200, filter: { '==': [{ var: key }, value] } })}`);
    expect(res.status).toBe(200);
    return res.body.items.map((x: any) => nameOf(x.id)).sort();
  }

  async function liveIds(): Promise<number[]> {
    const res = await api.admin.get(`${recs()}?limit=200`);
    expect(res.status).toBe(200);
    return res.body.items.map((x: any) => x.id).sort((a: number, b: number) => a - b);
  }

  async function purge(id: number): Promise<void> {
    const del = await api.admin.delete(rec(id));
    expect(del.status).toBe(204);
    expect((await api.admin.delete(`${rec(id)}/purge`)).status).toBe(204);
  }

  /** Hidden keys absent from each record in the answer and no hidden salary anywhere in its text. */
  function expectHiddenAbsent(body: unknown, hidden: readonly Field[], where: string): void {
    if (!hidden.length) return;
    const list: any[] = Array.isArray((body as any)?.items) ? (body as any).items : [body];
    for (const item of list) for (const f of hidden) expect(Object.keys(item ?? {}), `${where}: ${f} must be absent`).not.toContain(f);
    if (hidden.includes('salary')) expect(JSON.stringify(body), `${where}: a salary value leaked`).not.toMatch(SALARY_TEXT);
  }

  beforeAll(async () => {
    api = await startApi();
    org = await OrgSeed.of(api);
    adminId = (await api.admin.get('/api/auth/me')).body.user.id;
    const hq = await org.department('HQ');
    const sales = await org.department('Sales', hq);
    const east = await org.department('Sales East', sales);
    const finance = await org.department('Finance', hq);
    const role = { rep: await org.role('rep'), manager: await org.role('manager'), finance: await org.role('finance') };
    const m = {
      rep1: await org.member('Rep One', { departments: [east], roles: [role.rep] }),
      rep2: await org.member('Rep Two', { departments: [east], roles: [role.rep] }),
      head: await org.member('Head of Sales', { departments: [sales], roles: [role.manager] }),
      fin: await org.member('Fin Ance', { departments: [finance], roles: [role.finance] }),
      appAdmin: await org.member('App Admin'),
      otherAppAdmin: await org.member('Other App Admin'),
    };
    await org.setDepartmentHead(sales, m.head.id);
    o = { m, dept: { hq, sales, east, finance }, role };

    deals = await makeEntity(api.admin, [
      { key: 'title', label: 'Title', type: 'text', required: true },
      { key: 'amount', label: 'Amount', type: 'money', settings: { currency: 'EUR', precision: 2 } },
      { key: 'salary', label: 'Salary', type: 'number', settings: { precision: 2 } },
      { key: 'stage', label: 'Stage', type: 'select', settings: { options: ['open', 'won', 'lost'].map((v) => ({ value: v, label: v })) } },
      { key: 'region', label: 'Region', type: 'text' },
      { key: 'rep', label: 'Rep', type: 'member' },
      { key: 'dept', label: 'Department', type: 'department' },
      { key: 'due', label: 'Due', type: 'date' },
      { key: 'note', label: 'Note', type: 'text' },
    ]);
    other = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
    await org.setAppAdmins(deals.appId, [m.appAdmin.id]);
    await org.setAppAdmins(other.appId, [m.otherAppAdmin.id]);

    const PAST = '2000-01-01';
    const FUTURE = '2099-12-31';
    const fixtures: Record<R, [SeededMember | null, string, string | null, string, string]> = {
      r1: [m.rep1, 'east', m.rep1.id, east, PAST],
      r2: [m.rep1, 'west', m.head.id, sales, FUTURE],
      r3: [m.rep2, 'east', m.rep1.id, east, PAST],
      r4: [m.head, 'west', null, sales, FUTURE],
      r5: [m.fin, 'east', m.fin.id, finance, PAST],
      r6: [null, 'north', null, hq, FUTURE],
    };
    for (const r of RECS) {
      const [owner, region, rep, dept, due] = fixtures[r];
      const res = await api.admin.post(recs(), {
        title: `Deal ${r}`,
        amount: 1000 + RECS.indexOf(r),
        salary: SALARY[r],
        stage: 'open',
        region,
        rep,
        dept,
        due,
        ...(owner ? { ownerId: owner.id } : {}),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[r] = res.body.id;
    }
    for (const [name, member] of Object.entries(m)) {
      clients[name as ActorName] = await org.login(member);
      actorIds[name as ActorName] = member.id;
    }
    clients.admin = api.admin;
    actorIds.admin = adminId;
  });
  afterAll(async () => api?.close());

  async function setGroups(groups: Record<string, unknown>[]): Promise<void> {
    const list = await api.admin.get(`/api/entities/${deals.id}/permission-groups`);
    expect(list.status).toBe(200);
    for (const g of list.body.items) expect((await api.admin.delete(`/api/permission-groups/${g.id}`)).status).toBe(204);
    for (const g of groups) {
      const res = await api.admin.post(`/api/entities/${deals.id}/permission-groups`, g);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }

  /** Every path for one member and one cell of the matrix. */
  async function checkCell(actor: ActorName, cell: Cell): Promise<void> {
    const c = clients[actor];
    const me = actorIds[actor];
    const hidden = cell.hidden ?? [];
    const readOnly = cell.readOnly ?? [];
    const view = cell.view;
    const inView = (r: R) => !!view?.includes(r);
    const opens = view !== null || !!cell.create;
    const design = cell.design ?? FIELDS.filter((f) => !hidden.includes(f));
    // An entity the member cannot see answers 404 on every route (issue 8, hole 6), never 403.
    const forbidden = (res: Api) => (opens ? expectProblem(res, 403, 'FORBIDDEN') : expectProblem(res, 404, 'ENTITY_NOT_FOUND'));
    const missing = (res: Api) => (opens ? expectProblem(res, 404, 'RECORD_NOT_FOUND') : expectProblem(res, 404, 'ENTITY_NOT_FOUND'));
    const fixedIds = await liveIds();

    // The app and entity are there only when a group opens them (or the member administers the app).
    const apps = await c.get('/api/apps');
    expect(apps.status).toBe(200);
    expect(apps.body.items.map((a: any) => a.id).includes(deals.appId), 'app listed').toBe(opens);
    const ent = await c.get(`/api/entities/${deals.id}`);
    if (!opens) expectProblem(ent, 404, 'ENTITY_NOT_FOUND');
    else {
      expect(ent.status).toBe(200);
      expect(ent.body.fields.map((f: any) => f.key).sort(), 'fields in the definition').toEqual([...design].sort());
    }
    const groups = await c.get(`/api/entities/${deals.id}/permission-groups`);
    if (cell.manages) expect(groups.status).toBe(200);
    else forbidden(groups);

    // List, query and count: exactly the records in view scope.
    const list = await c.get(`${recs()}?limit=200`);
    const query = await c.post(`${recs()}/query`, { limit: 200 });
    const count = await c.get(`${recs()}/count`);
    if (view === null) {
      forbidden(list);
      forbidden(query);
      forbidden(count);
    } else {
      expect(list.status, JSON.stringify(list.body)).toBe(200);
      expect(list.body.items.map((x: any) => nameOf(x.id)).sort(), 'list').toEqual(sorted(view));
      expect(query.body.items.map((x: any) => nameOf(x.id)).sort(), 'query').toEqual(sorted(view));
      expect(count.body, 'count').toEqual({ count: view.length, capped: false });
      expectHiddenAbsent(list.body, hidden, 'list');
      expectHiddenAbsent(query.body, hidden, 'query');
      for (const item of list.body.items) for (const f of FIELDS) if (!hidden.includes(f)) expect(Object.keys(item), `list shows ${f}`).toContain(f);
    }

    // GET by id and history: 200 in scope, 404 otherwise.
    for (const r of RECS) {
      const got = await c.get(rec(r));
      const hist = await c.get(`${rec(r)}/history`);
      if (inView(r)) {
        expect(got.status, `GET ${r}`).toBe(200);
        expect(got.body.title).toBe(`Deal ${r}`);
        expectHiddenAbsent(got.body, hidden, `GET ${r}`);
        expect(hist.status, `history ${r}`).toBe(200);
        expect(hist.body.items.length).toBeGreaterThan(0);
        if (hidden.includes('salary')) {
          expect(JSON.stringify(hist.body), `history ${r} shows salary`).not.toMatch(/salary|91357\d/);
        } else expect(JSON.stringify(hist.body)).toContain(String(SALARY[r]));
      } else {
        missing(got);
        missing(hist);
      }
    }

    // Create: 201 owned by me with hidden fields left out, or 403; read-only fields refused, nothing written.
    const payload = { title: `New by ${actor}`, region: 'south', stage: 'open', note: 'created' };
    const created = await c.post(recs(), payload);
    if (cell.create) {
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.ownerId).toBe(me);
      expectHiddenAbsent(created.body, hidden, 'create answer');
      await purge(created.body.id);
      // Not writable on create: read-only fields, and hidden ones the definition leaves out.
      for (const f of [...readOnly, ...hidden.filter((h) => !design.includes(h))]) {
        const refused = expectProblem(await c.post(recs(), { ...payload, [f]: sample(f) }), 403, 'FIELD_NOT_WRITABLE');
        expect(refused.fields).toEqual([f]);
        expect(refused.detail).toContain(`"${f}"`);
      }
    } else {
      forbidden(created);
    }
    expect(await liveIds(), 'no record left behind by create').toEqual(fixedIds);

    // Edit: 200, 403 (visible, not editable) or 404 (out of scope); refused edits change nothing.
    for (const r of RECS) {
      const before = await adminRead(r);
      const res = await c.patch(rec(r), { version: before.version, note: `edited by ${actor}` });
      if (cell.edit?.includes(r)) {
        expect(res.status, `PATCH ${r}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(res.body.note).toBe(`edited by ${actor}`);
        expectHiddenAbsent(res.body, hidden, `PATCH ${r} answer`);
        for (const f of [...readOnly, ...hidden]) {
          const current = await adminRead(r);
          const refused = expectProblem(await c.patch(rec(r), { version: current.version, [f]: sample(f), note: 'not written' }), 403, 'FIELD_NOT_WRITABLE');
          expect(refused.fields).toEqual([f]);
          expect(await adminRead(r), `refused write of ${f} left ${r} alone`).toEqual(current);
        }
        const after = await adminRead(r);
        expect((await api.admin.patch(rec(r), { version: after.version, note: null })).status).toBe(200);
      } else {
        if (inView(r)) forbidden(res);
        else missing(res);
        expect(await adminRead(r), `refused PATCH ${r} changed nothing`).toEqual(before);
      }
    }

    // Delete and restore: 204 + 200 in delete scope; 403 / 404 otherwise, the record stays.
    for (const r of RECS) {
      const res = await c.delete(rec(r));
      if (cell.delete?.includes(r)) {
        expect(res.status, `DELETE ${r}: ${JSON.stringify(res.body)}`).toBe(204);
        expectProblem(await api.admin.get(rec(r)), 404, 'RECORD_NOT_FOUND');
        const restored = await c.post(`${rec(r)}/restore`);
        expect(restored.status, `restore ${r}`).toBe(200);
        expectHiddenAbsent(restored.body, hidden, `restore ${r}`);
      } else {
        if (inView(r)) forbidden(res);
        else missing(res);
      }
      await adminRead(r);
    }

    // Bulk create (import): all mine, or 403 and nothing written.
    const bulk = await c.post(`${recs()}/bulk`, {
      records: [
        { ...payload, title: 'Imported 1' },
        { ...payload, title: 'Imported 2' },
      ],
    });
    if (cell.import) {
      expect(bulk.status, JSON.stringify(bulk.body)).toBe(201);
      expect(bulk.body.ids).toHaveLength(2);
      for (const id of bulk.body.ids) {
        expect((await api.admin.get(rec(id))).body.ownerId).toBe(me);
        await purge(id);
      }
      for (const f of readOnly) {
        const refused = expectProblem(await c.post(`${recs()}/bulk`, { records: [payload, { ...payload, [f]: sample(f) }] }), 403, 'FIELD_NOT_WRITABLE');
        expect(refused.fields).toEqual([f]);
      }
    } else forbidden(bulk);
    expect(await liveIds(), 'no record left behind by import').toEqual(fixedIds);

    // Bulk update of "everything": exactly the records in bulk-edit scope change.
    const marker = `bulk by ${actor}`;
    const bu = await c.post(`${recs()}/bulk-update`, { all: true, values: { note: marker } });
    if (cell.bulkEdit == null) forbidden(bu);
    else {
      expect(bu.status, JSON.stringify(bu.body)).toBe(200);
      expect(bu.body.ids.map(nameOf).sort()).toEqual(sorted(cell.bulkEdit));
      expect(bu.body.updated).toBe(cell.bulkEdit.length);
      for (const f of readOnly) {
        const refused = expectProblem(await c.post(`${recs()}/bulk-update`, { all: true, values: { [f]: sample(f) } }), 403, 'FIELD_NOT_WRITABLE');
        expect(refused.fields).toEqual([f]);
      }
    }
    expect(await liveWith('note', marker), 'records changed by the bulk update').toEqual(sorted(cell.bulkEdit ?? []));
    if (cell.bulkEdit?.length) expect((await api.admin.post(`${recs()}/bulk-update`, { all: true, values: { note: null } })).status).toBe(200);

    // Bulk delete of "everything": exactly the records in delete scope go to the bin.
    const bd = await c.post(`${recs()}/bulk-delete`, { all: true });
    if (cell.delete == null) forbidden(bd);
    else {
      expect(bd.status, JSON.stringify(bd.body)).toBe(200);
      expect(bd.body.ids.map(nameOf).sort()).toEqual(sorted(cell.delete));
    }
    const gone = cell.delete ?? [];
    expect((await liveIds()).map(nameOf).sort(), 'live after bulk delete').toEqual(ALL.filter((r) => !gone.includes(r)));
    for (const r of gone) expect((await api.admin.post(`${rec(r)}/restore`)).status).toBe(200);
    expect(await liveIds()).toEqual(fixedIds);
  }

  const names = async (c: Client): Promise<R[]> => {
    const res = await c.get(`${recs()}?limit=200`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((x: any) => nameOf(x.id)).sort();
  };

  describe('permission changes apply on the next request, to the same session', () => {
    it('a group created, widened, narrowed and removed', async () => {
      await setGroups([]);
      const c = clients.rep1;
      expectProblem(await c.get(recs()), 404, 'ENTITY_NOT_FOUND');
      const created = await api.admin.post(`/api/entities/${deals.id}/permission-groups`, { preset: 'manage_own', members: [o.m.rep1.id] });
      expect(created.status).toBe(201);
      const group = `/api/permission-groups/${created.body.id}`;
      expect(await names(c)).toEqual(['r1', 'r2']);
      expectProblem(await c.get(rec('r3')), 404, 'RECORD_NOT_FOUND');

      expect((await api.admin.patch(group, { rowScope: { kind: 'all' } })).status).toBe(200);
      expect(await names(c)).toEqual(ALL);
      expect((await c.get(rec('r3'))).body.salary).toBe(SALARY.r3);

      expect((await api.admin.patch(group, { fields: { salary: { visible: false } } })).status).toBe(200);
      const r3 = await c.get(rec('r3'));
      expect(r3.status).toBe(200);
      expect(r3.body).not.toHaveProperty('salary');
      expectProblem(await c.patch(rec('r3'), { version: r3.body.version, salary: 1 }), 403, 'FIELD_NOT_WRITABLE');

      expect((await api.admin.patch(group, { actions: ['view'] })).status).toBe(200);
      expectProblem(await c.patch(rec('r1'), { version: (await adminRead('r1')).version, note: 'x' }), 403, 'FORBIDDEN');

      expect((await api.admin.delete(group)).status).toBe(204);
      expectProblem(await c.get(recs()), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await c.get(rec('r1')), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await c.get(`/api/entities/${deals.id}`), 404, 'ENTITY_NOT_FOUND');
    });

    it('moving a member between departments and roles', async () => {
      await setGroups([{ name: 'Team', roles: [o.role.rep], actions: ['view'], rowScope: { kind: 'department' } }]);
      const c = clients.rep1;
      try {
        expect(await names(c)).toEqual(['r1', 'r2', 'r3']);
        await org.setMembership(o.m.rep1.id, { departments: [o.dept.sales] });
        expect(await names(c), 'Sales and below: rep1, rep2, head').toEqual(['r1', 'r2', 'r3', 'r4']);
        await org.setMembership(o.m.rep1.id, { departments: [o.dept.finance] });
        expect(await names(c), 'Finance: fin and rep1 now').toEqual(['r1', 'r2', 'r5']);
        expect(await names(clients.rep2), 'rep1 left Sales East').toEqual(['r3']);
        await org.setMembership(o.m.rep1.id, { roles: [] });
        expectProblem(await c.get(recs()), 404, 'ENTITY_NOT_FOUND');
      } finally {
        await org.setMembership(o.m.rep1.id, { departments: [o.dept.east], roles: [o.role.rep] });
      }
      expect(await names(c)).toEqual(['r1', 'r2', 'r3']);
    });

    it('granting and revoking app admin', async () => {
      await setGroups([]);
      const c = clients.rep2;
      expectProblem(await c.get(`/api/entities/${deals.id}`), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await c.patch(`/api/entities/${deals.id}`, { name: 'Renamed' }), 404, 'ENTITY_NOT_FOUND');
      await org.setAppAdmins(deals.appId, [o.m.appAdmin.id, o.m.rep2.id]);
      try {
        expect(await names(c)).toEqual(ALL);
        expect((await c.get(`/api/entities/${deals.id}/permission-groups`)).status).toBe(200);
        const renamed = await c.patch(`/api/entities/${deals.id}`, { name: 'Deals' });
        expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
        // Not an admin of the other app for all that.
        expectProblem(await c.get(`/api/entities/${other.id}`), 404, 'ENTITY_NOT_FOUND');
        expectProblem(await c.patch(`/api/entities/${other.id}`, { name: 'Mine now' }), 404, 'ENTITY_NOT_FOUND');
      } finally {
        await org.setAppAdmins(deals.appId, [o.m.appAdmin.id]);
      }
      expectProblem(await c.get(recs()), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await c.get(`/api/entities/${deals.id}/permission-groups`), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await c.patch(`/api/entities/${deals.id}`, { name: 'Renamed' }), 404, 'ENTITY_NOT_FOUND');
    });
  });

  for (const s of SCENARIOS) {
    describe(s.name, () => {
      beforeAll(async () => setGroups(s.groups(o)));
      for (const name of MEMBERS) {
        const cell = s.cells[name] ?? NOTHING;
        it(`${name}: ${cell.view === null ? 'no view' : `views ${cell.view.join(' ') || 'none'}`}`, async () => checkCell(name, cell));
      }
      if (s.admins) {
        it('workspace admin: everything', async () => checkCell('admin', FULL));
        it('app admin: everything of the app', async () => checkCell('appAdmin', FULL));
        it('admin of another app: nothing here', async () => checkCell('otherAppAdmin', NOTHING));
      }
    });
  }
});
