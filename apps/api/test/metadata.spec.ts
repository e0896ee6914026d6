import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from './support/catalog';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

const OPTIONS = [
  { value: 'alpha', label: 'Alpha' },
  { value: 'beta', label: 'Beta' },
];
const uniq = (p: string) => `${p}_${randomBytes(3).toString('hex')}`;

async function makeApp(c: Client): Promise<any> {
  const res = await c.post('/api/apps', { key: uniq('app'), name: 'App' });
  expect(res.status).toBe(201);
  return res.body;
}

describe('metadata engine', () => {
  let api: TestApi;
  let cat: Catalog;
  beforeAll(async () => {
    api = await startApi();
    cat = new Catalog(api);
  });
  afterAll(async () => api?.close());

  describe('an entity with every field type', () => {
    const GENERATED_TABLE = /^[tlc]_[a-z0-9]{12}$/;
    const GENERATED_COLUMN = /^f_[a-z0-9]{12}$/;
    const GENERATED_INDEX = /^[iu]_[a-z0-9]{12}$/;
    const SYSTEM_COLUMNS = [
      'id',
      'version',
      'created_at',
      'created_by',
      'updated_at',
      'updated_by',
      'owner_id',
      'deleted_at',
      'deleted_by',
      'form_version',
      'record_id',
      'target_id',
      'parent_id',
      'row_order',
    ];
    // Declared column type by field key: [MySQL/MariaDB, SQLite].
    const TYPES: Record<string, [RegExp, string]> = {
      cust_text: [/^varchar\(255\)$/, 'text'],
      cust_textarea: [/^mediumtext$/, 'text'],
      cust_number: [/^decimal\(30,10\)$/, 'numeric'],
      cust_money: [/^decimal\(20,4\)$/, 'numeric'],
      cust_date: [/^date$/, 'text'],
      cust_datetime: [/^datetime\(3\)$/, 'text'],
      cust_switch: [/^tinyint\(1\)$/, 'integer'],
      cust_radio: [/^varchar\(255\)$/, 'text'],
      cust_checkbox: [/^longtext$/, 'text'],
      cust_select: [/^varchar\(255\)$/, 'text'],
      cust_multiselect: [/^longtext$/, 'text'],
      cust_email: [/^varchar\(255\)$/, 'text'],
      cust_phone: [/^varchar\(255\)$/, 'text'],
      cust_url: [/^mediumtext$/, 'text'],
      cust_member: [/^varchar\(36\)$/, 'text'],
      cust_department: [/^varchar\(36\)$/, 'text'],
      cust_rel_one: [/^bigint(\(20\))?$/, 'integer'],
      cust_attachment: [/^longtext$/, 'text'],
      cust_serial: [/^varchar\(64\)$/, 'text'],
    };
    let target: any;
    let entity: any;
    let appKey: string;
    const entityKey = uniq('customer_entity');

    beforeAll(async () => {
      target = await makeEntity(api.admin, [{ key: 'target_title', label: 'Title', type: 'text' }]);
      const app = await makeApp(api.admin);
      appKey = app.key;
      const res = await api.admin.post(`/api/apps/${app.id}/entities`, {
        key: entityKey,
        name: 'Customer',
        fields: [
          { key: 'cust_text', label: 'Name', type: 'text', unique: true },
          { key: 'cust_textarea', label: 'Notes', type: 'textarea' },
          { key: 'cust_number', label: 'Score', type: 'number', indexed: true, settings: { precision: 2 } },
          { key: 'cust_money', label: 'Revenue', type: 'money', settings: { currency: 'USD' } },
          { key: 'cust_date', label: 'Since', type: 'date' },
          { key: 'cust_datetime', label: 'Last contact', type: 'datetime' },
          { key: 'cust_switch', label: 'Active', type: 'switch' },
          { key: 'cust_radio', label: 'Tier', type: 'radio', settings: { options: OPTIONS } },
          { key: 'cust_checkbox', label: 'Tags', type: 'checkbox', settings: { options: OPTIONS } },
          { key: 'cust_select', label: 'Level', type: 'select', settings: { options: OPTIONS } },
          { key: 'cust_multiselect', label: 'Regions', type: 'multiselect', settings: { options: OPTIONS } },
          { key: 'cust_email', label: 'Email', type: 'email' },
          { key: 'cust_phone', label: 'Phone', type: 'phone' },
          { key: 'cust_url', label: 'Website', type: 'url' },
          { key: 'cust_member', label: 'Owner', type: 'member' },
          { key: 'cust_department', label: 'Team', type: 'department' },
          { key: 'cust_rel_one', label: 'Parent', type: 'relation', settings: { targetEntityId: target.id } },
          { key: 'cust_rel_many', label: 'Links', type: 'relation', settings: { targetEntityId: target.id, multiple: true } },
          {
            key: 'cust_subform',
            label: 'Lines',
            type: 'subform',
            settings: {
              fields: [
                { key: 'line_item', label: 'Item', type: 'text', required: true },
                { key: 'line_qty', label: 'Qty', type: 'number' },
              ],
            },
          },
          { key: 'cust_attachment', label: 'Files', type: 'attachment' },
          { key: 'cust_serial', label: 'No.', type: 'serial', settings: { prefix: 'C-', datePart: '', digits: 4 } },
        ],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      entity = res.body;
    });

    it('answers with every field, normalised, at version 1', () => {
      expect(entity.version).toBe(1);
      expect(entity.key).toBe(entityKey);
      expect(entity.fields.map((f: any) => f.type)).toEqual([
        'text',
        'textarea',
        'number',
        'money',
        'date',
        'datetime',
        'switch',
        'radio',
        'checkbox',
        'select',
        'multiselect',
        'email',
        'phone',
        'url',
        'member',
        'department',
        'relation',
        'relation',
        'subform',
        'attachment',
        'serial',
      ]);
      const byKey = Object.fromEntries(entity.fields.map((f: any) => [f.key, f]));
      expect(byKey.cust_text).toMatchObject({ unique: true, required: false, settings: { maxLength: 255 } });
      expect(byKey.cust_serial.unique).toBe(true);
      expect(byKey.cust_money.settings).toMatchObject({ currency: 'USD', precision: 2 });
      expect(entity.removedFields).toEqual([]);
      expect(entity.displayField).toBe('cust_text');
    });

    it('stores the records in a real table with generated names and real column types', async () => {
      const table = await cat.entityTable(entity.id);
      expect(table).toMatch(/^t_[a-z0-9]{12}$/);
      expect(await cat.tableExists(table)).toBe(true);
      const columns = await cat.columns(table);
      for (const sys of ['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'owner_id', 'deleted_at'])
        expect(columns).toHaveProperty(sys);
      for (const [key, [mysqlType, sqliteType]] of Object.entries(TYPES)) {
        const p = await cat.fieldPhysical(entity.id, key);
        expect(p.column, key).toMatch(GENERATED_COLUMN);
        const type = columns[p.column!];
        if (cat.mysql) expect(type, key).toMatch(mysqlType);
        else expect(type, key).toBe(sqliteType);
      }
      // Multi-valued and composite fields live in their own tables, not in a column.
      const many = await cat.fieldPhysical(entity.id, 'cust_rel_many');
      expect(many.column).toBeUndefined();
      expect(many.table).toMatch(/^l_[a-z0-9]{12}$/);
      expect(Object.keys(await cat.columns(many.table!)).sort()).toEqual(['record_id', 'target_id']);
      const sub = await cat.fieldPhysical(entity.id, 'cust_subform');
      expect(sub.table).toMatch(/^c_[a-z0-9]{12}$/);
      const childCols = await cat.columns(sub.table!);
      expect(Object.keys(childCols).sort()).toEqual(['id', 'parent_id', 'row_order', sub.children!.line_item, sub.children!.line_qty].sort());
      // Unique and indexed fields have real indexes.
      const indexes = await cat.indexes(table);
      const text = await cat.fieldPhysical(entity.id, 'cust_text');
      expect(indexes[text.uniqueIndex!]).toEqual({ unique: true, columns: [text.column] });
      const num = await cat.fieldPhysical(entity.id, 'cust_number');
      expect(indexes[num.index!]).toEqual({ unique: false, columns: [num.column, 'deleted_at'] });
      const rel = await cat.fieldPhysical(entity.id, 'cust_rel_one');
      expect(indexes[rel.index!]?.columns).toEqual([rel.column, 'deleted_at']);
      const serial = await cat.fieldPhysical(entity.id, 'cust_serial');
      expect(indexes[serial.uniqueIndex!]).toEqual({ unique: true, columns: [serial.column] });
    });

    it('never puts a user key into a physical name', async () => {
      const keys = [appKey, entityKey, ...entity.fields.map((f: any) => f.key), 'line_item', 'line_qty'];
      const table = await cat.entityTable(entity.id);
      const tables = [table];
      for (const f of entity.fields) {
        const p = await cat.fieldPhysical(entity.id, f.key);
        if (p.table) tables.push(p.table);
      }
      const names: string[] = [];
      for (const t of tables) {
        expect(t).toMatch(GENERATED_TABLE);
        names.push(t);
        for (const col of Object.keys(await cat.columns(t))) {
          if (!SYSTEM_COLUMNS.includes(col)) expect(col).toMatch(GENERATED_COLUMN);
          names.push(col);
        }
        for (const idx of Object.keys(await cat.indexes(t))) {
          if (!GENERATED_INDEX.test(idx)) expect(idx).toMatch(new RegExp(`^${t}_(owner|deleted|target|parent)$`));
          names.push(idx);
        }
      }
      expect(names.length).toBeGreaterThan(25);
      for (const name of names) for (const key of keys) expect(name.includes(key), `${name} contains ${key}`).toBe(false);
      // And no table in the whole database is named after a key.
      for (const t of await cat.tables()) for (const key of keys) expect(t.includes(key)).toBe(false);
    });

    it('round-trips a record holding a value of every type', async () => {
      const me = (await api.admin.get('/api/auth/me')).body;
      const workspaceId = me.workspace.id;
      const deptId = randomUUID();
      await cat.db.run('INSERT INTO departments (id, workspace_id, name, created_at) VALUES (?, ?, ?, ?)', [
        deptId,
        workspaceId,
        'Sales',
        '2026-01-01 00:00:00.000',
      ]);
      const form = new FormData();
      form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
      const file = await api.admin.request('POST', '/api/files', form);
      expect(file.status, JSON.stringify(file.body)).toBe(201);
      const t1 = (await api.admin.post(`/api/entities/${target.id}/records`, { target_title: 'T1' })).body.id;
      const t2 = (await api.admin.post(`/api/entities/${target.id}/records`, { target_title: 'T2' })).body.id;
      const values = {
        cust_text: 'Acme',
        cust_textarea: 'line 1\nline 2',
        cust_number: 12.34,
        cust_money: 99.5,
        cust_date: '2026-01-31',
        cust_datetime: '2026-01-31T10:20:30.000Z',
        cust_switch: true,
        cust_radio: 'alpha',
        cust_checkbox: ['alpha', 'beta'],
        cust_select: 'beta',
        cust_multiselect: ['beta'],
        cust_email: 'ops@example.com',
        cust_phone: '+1 555 0100',
        cust_url: 'https://example.com/x',
        cust_member: me.user.id,
        cust_department: deptId,
        cust_rel_one: t1,
        cust_rel_many: [t1, t2],
        cust_subform: [{ line_item: 'bolt', line_qty: 3 }],
        cust_attachment: [file.body.id],
      };
      const res = await api.admin.post(`/api/entities/${entity.id}/records`, values);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const { cust_subform, cust_attachment: _attachment, cust_rel_many, ...scalars } = values;
      const got = (await api.admin.get(`/api/entities/${entity.id}/records/${res.body.id}`)).body;
      expect(got).toMatchObject({ ...scalars, cust_serial: 'C-0001' });
      expect(got.cust_rel_many.sort()).toEqual(cust_rel_many.sort());
      expect(got.cust_subform).toEqual([{ id: expect.any(Number), ...cust_subform[0] }]);
      expect(got.cust_attachment).toEqual([{ id: file.body.id, name: 'hello.txt', size: 5, mime: expect.stringMatching(/^text\/plain/) }]);
      // The values are in the generated columns themselves (no EAV).
      const table = await cat.entityTable(entity.id);
      const text = await cat.fieldPhysical(entity.id, 'cust_text');
      const rows = await cat.db.query<{ v: string }>(`SELECT ${text.column} AS v FROM ${table} WHERE id = ?`, [res.body.id]);
      expect(rows).toEqual([{ v: 'Acme' }]);
      const links = await cat.db.query(`SELECT target_id FROM ${(await cat.fieldPhysical(entity.id, 'cust_rel_many')).table} WHERE record_id = ?`, [
        res.body.id,
      ]);
      expect(links).toHaveLength(2);
    });
  });

  describe('keys', () => {
    const INVALID = ['Upper', '1abc', 'has space', 'a-b', 'a'.repeat(49), 'x; drop table t', ' padded'];
    const RESERVED = ['select', 'id', 'ORDER', '__proto__', 'constructor'];
    let app: any;
    let entity: any;
    beforeAll(async () => {
      app = await makeApp(api.admin);
      entity = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
    });

    it.each(INVALID)('refuses the invalid key %j for apps, entities and fields with INVALID_KEY', async (key) => {
      const a = expectProblem(await api.admin.post('/api/apps', { key, name: 'X' }), 400, 'INVALID_KEY');
      expect(a.key).toBe(key);
      const e = expectProblem(await api.admin.post(`/api/apps/${app.id}/entities`, { key, name: 'X' }), 400, 'INVALID_KEY');
      expect(e.key).toBe(key);
      const f = expectProblem(await api.admin.post(`/api/entities/${entity.id}/fields`, { key, label: 'X', type: 'text' }), 400, 'INVALID_KEY');
      expect(f.key).toBe(key);
      expect(f.errors).toContainEqual(expect.objectContaining({ path: '/key', code: 'invalid_key' }));
      const nested = expectProblem(
        await api.admin.post(`/api/apps/${app.id}/entities`, {
          key: 'ok_entity',
          name: 'X',
          fields: [
            { key: 'fine', label: 'F', type: 'text' },
            { key, label: 'X', type: 'text' },
          ],
        }),
        400,
        'INVALID_KEY',
      );
      expect(nested.errors).toContainEqual(expect.objectContaining({ path: '/fields/1/key' }));
      expect(nested.detail).toContain(key);
    });

    it.each(RESERVED)('refuses the reserved key %j with RESERVED_KEY', async (key) => {
      const a = expectProblem(await api.admin.post('/api/apps', { key, name: 'X' }), 400, 'RESERVED_KEY');
      expect(a.key).toBe(key);
      const e = expectProblem(await api.admin.post(`/api/apps/${app.id}/entities`, { key, name: 'X' }), 400, 'RESERVED_KEY');
      expect(e.key).toBe(key);
      const f = expectProblem(await api.admin.post(`/api/entities/${entity.id}/fields`, { key, label: 'X', type: 'text' }), 400, 'RESERVED_KEY');
      expect(f.key).toBe(key);
      expect(f.errors).toContainEqual(expect.objectContaining({ path: '/key', code: 'reserved_key' }));
    });

    it('left nothing behind after the refusals', async () => {
      const apps = (await api.admin.get('/api/apps')).body.items.map((x: any) => x.key);
      for (const k of [...INVALID, ...RESERVED]) expect(apps).not.toContain(k);
      expect((await api.admin.get(`/api/apps/${app.id}/entities`)).body.items).toEqual([]);
      expect((await api.admin.get(`/api/entities/${entity.id}`)).body.fields.map((f: any) => f.key)).toEqual(['name']);
    });

    it('refuses duplicate app, entity and field keys with 409 DUPLICATE_KEY naming the key', async () => {
      const dupApp = expectProblem(await api.admin.post('/api/apps', { key: app.key, name: 'Again' }), 409, 'DUPLICATE_KEY');
      expect(dupApp.key).toBe(app.key);

      expect((await api.admin.post(`/api/apps/${app.id}/entities`, { key: 'deals', name: 'Deals' })).status).toBe(201);
      const dupEntity = expectProblem(await api.admin.post(`/api/apps/${app.id}/entities`, { key: 'deals', name: 'Deals 2' }), 409, 'DUPLICATE_KEY');
      expect(dupEntity.key).toBe('deals');
      // The same entity key in another app is fine.
      const other = await makeApp(api.admin);
      expect((await api.admin.post(`/api/apps/${other.id}/entities`, { key: 'deals', name: 'Deals' })).status).toBe(201);

      const dupField = expectProblem(
        await api.admin.post(`/api/entities/${entity.id}/fields`, { key: 'name', label: 'Name 2', type: 'number' }),
        409,
        'DUPLICATE_KEY',
      );
      expect(dupField.key).toBe('name');
      const dupInCreate = expectProblem(
        await api.admin.post(`/api/apps/${app.id}/entities`, {
          key: 'people',
          name: 'People',
          fields: [
            { key: 'email_addr', label: 'A', type: 'email' },
            { key: 'email_addr', label: 'B', type: 'text' },
          ],
        }),
        409,
        'DUPLICATE_KEY',
      );
      expect(dupInCreate.key).toBe('email_addr');
      expect((await api.admin.get(`/api/apps/${app.id}/entities`)).body.items.map((e: any) => e.key)).toEqual(['deals']);
    });
  });

  it('concurrent creates of the same key: exactly one wins, the others get DUPLICATE_KEY', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => api.admin.post('/api/apps', { key: 'race_app', name: 'Race' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body).toMatchObject({ code: 'DUPLICATE_KEY', key: 'race_app' });
    const app = results.find((r) => r.status === 201)!.body;
    const entities = await Promise.all(
      Array.from({ length: 4 }, () =>
        api.admin.post(`/api/apps/${app.id}/entities`, { key: 'race_entity', name: 'R', fields: [{ key: 'name', label: 'N', type: 'text' }] }),
      ),
    );
    expect(entities.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const entity = entities.find((r) => r.status === 201)!.body;
    const fields = await Promise.all(
      ['text', 'number', 'date'].map((type) => api.admin.post(`/api/entities/${entity.id}/fields`, { key: 'dup_field', label: 'D', type })),
    );
    expect(fields.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const final = (await api.admin.get(`/api/entities/${entity.id}`)).body;
    expect(final.fields.map((f: any) => f.key)).toEqual(['name', 'dup_field']);
    expect(final.version).toBe(2);
    expect((await api.admin.get(`/api/apps/${app.id}/entities`)).body.items).toHaveLength(1);
  });

  describe('field definitions', () => {
    let entity: any;
    beforeAll(async () => {
      entity = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
    });
    const addField = (body: unknown) => api.admin.post(`/api/entities/${entity.id}/fields`, body);

    it('refuses an unknown field type', async () => {
      const p = expectProblem(await addField({ key: 'thing', label: 'Thing', type: 'hologram' }), 400, 'UNKNOWN_FIELD_TYPE');
      expect(p.errors).toContainEqual(expect.objectContaining({ path: '/type' }));
    });

    it('refuses bad settings with the path of each problem', async () => {
      const dupOptions = expectProblem(
        await addField({
          key: 'level',
          label: 'Level',
          type: 'select',
          settings: {
            options: [
              { value: 'a', label: 'A' },
              { value: 'a', label: 'A again' },
            ],
          },
        }),
        400,
        'INVALID_SETTINGS',
      );
      expect(dupOptions.errors).toContainEqual(expect.objectContaining({ path: '/settings/options/1/value', code: 'duplicate_value' }));

      const precision = expectProblem(await addField({ key: 'score', label: 'Score', type: 'number', settings: { precision: 20 } }), 400, 'INVALID_SETTINGS');
      expect(precision.errors).toContainEqual(expect.objectContaining({ path: '/settings/precision' }));

      const unknown = expectProblem(await addField({ key: 'title', label: 'Title', type: 'text', settings: { colour: 'red' } }), 400, 'INVALID_SETTINGS');
      expect(unknown.errors).toContainEqual(expect.objectContaining({ path: '/settings/colour' }));

      const nested = expectProblem(
        await api.admin.post(`/api/apps/${entity.appId}/entities`, {
          key: 'nested_bad',
          name: 'N',
          fields: [
            { key: 'ok', label: 'Ok', type: 'text' },
            { key: 'score', label: 'S', type: 'number', settings: { precision: 20 } },
          ],
        }),
        400,
        'INVALID_SETTINGS',
      );
      expect(nested.errors).toContainEqual(expect.objectContaining({ path: '/fields/1/settings/precision' }));
    });

    it('refuses a relation to an entity that does not exist', async () => {
      const missing = randomUUID();
      const p = expectProblem(
        await addField({ key: 'parent', label: 'Parent', type: 'relation', settings: { targetEntityId: missing } }),
        400,
        'INVALID_SETTINGS',
      );
      expect(p.errors).toContainEqual(expect.objectContaining({ path: '/settings/targetEntityId', code: 'not_found' }));
      expect(p.detail).toContain(missing);
      // A relation to a deleted entity is refused the same way.
      const gone = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
      expect((await api.admin.delete(`/api/entities/${gone.id}`)).status).toBe(204);
      expectProblem(await addField({ key: 'parent', label: 'Parent', type: 'relation', settings: { targetEntityId: gone.id } }), 400, 'INVALID_SETTINGS');
      const after = (await api.admin.get(`/api/entities/${entity.id}`)).body;
      expect(after.fields.map((f: any) => f.key)).toEqual(['name']);
      expect(after.version).toBe(entity.version);
    });
  });

  describe('field lifecycle', () => {
    let entity: any;
    let table: string;
    let ids: number[];
    const rec = (id: number) => api.admin.get(`/api/entities/${entity.id}/records/${id}`);

    beforeAll(async () => {
      entity = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
      table = await cat.entityTable(entity.id);
      ids = [];
      for (const name of ['Ann', 'Bob']) ids.push((await api.admin.post(`/api/entities/${entity.id}/records`, { name })).body.id);
    });

    it('adds a field: the version moves, the schema shows it, existing records read null', async () => {
      const before = (await api.admin.get(`/api/entities/${entity.id}`)).body.version;
      const res = await api.admin.post(`/api/entities/${entity.id}/fields`, { key: 'city', label: 'City', type: 'text', indexed: true });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.version).toBe(before + 1);
      expect(res.body.fields.map((f: any) => f.key)).toEqual(['name', 'city']);
      const schema = (await api.admin.get(`/api/entities/${entity.id}/schema`)).body;
      expect(schema.properties).toHaveProperty('city');
      expect((await rec(ids[0])).body).toMatchObject({ name: 'Ann', city: null });
      const p = await cat.fieldPhysical(entity.id, 'city');
      expect(await cat.columns(table)).toHaveProperty(p.column!);
      // The new field is writable straight away.
      const upd = await api.admin.patch(`/api/entities/${entity.id}/records/${ids[0]}`, { version: 1, city: 'Oslo' });
      expect(upd.status, JSON.stringify(upd.body)).toBe(200);
      expect(upd.body.city).toBe('Oslo');
    });

    it('removes a field: hidden from the entity and records, the data kept in its column', async () => {
      const before = (await api.admin.get(`/api/entities/${entity.id}`)).body.version;
      const res = await api.admin.delete(`/api/entities/${entity.id}/fields/city`);
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(before + 1);
      expect(res.body.fields.map((f: any) => f.key)).toEqual(['name']);
      expect(res.body.removedFields.map((f: any) => f.key)).toEqual(['city']);
      expect((await api.admin.get(`/api/entities/${entity.id}/schema`)).body.properties).not.toHaveProperty('city');
      const r = (await rec(ids[0])).body;
      expect(r).not.toHaveProperty('city');
      const list = (await api.admin.get(`/api/entities/${entity.id}/records`)).body.items;
      for (const item of list) expect(item).not.toHaveProperty('city');
      // Writing or filtering on it is refused like any unknown field.
      expectProblem(await api.admin.post(`/api/entities/${entity.id}/records`, { name: 'Cy', city: 'Rome' }), 400, 'VALIDATION_FAILED');
      const filtered = await api.admin.get(
        `/api/entities/${entity.id}/records?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'city' }, 'Oslo'] }))}`,
      );
      expect(filtered.status).toBe(400);
      // The column and its data are still there.
      const p = await cat.fieldPhysical(entity.id, 'city');
      expect(await cat.db.query(`SELECT ${p.column} AS v FROM ${table} WHERE id = ?`, [ids[0]])).toEqual([{ v: 'Oslo' }]);
      // Its key stays taken while it can be restored.
      const dup = expectProblem(await api.admin.post(`/api/entities/${entity.id}/fields`, { key: 'city', label: 'City', type: 'text' }), 409, 'DUPLICATE_KEY');
      expect(dup.key).toBe('city');
    });

    it('restores a removed field with its data', async () => {
      const before = (await api.admin.get(`/api/entities/${entity.id}`)).body.version;
      const res = await api.admin.post(`/api/entities/${entity.id}/fields/city/restore`);
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(before + 1);
      expect(res.body.fields.map((f: any) => f.key)).toEqual(['name', 'city']);
      expect(res.body.removedFields).toEqual([]);
      expect((await rec(ids[0])).body.city).toBe('Oslo');
      expect((await rec(ids[1])).body.city).toBeNull();
      expectProblem(await api.admin.post(`/api/entities/${entity.id}/fields/city/restore`), 409, 'FIELD_NOT_REMOVED');
    });

    it('refuses to purge an active field', async () => {
      const p = expectProblem(await api.admin.post(`/api/entities/${entity.id}/fields/city/purge`), 409, 'FIELD_NOT_REMOVED');
      expect(p.key).toBe('city');
      const col = (await cat.fieldPhysical(entity.id, 'city')).column!;
      expect(await cat.columns(table)).toHaveProperty(col);
      expectProblem(await api.admin.post(`/api/entities/${entity.id}/fields/nope/purge`), 404, 'FIELD_NOT_FOUND');
    });

    it('purges a removed field: the column and its index leave the catalog and the key is free again', async () => {
      const p = await cat.fieldPhysical(entity.id, 'city');
      expect(Object.keys(await cat.indexes(table))).toContain(p.index);
      expect((await api.admin.delete(`/api/entities/${entity.id}/fields/city`)).status).toBe(200);
      const before = (await api.admin.get(`/api/entities/${entity.id}`)).body.version;
      const res = await api.admin.post(`/api/entities/${entity.id}/fields/city/purge`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.version).toBe(before + 1);
      expect(res.body.removedFields).toEqual([]);
      expect(await cat.columns(table)).not.toHaveProperty(p.column!);
      expect(Object.keys(await cat.indexes(table))).not.toContain(p.index);
      expectProblem(await api.admin.post(`/api/entities/${entity.id}/fields/city/restore`), 404, 'FIELD_NOT_FOUND');
      // The key can be used again, by a field of another type, with none of the old data.
      const again = await api.admin.post(`/api/entities/${entity.id}/fields`, { key: 'city', label: 'City code', type: 'number' });
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect((await cat.fieldPhysical(entity.id, 'city')).column).not.toBe(p.column);
      expect((await rec(ids[0])).body).toMatchObject({ name: 'Ann', city: null });
      const w = await api.admin.patch(`/api/entities/${entity.id}/records/${ids[0]}`, { version: (await rec(ids[0])).body.version, city: 47 });
      expect(w.body.city).toBe(47);
      expect((await cat.plans(entity.id)).map((x) => x.status)).not.toContain('running');
    });

    it('purges link and child tables of relation-many and subform fields', async () => {
      const target = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
      await api.admin.post(`/api/entities/${entity.id}/fields`, {
        key: 'links',
        label: 'Links',
        type: 'relation',
        settings: { targetEntityId: target.id, multiple: true },
      });
      await api.admin.post(`/api/entities/${entity.id}/fields`, {
        key: 'lines',
        label: 'Lines',
        type: 'subform',
        settings: { fields: [{ key: 'item', label: 'Item', type: 'text' }] },
      });
      const links = (await cat.fieldPhysical(entity.id, 'links')).table!;
      const lines = (await cat.fieldPhysical(entity.id, 'lines')).table!;
      expect(await cat.tableExists(links)).toBe(true);
      expect(await cat.tableExists(lines)).toBe(true);
      for (const k of ['links', 'lines']) {
        expect((await api.admin.delete(`/api/entities/${entity.id}/fields/${k}`)).status).toBe(200);
        expect((await api.admin.post(`/api/entities/${entity.id}/fields/${k}/purge`)).status).toBe(200);
      }
      expect(await cat.tableExists(links)).toBe(false);
      expect(await cat.tableExists(lines)).toBe(false);
    });
  });

  describe('entities', () => {
    it('bumps the metadata version on every change', async () => {
      const e = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
      const version = async () => (await api.admin.get(`/api/entities/${e.id}`)).body.version;
      const steps: [string, () => Promise<unknown>][] = [
        ['add field', () => api.admin.post(`/api/entities/${e.id}/fields`, { key: 'amount', label: 'Amount', type: 'number' })],
        ['relabel field', () => api.admin.patch(`/api/entities/${e.id}/fields/amount`, { label: 'Total' })],
        ['make required', () => api.admin.patch(`/api/entities/${e.id}/fields/amount`, { required: true })],
        ['index', () => api.admin.patch(`/api/entities/${e.id}/fields/amount`, { indexed: true })],
        ['settings', () => api.admin.patch(`/api/entities/${e.id}/fields/amount`, { settings: { precision: 2 } })],
        ['rename entity', () => api.admin.patch(`/api/entities/${e.id}`, { name: 'Orders' })],
        ['display field', () => api.admin.patch(`/api/entities/${e.id}`, { displayField: 'amount' })],
        ['remove field', () => api.admin.delete(`/api/entities/${e.id}/fields/amount`)],
        ['restore field', () => api.admin.post(`/api/entities/${e.id}/fields/amount/restore`)],
      ];
      let v = await version();
      expect(v).toBe(1);
      for (const [what, run] of steps) {
        const res = (await run()) as { status: number; body: any };
        expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
        const next = await version();
        expect(next, what).toBe(v + 1);
        expect(res.body.version, what).toBe(next);
        v = next;
      }
      const entity = (await api.admin.get(`/api/entities/${e.id}`)).body;
      expect(entity.fields.find((f: any) => f.key === 'amount')).toMatchObject({ label: 'Total', required: true, indexed: true, settings: { precision: 2 } });
      expect((await api.admin.get(`/api/entities/${e.id}/schema`)).body.required).toEqual(['amount']);
    });

    it('renames and changes the display field; GET shows the change at once', async () => {
      const e = await makeEntity(api.admin, [
        { key: 'name', label: 'Name', type: 'text' },
        { key: 'code', label: 'Code', type: 'text' },
      ]);
      expect(e.displayField).toBe('name');
      await api.admin.get(`/api/entities/${e.id}`); // warm the compiled-entity cache
      const res = await api.admin.patch(`/api/entities/${e.id}`, { name: 'Accounts', displayField: 'code' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Accounts', displayField: 'code' });
      const renamed = await api.admin.patch(`/api/entities/${e.id}`, { name: 'Clients' });
      expect(renamed.body.name).toBe('Clients');
      expect((await api.admin.get(`/api/entities/${e.id}`)).body).toMatchObject({ name: 'Clients', displayField: 'code' });
      const list = (await api.admin.get(`/api/apps/${e.appId}/entities`)).body.items;
      expect(list.map((x: any) => x.name)).toEqual(['Clients']);
      const bad = expectProblem(await api.admin.patch(`/api/entities/${e.id}`, { displayField: 'nope' }), 400, 'VALIDATION_FAILED');
      expect(bad.errors).toContainEqual(expect.objectContaining({ path: '/displayField' }));
      expectProblem(await api.admin.patch(`/api/entities/${e.id}`, { name: '' }), 400, 'VALIDATION_FAILED');
      expectProblem(await api.admin.patch(`/api/entities/${e.id}`, { key: 'other' }), 400, 'VALIDATION_FAILED');
      // Removing the display field clears it.
      expect((await api.admin.delete(`/api/entities/${e.id}/fields/code`)).body.displayField).toBeNull();
    });

    it('deletes an entity: 404 afterwards for it and its records', async () => {
      const e = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
      const r = await api.admin.post(`/api/entities/${e.id}/records`, { name: 'Kept?' });
      expect(r.status).toBe(201);
      expect((await api.admin.get(`/api/entities/${e.id}`)).status).toBe(200);
      expect((await api.admin.delete(`/api/entities/${e.id}`)).status).toBe(204);
      expectProblem(await api.admin.get(`/api/entities/${e.id}`), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await api.admin.get(`/api/entities/${e.id}/schema`), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await api.admin.get(`/api/entities/${e.id}/records`), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await api.admin.get(`/api/entities/${e.id}/records/${r.body.id}`), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await api.admin.post(`/api/entities/${e.id}/records`, { name: 'x' }), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await api.admin.post(`/api/entities/${e.id}/fields`, { key: 'more', label: 'More', type: 'text' }), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await api.admin.delete(`/api/entities/${e.id}`), 404, 'ENTITY_NOT_FOUND');
      expect((await api.admin.get(`/api/apps/${e.appId}/entities`)).body.items).toEqual([]);
      expectProblem(await api.admin.get(`/api/entities/${randomUUID()}`), 404, 'ENTITY_NOT_FOUND');
    });
  });
});
