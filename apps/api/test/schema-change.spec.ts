import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from './support/catalog';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

const OPTIONS = [
  { value: 'gold', label: 'Gold' },
  { value: 'silver', label: 'Silver' },
  { value: 'bronze', label: 'Bronze' },
];

async function createRecords(c: Client, entityId: string, rows: Record<string, unknown>[]): Promise<number[]> {
  const ids: number[] = [];
  for (const row of rows) {
    const res = await c.post(`/api/entities/${entityId}/records`, row);
    if (res.status !== 201) throw new Error(`record: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push(res.body.id);
  }
  return ids;
}

async function listAll(c: Client, entityId: string): Promise<any[]> {
  const res = await c.get(`/api/entities/${entityId}/records?limit=200&sort=id`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

/** Everything a schema change could touch: catalog, raw rows, metadata, what the API reads. */
async function snapshot(api: TestApi, entityId: string) {
  const cat = new Catalog(api);
  const table = await cat.entityTable(entityId);
  const entity = (await api.admin.get(`/api/entities/${entityId}`)).body;
  return {
    columns: await cat.columns(table),
    indexes: await cat.indexes(table),
    rows: await cat.rows(table),
    entity,
    records: await listAll(api.admin, entityId),
  };
}

const fieldOf = (entity: any, key: string) => entity.fields.find((f: any) => f.key === key);

describe('schema changes', () => {
  let api: TestApi;
  let cat: Catalog;
  beforeAll(async () => {
    api = await startApi();
    cat = new Catalog(api);
  });
  afterAll(async () => api?.close());

  describe('type changes the data fits', () => {
    it('text → number converts every value, reads are numbers, the version moves', async () => {
      const e = await makeEntity(api.admin, [
        { key: 'name', label: 'Name', type: 'text' },
        { key: 'qty', label: 'Qty', type: 'text', indexed: true },
      ]);
      const ids = await createRecords(api.admin, e.id, [
        { name: 'a', qty: '12' },
        { name: 'b', qty: ' 3.5' },
        { name: 'c', qty: null },
        { name: 'd', qty: '-7' },
      ]);
      const table = await cat.entityTable(e.id);
      const oldCol = (await cat.fieldPhysical(e.id, 'qty')).column!;
      const res = await api.admin.patch(`/api/entities/${e.id}/fields/qty`, { type: 'number', settings: { precision: 1 } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.version).toBe(e.version + 1);
      expect(fieldOf(res.body, 'qty')).toMatchObject({ type: 'number', indexed: true, settings: { precision: 1 } });
      const records = await listAll(api.admin, e.id);
      expect(records.map((r) => [r.id, r.qty])).toEqual([
        [ids[0], 12],
        [ids[1], 3.5],
        [ids[2], null],
        [ids[3], -7],
      ]);
      const schema = (await api.admin.get(`/api/entities/${e.id}/schema`)).body;
      expect(schema.properties.qty.type).toContain('number');
      // The value now lives in a new decimal column with the field's index; the old one is retired.
      const p = await cat.fieldPhysical(e.id, 'qty');
      expect(p.column).not.toBe(oldCol);
      expect(p.retired).toEqual([oldCol]);
      const cols = await cat.columns(table);
      expect(cols[p.column!]).toMatch(cat.mysql ? /^decimal/ : /^numeric$/);
      expect((await cat.indexes(table))[p.index!]?.columns).toEqual([p.column, 'deleted_at']);
      // Writes follow the new type: numbers in, text refused; filters compare numerically.
      expectProblem(await api.admin.post(`/api/entities/${e.id}/records`, { qty: 'lots' }), 400, 'VALIDATION_FAILED');
      expect((await api.admin.post(`/api/entities/${e.id}/records`, { name: 'e', qty: 100 })).body.qty).toBe(100);
      const big = await api.admin.get(`/api/entities/${e.id}/records?filter=${encodeURIComponent(JSON.stringify({ '>': [{ var: 'qty' }, 5] }))}&sort=qty`);
      expect(big.body.items.map((r: any) => r.qty)).toEqual([12, 100]);
      const plans = await cat.plans(e.id);
      expect(plans.filter((x) => x.kind === 'change_field').map((x) => x.status)).toEqual(['done']);
    });

    it('number → text keeps every value as its text', async () => {
      const e = await makeEntity(api.admin, [{ key: 'code', label: 'Code', type: 'number', settings: { precision: 2 } }]);
      const ids = await createRecords(api.admin, e.id, [{ code: 12 }, { code: 3.25 }, { code: null }, { code: -0.5 }]);
      const res = await api.admin.patch(`/api/entities/${e.id}/fields/code`, { type: 'text' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.version).toBe(e.version + 1);
      expect(fieldOf(res.body, 'code').type).toBe('text');
      expect((await listAll(api.admin, e.id)).map((r) => [r.id, r.code])).toEqual([
        [ids[0], '12'],
        [ids[1], '3.25'],
        [ids[2], null],
        [ids[3], '-0.5'],
      ]);
      expect((await api.admin.post(`/api/entities/${e.id}/records`, { code: 'A-1' })).status).toBe(201);
    });

    it('select → radio keeps the values and the column', async () => {
      const e = await makeEntity(api.admin, [{ key: 'tier', label: 'Tier', type: 'select', settings: { options: OPTIONS } }]);
      await createRecords(api.admin, e.id, [{ tier: 'gold' }, { tier: 'bronze' }, { tier: null }]);
      const before = await cat.fieldPhysical(e.id, 'tier');
      const res = await api.admin.patch(`/api/entities/${e.id}/fields/tier`, { type: 'radio', settings: { options: OPTIONS } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.version).toBe(e.version + 1);
      expect(fieldOf(res.body, 'tier')).toMatchObject({ type: 'radio', settings: { options: OPTIONS } });
      expect((await listAll(api.admin, e.id)).map((r) => r.tier)).toEqual(['gold', 'bronze', null]);
      expect((await cat.fieldPhysical(e.id, 'tier')).column).toBe(before.column);
      expectProblem(await api.admin.post(`/api/entities/${e.id}/records`, { tier: 'tin' }), 400, 'VALIDATION_FAILED');
    });

    it('date → datetime turns each date into midnight UTC', async () => {
      const e = await makeEntity(api.admin, [{ key: 'since', label: 'Since', type: 'date' }]);
      await createRecords(api.admin, e.id, [{ since: '2026-01-31' }, { since: null }, { since: '2024-02-29' }]);
      const res = await api.admin.patch(`/api/entities/${e.id}/fields/since`, { type: 'datetime' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.version).toBe(e.version + 1);
      expect(fieldOf(res.body, 'since').type).toBe('datetime');
      expect((await listAll(api.admin, e.id)).map((r) => r.since)).toEqual(['2026-01-31T00:00:00.000Z', null, '2024-02-29T00:00:00.000Z']);
      const table = await cat.entityTable(e.id);
      expect((await cat.columns(table))[(await cat.fieldPhysical(e.id, 'since')).column!]).toMatch(cat.mysql ? /^datetime/ : /^text$/);
    });
  });

  describe('wide entities', () => {
    it('90 single-line text fields fit (MySQL moves the ones past its row budget to TEXT); length and unique still hold', async () => {
      const fields = Array.from({ length: 90 }, (_, i) => ({ key: `t${i}`, label: `T${i}`, type: 'text', unique: i === 89 }));
      const e = await makeEntity(api.admin, fields);
      const long = 'x'.repeat(255);
      const ok = await api.admin.post(`/api/entities/${e.id}/records`, { t0: 'a', t88: long, t89: 'one' });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect((await api.admin.get(`/api/entities/${e.id}/records/${ok.body.id}`)).body).toMatchObject({ t88: long, t89: 'one' });
      expectProblem(await api.admin.post(`/api/entities/${e.id}/records`, { t88: long + 'y' }), 400, 'VALIDATION_FAILED');
      expectProblem(await api.admin.post(`/api/entities/${e.id}/records`, { t89: 'ONE' }), 409, 'UNIQUE_VIOLATION');
      // A field added to the wide table later works too, and so does a search on a TEXT one.
      const added = await api.admin.post(`/api/entities/${e.id}/fields`, { key: 'late', label: 'Late', type: 'text', unique: true });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      expect((await api.admin.post(`/api/entities/${e.id}/records`, { late: 'z', t89: 'two' })).status).toBe(201);
      expectProblem(await api.admin.post(`/api/entities/${e.id}/records`, { late: 'Z' }), 409, 'UNIQUE_VIOLATION');
      const table = await cat.entityTable(e.id);
      const types = Object.values(await cat.columns(table));
      if (cat.mysql) {
        expect(types.filter((t) => t === 'text').length).toBeGreaterThan(30);
        expect(types.filter((t) => t.startsWith('varchar(255)')).length).toBeGreaterThan(30);
      }
      const found = await api.admin.post(`/api/entities/${e.id}/records/query`, { filter: { '==': [{ var: 't89' }, 'two'] }, sort: 't89' });
      expect(found.status, JSON.stringify(found.body)).toBe(200);
      expect(found.body.items.map((r: any) => r.late)).toEqual(['z']);
    });
  });

  describe('changes the data does not fit are refused and change nothing', () => {
    it('text → number with non-numeric values: 422 TYPE_CHANGE_DATA_MISMATCH with the offending ids', async () => {
      const e = await makeEntity(api.admin, [
        { key: 'name', label: 'Name', type: 'text' },
        { key: 'qty', label: 'Qty', type: 'text', unique: true },
      ]);
      const ids = await createRecords(api.admin, e.id, [{ qty: '1' }, { qty: 'abc' }, { qty: '2' }, { qty: 'x9' }, { qty: null }, { qty: '3 pcs' }]);
      const before = await snapshot(api, e.id);
      const p = expectProblem(
        await api.admin.patch(`/api/entities/${e.id}/fields/qty`, { type: 'number', label: 'Quantity' }),
        422,
        'TYPE_CHANGE_DATA_MISMATCH',
      );
      expect(p.rowCount).toBe(3);
      expect(p.sampleIds).toEqual([ids[1], ids[3], ids[5]]);
      expect(p.field).toBe('qty');
      expect(await snapshot(api, e.id)).toEqual(before);
      expect((await cat.plans(e.id)).filter((x) => x.kind === 'change_field')).toEqual([]);
    });

    it('a type change with no stored conversion: 422 TYPE_CHANGE_UNSUPPORTED', async () => {
      const target = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
      const [t] = await createRecords(api.admin, target.id, [{ name: 'T' }]);
      const e = await makeEntity(api.admin, [
        { key: 'parent', label: 'Parent', type: 'relation', settings: { targetEntityId: target.id } },
        { key: 'lines', label: 'Lines', type: 'subform', settings: { fields: [{ key: 'item', label: 'Item', type: 'text' }] } },
      ]);
      await createRecords(api.admin, e.id, [{ parent: t, lines: [{ item: 'x' }] }]);
      const before = await snapshot(api, e.id);
      const a = expectProblem(await api.admin.patch(`/api/entities/${e.id}/fields/parent`, { type: 'text' }), 422, 'TYPE_CHANGE_UNSUPPORTED');
      expect(a).toMatchObject({ field: 'parent', from: 'relation', to: 'text' });
      expectProblem(await api.admin.patch(`/api/entities/${e.id}/fields/lines`, { type: 'text' }), 422, 'TYPE_CHANGE_UNSUPPORTED');
      // Single to multiple relation changes the storage (column → link table).
      expectProblem(await api.admin.patch(`/api/entities/${e.id}/fields/parent`, { settings: { multiple: true } }), 422, 'TYPE_CHANGE_UNSUPPORTED');
      expect(await snapshot(api, e.id)).toEqual(before);
    });

    it('a new required field on an entity with records: 409 REQUIRED_HAS_EMPTY, no column added; allowed when empty', async () => {
      const e = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
      const empty = await api.admin.post(`/api/entities/${e.id}/fields`, { key: 'code', label: 'Code', type: 'text', required: true });
      expect(empty.status, JSON.stringify(empty.body)).toBe(201);
      const ids = await createRecords(api.admin, e.id, [
        { name: 'a', code: 'x' },
        { name: 'b', code: 'y' },
      ]);
      const before = await snapshot(api, e.id);
      const p = expectProblem(
        await api.admin.post(`/api/entities/${e.id}/fields`, { key: 'region', label: 'Region', type: 'text', required: true }),
        409,
        'REQUIRED_HAS_EMPTY',
      );
      expect(p).toMatchObject({ field: 'region', rowCount: 2, sampleIds: ids });
      expect(await snapshot(api, e.id)).toEqual(before);
      expect((await api.admin.post(`/api/entities/${e.id}/fields`, { key: 'region', label: 'Region', type: 'text' })).status).toBe(201);
    });

    it('required while records are empty: 409 REQUIRED_HAS_EMPTY with the empty ids', async () => {
      const e = await makeEntity(api.admin, [
        { key: 'name', label: 'Name', type: 'text' },
        { key: 'tags', label: 'Tags', type: 'multiselect', settings: { options: OPTIONS } },
      ]);
      const ids = await createRecords(api.admin, e.id, [
        { name: 'a', tags: ['gold'] },
        { name: null, tags: [] },
        { name: '', tags: ['silver'] },
        { name: 'd' },
      ]);
      const before = await snapshot(api, e.id);
      const p = expectProblem(await api.admin.patch(`/api/entities/${e.id}/fields/name`, { required: true }), 409, 'REQUIRED_HAS_EMPTY');
      expect(p).toMatchObject({ field: 'name', rowCount: 2, sampleIds: [ids[1], ids[2]] });
      const t = expectProblem(await api.admin.patch(`/api/entities/${e.id}/fields/tags`, { required: true }), 409, 'REQUIRED_HAS_EMPTY');
      expect(t).toMatchObject({ field: 'tags', rowCount: 2, sampleIds: [ids[1], ids[3]] });
      expect(await snapshot(api, e.id)).toEqual(before);
      // Once filled in, the same change goes through.
      for (const id of [ids[1], ids[2]]) {
        const r = await api.admin.get(`/api/entities/${e.id}/records/${id}`);
        expect((await api.admin.patch(`/api/entities/${e.id}/records/${id}`, { version: r.body.version, name: 'filled' })).status).toBe(200);
      }
      const ok = await api.admin.patch(`/api/entities/${e.id}/fields/name`, { required: true });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(fieldOf(ok.body, 'name').required).toBe(true);
      expectProblem(await api.admin.post(`/api/entities/${e.id}/records`, { tags: [] }), 400, 'VALIDATION_FAILED');
    });

    it('unique while values repeat: 409 UNIQUE_HAS_DUPLICATES with the ids; no index is made', async () => {
      const e = await makeEntity(api.admin, [{ key: 'email', label: 'Email', type: 'email' }]);
      const ids = await createRecords(api.admin, e.id, [
        { email: 'a@x.io' },
        { email: 'b@x.io' },
        { email: 'a@x.io' },
        { email: null },
        { email: null },
        { email: 'b@x.io' },
        { email: 'c@x.io' },
      ]);
      const before = await snapshot(api, e.id);
      const p = expectProblem(await api.admin.patch(`/api/entities/${e.id}/fields/email`, { unique: true }), 409, 'UNIQUE_HAS_DUPLICATES');
      expect(p).toMatchObject({ field: 'email', rowCount: 4, sampleIds: [ids[0], ids[1], ids[2], ids[5]] });
      expect(await snapshot(api, e.id)).toEqual(before);
      // Resolve the clash and the unique index appears and is enforced.
      for (const id of [ids[2], ids[5]]) expect((await api.admin.delete(`/api/entities/${e.id}/records/${id}`)).status).toBe(204);
      for (const id of [ids[2], ids[5]]) expect((await api.admin.delete(`/api/entities/${e.id}/records/${id}/purge`)).status).toBe(204);
      const ok = await api.admin.patch(`/api/entities/${e.id}/fields/email`, { unique: true });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      const u = (await cat.fieldPhysical(e.id, 'email')).uniqueIndex!;
      expect((await cat.indexes(await cat.entityTable(e.id)))[u]?.unique).toBe(true);
      expectProblem(await api.admin.post(`/api/entities/${e.id}/records`, { email: 'a@x.io' }), 409, 'UNIQUE_VIOLATION');
    });

    it('removing a select option still in use: 422 with the count and ids', async () => {
      const e = await makeEntity(api.admin, [{ key: 'tier', label: 'Tier', type: 'select', settings: { options: OPTIONS } }]);
      const ids = await createRecords(api.admin, e.id, [{ tier: 'gold' }, { tier: 'bronze' }, { tier: 'silver' }, { tier: 'bronze' }]);
      const before = await snapshot(api, e.id);
      const p = expectProblem(
        await api.admin.patch(`/api/entities/${e.id}/fields/tier`, { settings: { options: OPTIONS.slice(0, 2) } }),
        422,
        'TYPE_CHANGE_DATA_MISMATCH',
      );
      expect(p).toMatchObject({ field: 'tier', rowCount: 2, sampleIds: [ids[1], ids[3]] });
      expect(await snapshot(api, e.id)).toEqual(before);
      // Adding an option or relabelling one is fine.
      const more = [...OPTIONS.map((o) => ({ ...o, label: o.label.toUpperCase() })), { value: 'platinum', label: 'Platinum' }];
      const ok = await api.admin.patch(`/api/entities/${e.id}/fields/tier`, { settings: { options: more } });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(fieldOf(ok.body, 'tier').settings.options).toHaveLength(4);
    });

    it('subform child changes are checked against the stored rows, reporting record ids', async () => {
      const LEVELS = [
        { value: 'a', label: 'A' },
        { value: 'b', label: 'B' },
      ];
      const child = (extra: Record<string, unknown>[] = []) => [{ key: 'item', label: 'Item', type: 'text' }, ...extra];
      const e = await makeEntity(api.admin, [
        { key: 'name', label: 'Name', type: 'text' },
        {
          key: 'lines',
          label: 'Lines',
          type: 'subform',
          settings: {
            fields: child([
              { key: 'lvl', label: 'Level', type: 'select', settings: { options: LEVELS } },
              { key: 'qty', label: 'Qty', type: 'number' },
            ]),
          },
        },
      ]);
      const ids = await createRecords(api.admin, e.id, [
        {
          name: 'one',
          lines: [
            { item: 'x', lvl: 'a', qty: 1 },
            { item: 'y', lvl: 'b', qty: 2 },
            { item: 'z', lvl: 'b', qty: 3 },
          ],
        },
        { name: 'two', lines: [{ item: 'x', lvl: 'a', qty: 4 }] },
        { name: 'three', lines: [] },
        { name: 'four', lines: [{ item: 'w', lvl: 'b', qty: 5 }] },
      ]);
      const before = await snapshot(api, e.id);
      const sub = await cat.fieldPhysical(e.id, 'lines');
      const childRows = async () => cat.rows(sub.table!);
      const rowsBefore = await childRows();
      const p = expectProblem(
        await api.admin.patch(`/api/entities/${e.id}/fields/lines`, {
          settings: {
            fields: child([
              { key: 'lvl', label: 'Level', type: 'select', settings: { options: LEVELS.slice(0, 1) } },
              { key: 'qty', label: 'Qty', type: 'number' },
            ]),
          },
        }),
        422,
        'TYPE_CHANGE_DATA_MISMATCH',
      );
      expect(p).toMatchObject({ field: 'lines.lvl', rowCount: 2, sampleIds: [ids[0], ids[3]] });
      const q = expectProblem(
        await api.admin.patch(`/api/entities/${e.id}/fields/lines`, {
          settings: {
            fields: child([
              { key: 'lvl', label: 'Level', type: 'select', settings: { options: LEVELS } },
              { key: 'qty', label: 'Qty', type: 'number', settings: { max: 3 } },
            ]),
          },
        }),
        422,
        'TYPE_CHANGE_DATA_MISMATCH',
      );
      expect(q).toMatchObject({ field: 'lines.qty', rowCount: 2, sampleIds: [ids[1], ids[3]] });
      // Required on a subform means at least one row.
      const r = expectProblem(await api.admin.patch(`/api/entities/${e.id}/fields/lines`, { required: true }), 409, 'REQUIRED_HAS_EMPTY');
      expect(r).toMatchObject({ field: 'lines', rowCount: 1, sampleIds: [ids[2]] });
      expect(await snapshot(api, e.id)).toEqual(before);
      expect(await childRows()).toEqual(rowsBefore);

      // Dropping qty, then adding a text child under the same key: a fresh column, not the decimal one.
      expect(
        (
          await api.admin.patch(`/api/entities/${e.id}/fields/lines`, {
            settings: { fields: child([{ key: 'lvl', label: 'Level', type: 'select', settings: { options: LEVELS } }]) },
          })
        ).status,
      ).toBe(200);
      const readd = await api.admin.patch(`/api/entities/${e.id}/fields/lines`, {
        settings: {
          fields: child([
            { key: 'lvl', label: 'Level', type: 'select', settings: { options: LEVELS } },
            { key: 'qty', label: 'Qty', type: 'text' },
          ]),
        },
      });
      expect(readd.status, JSON.stringify(readd.body)).toBe(200);
      const after = await cat.fieldPhysical(e.id, 'lines');
      expect(after.children!.qty).not.toBe(sub.children!.qty);
      expect((await api.admin.get(`/api/entities/${e.id}/records/${ids[1]}`)).body.lines).toEqual([{ id: expect.any(Number), item: 'x', lvl: 'a', qty: null }]);
      const w = await api.admin.post(`/api/entities/${e.id}/records`, { name: 'five', lines: [{ item: 'v', lvl: 'a', qty: 'a dozen' }] });
      expect(w.status, JSON.stringify(w.body)).toBe(201);
      expect(w.body.lines[0].qty).toBe('a dozen');
    });

    it('a type change keeps unique and indexed where the new type supports them', async () => {
      const e = await makeEntity(api.admin, [
        { key: 'code', label: 'Code', type: 'text', unique: true },
        { key: 'note', label: 'Note', type: 'text', indexed: true },
      ]);
      await createRecords(api.admin, e.id, [
        { code: '1', note: 'a' },
        { code: '2', note: 'b' },
      ]);
      const res = await api.admin.patch(`/api/entities/${e.id}/fields/code`, { type: 'number' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(fieldOf(res.body, 'code')).toMatchObject({ type: 'number', unique: true });
      const p = await cat.fieldPhysical(e.id, 'code');
      expect((await cat.indexes(await cat.entityTable(e.id)))[p.uniqueIndex!]).toEqual({ unique: true, columns: [p.column] });
      expectProblem(await api.admin.post(`/api/entities/${e.id}/records`, { code: 2 }), 409, 'UNIQUE_VIOLATION');
      // Values that only become equal once converted are reported like any duplicates.
      const z = await makeEntity(api.admin, [{ key: 'code', label: 'Code', type: 'text', unique: true }]);
      const zids = await createRecords(api.admin, z.id, [{ code: '7' }, { code: '8' }, { code: '07' }]);
      const before = await snapshot(api, z.id);
      const dup = expectProblem(await api.admin.patch(`/api/entities/${z.id}/fields/code`, { type: 'number' }), 409, 'UNIQUE_HAS_DUPLICATES');
      expect(dup).toMatchObject({ field: 'code', rowCount: 2, sampleIds: [zids[0], zids[2]] });
      expect(await snapshot(api, z.id)).toEqual(before);
      expect((await cat.plans(z.id)).map((x) => [x.kind, x.status]).sort()).toEqual([
        ['change_field', 'rolled_back'],
        ['create_entity', 'done'],
      ]);
      // textarea cannot be indexed: the index goes with the change instead of failing it.
      const ta = await api.admin.patch(`/api/entities/${e.id}/fields/note`, { type: 'textarea' });
      expect(ta.status, JSON.stringify(ta.body)).toBe(200);
      expect(fieldOf(ta.body, 'note')).toMatchObject({ type: 'textarea', indexed: false });
      // Asking for it explicitly is still refused.
      expectProblem(await api.admin.patch(`/api/entities/${e.id}/fields/note`, { type: 'textarea', indexed: true }), 400, 'INVALID_FIELD');
    });

    it('purging a field after a type change drops the retired column too', async () => {
      const e = await makeEntity(api.admin, [{ key: 'qty', label: 'Qty', type: 'text' }]);
      await createRecords(api.admin, e.id, [{ qty: '5' }]);
      const first = (await cat.fieldPhysical(e.id, 'qty')).column!;
      expect((await api.admin.patch(`/api/entities/${e.id}/fields/qty`, { type: 'number' })).status).toBe(200);
      const second = (await cat.fieldPhysical(e.id, 'qty')).column!;
      const table = await cat.entityTable(e.id);
      expect(Object.keys(await cat.columns(table))).toEqual(expect.arrayContaining([first, second]));
      await api.admin.delete(`/api/entities/${e.id}/fields/qty`);
      expect((await api.admin.post(`/api/entities/${e.id}/fields/qty/purge`)).status).toBe(200);
      const cols = Object.keys(await cat.columns(table));
      expect(cols).not.toContain(first);
      expect(cols).not.toContain(second);
    });

    it('lowering a number maximum below stored values: 422 with the count and ids', async () => {
      const e = await makeEntity(api.admin, [{ key: 'score', label: 'Score', type: 'number', settings: { max: 1000 } }]);
      const ids = await createRecords(api.admin, e.id, [{ score: 10 }, { score: 500 }, { score: 99 }, { score: 1000 }]);
      const before = await snapshot(api, e.id);
      const p = expectProblem(await api.admin.patch(`/api/entities/${e.id}/fields/score`, { settings: { max: 99 } }), 422, 'TYPE_CHANGE_DATA_MISMATCH');
      expect(p).toMatchObject({ field: 'score', rowCount: 2, sampleIds: [ids[1], ids[3]] });
      expect(await snapshot(api, e.id)).toEqual(before);
      expect(fieldOf((await api.admin.get(`/api/entities/${e.id}`)).body, 'score').settings.max).toBe(1000);
      expect((await api.admin.post(`/api/entities/${e.id}/records`, { score: 700 })).status).toBe(201);
    });
  });
});

describe('schema changes survive crashes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.close());

  it('(a) an add-field plan interrupted after step 1 resumes on the next start', async () => {
    const e = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
    await createRecords(api.admin, e.id, [{ name: 'first' }]);
    api = await api.restart({ faults: { crashAfterStep: 1 } });
    const res = await api.admin.post(`/api/entities/${e.id}/fields`, { key: 'sku', label: 'SKU', type: 'text', unique: true });
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('INTERNAL');
    expect(res.body.detail).not.toMatch(/crash|step/i); // a generic answer; details go to the log
    let cat = new Catalog(api);
    const table = await cat.entityTable(e.id);
    const p = await cat.fieldPhysical(e.id, 'sku');
    // Half done: the column exists, the unique index does not, the field is not visible.
    expect(await cat.columns(table)).toHaveProperty(p.column!);
    expect(await cat.indexes(table)).not.toHaveProperty(p.uniqueIndex!);
    expect((await cat.plans(e.id)).find((x) => x.kind === 'add_field')).toMatchObject({ status: 'running', done_steps: 1 });
    expect((await api.admin.get(`/api/entities/${e.id}`)).body.fields.map((f: any) => f.key)).toEqual(['name']);

    api = await api.restart();
    cat = new Catalog(api);
    expect((await cat.plans(e.id)).find((x) => x.kind === 'add_field')).toMatchObject({ status: 'done', done_steps: 2 });
    expect((await cat.indexes(table))[p.uniqueIndex!]).toEqual({ unique: true, columns: [p.column] });
    const entity = (await api.admin.get(`/api/entities/${e.id}`)).body;
    expect(entity.fields.map((f: any) => f.key)).toEqual(['name', 'sku']);
    expect(entity.version).toBe(e.version + 1);
    const r = await api.admin.post(`/api/entities/${e.id}/records`, { name: 'second', sku: 'A-1' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.sku).toBe('A-1');
    expectProblem(await api.admin.post(`/api/entities/${e.id}/records`, { name: 'third', sku: 'A-1' }), 409, 'UNIQUE_VIOLATION');
    expect((await listAll(api.admin, e.id)).map((x) => x.sku)).toEqual([null, 'A-1']);
  });

  it('(a2) an entity whose create plan was interrupted appears after the restart', async () => {
    const app = (await api.admin.post('/api/apps', { key: 'crash_app', name: 'Crash' })).body;
    api = await api.restart({ faults: { crashAfterStep: 1 } });
    const res = await api.admin.post(`/api/apps/${app.id}/entities`, {
      key: 'tickets',
      name: 'Tickets',
      fields: [{ key: 'title', label: 'Title', type: 'text', indexed: true }],
    });
    expect(res.status).toBe(500);
    expect((await api.admin.get(`/api/apps/${app.id}/entities`)).body.items).toEqual([]);
    api = await api.restart();
    const items = (await api.admin.get(`/api/apps/${app.id}/entities`)).body.items;
    expect(items.map((x: any) => x.key)).toEqual(['tickets']);
    expect((await api.admin.post(`/api/entities/${items[0].id}/records`, { title: 'works' })).status).toBe(201);
  });

  it('(b) a type change interrupted after the backfill rolls back on resume when new data does not fit', async () => {
    const e = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text' },
      { key: 'qty', label: 'Qty', type: 'text' },
    ]);
    await createRecords(api.admin, e.id, [
      { name: 'a', qty: '1' },
      { name: 'b', qty: '22' },
      { name: 'c', qty: null },
    ]);
    let cat = new Catalog(api);
    const table = await cat.entityTable(e.id);
    const columnsBefore = await cat.columns(table);
    api = await api.restart({ faults: { crashAfterStep: 2 } });
    const res = await api.admin.patch(`/api/entities/${e.id}/fields/qty`, { type: 'number' });
    expect(res.status).toBe(500);
    cat = new Catalog(api);
    expect((await cat.plans(e.id)).find((x) => x.kind === 'change_field')).toMatchObject({ status: 'running', done_steps: 2 });
    expect(Object.keys(await cat.columns(table))).toHaveLength(Object.keys(columnsBefore).length + 1);
    // Metadata still says text, so a text value is accepted meanwhile.
    const entityMid = (await api.admin.get(`/api/entities/${e.id}`)).body;
    expect(fieldOf(entityMid, 'qty').type).toBe('text');
    const abc = await api.admin.post(`/api/entities/${e.id}/records`, { name: 'late', qty: 'abc' });
    expect(abc.status).toBe(201);
    const rowsBefore = await cat.rows(table);
    const recordsBefore = await listAll(api.admin, e.id);

    api = await api.restart();
    cat = new Catalog(api);
    const plan = (await cat.plans(e.id)).find((x) => x.kind === 'change_field')!;
    expect(plan.status).toBe('rolled_back');
    expect(plan.error).toMatch(/fit/);
    expect(await cat.columns(table)).toEqual(columnsBefore);
    const entity = (await api.admin.get(`/api/entities/${e.id}`)).body;
    expect(fieldOf(entity, 'qty').type).toBe('text');
    expect(entity.version).toBe(e.version);
    expect(await listAll(api.admin, e.id)).toEqual(recordsBefore);
    expect(recordsBefore.map((r) => r.qty)).toEqual(['1', '22', null, 'abc']);
    // Raw rows too, minus the dropped column.
    const newCol = Object.keys(rowsBefore[0]).find((c) => !(c in columnsBefore))!;
    expect(await cat.rows(table)).toEqual(rowsBefore.map(({ [newCol]: _gone, ...rest }) => rest));
    // The entity works as before and the same change can be tried again once the data fits.
    const mismatch = expectProblem(await api.admin.patch(`/api/entities/${e.id}/fields/qty`, { type: 'number' }), 422, 'TYPE_CHANGE_DATA_MISMATCH');
    expect(mismatch.sampleIds).toEqual([abc.body.id]);
  });

  it('(b2) edits made while a type change was interrupted are not lost when it completes', async () => {
    const e = await makeEntity(api.admin, [{ key: 'qty', label: 'Qty', type: 'text' }]);
    const ids = await createRecords(api.admin, e.id, [{ qty: '1' }, { qty: '2' }, { qty: '3' }]);
    api = await api.restart({ faults: { crashAfterStep: 2 } });
    expect((await api.admin.patch(`/api/entities/${e.id}/fields/qty`, { type: 'number' })).status).toBe(500);
    // After the backfill copied the old values, users keep editing (metadata still says text).
    const r0 = (await api.admin.get(`/api/entities/${e.id}/records/${ids[0]}`)).body;
    expect((await api.admin.patch(`/api/entities/${e.id}/records/${ids[0]}`, { version: r0.version, qty: '10' })).status).toBe(200);
    const r1 = (await api.admin.get(`/api/entities/${e.id}/records/${ids[1]}`)).body;
    expect((await api.admin.patch(`/api/entities/${e.id}/records/${ids[1]}`, { version: r1.version, qty: null })).status).toBe(200);
    const [late] = await createRecords(api.admin, e.id, [{ qty: '4' }]);

    api = await api.restart();
    const cat = new Catalog(api);
    expect((await cat.plans(e.id)).find((x) => x.kind === 'change_field')?.status).toBe('done');
    const entity = (await api.admin.get(`/api/entities/${e.id}`)).body;
    expect(fieldOf(entity, 'qty').type).toBe('number');
    expect((await listAll(api.admin, e.id)).map((r) => [r.id, r.qty])).toEqual([
      [ids[0], 10],
      [ids[1], null],
      [ids[2], 3],
      [late, 4],
    ]);
  });

  it('(b3) the next schema change finishes a plan its dead runner left, before planning its own', async () => {
    const e = await makeEntity(api.admin, [{ key: 'qty', label: 'Qty', type: 'text' }]);
    const ids = await createRecords(api.admin, e.id, [{ qty: '1' }, { qty: '2' }]);
    api = await api.restart({ faults: { crashAfterStep: 2 } });
    expect((await api.admin.patch(`/api/entities/${e.id}/fields/qty`, { type: 'number' })).status).toBe(500);
    const r0 = (await api.admin.get(`/api/entities/${e.id}/records/${ids[0]}`)).body;
    expect((await api.admin.patch(`/api/entities/${e.id}/records/${ids[0]}`, { version: r0.version, qty: '7' })).status).toBe(200);
    // No restart: another change of the workspace takes the lock and finds the orphaned plan.
    const res = await api.admin.post(`/api/entities/${e.id}/fields`, { key: 'note', label: 'Note', type: 'text' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.fields.map((f: any) => [f.key, f.type])).toEqual([
      ['qty', 'number'],
      ['note', 'text'],
    ]);
    expect(res.body.version).toBe(e.version + 2);
    expect((await new Catalog(api).plans(e.id)).map((x) => x.status)).toEqual(['done', 'done', 'done']);
    expect((await listAll(api.admin, e.id)).map((r) => [r.qty, r.note])).toEqual([
      [7, null],
      [2, null],
    ]);
    api = await api.restart();
  });

  it('(c) a step that fails rolls the plan back at once: 500 SCHEMA_CHANGE_FAILED, table as before', async () => {
    const e = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text' },
      { key: 'qty', label: 'Qty', type: 'text', indexed: true },
    ]);
    await createRecords(api.admin, e.id, [
      { name: 'a', qty: '5' },
      { name: 'b', qty: '6' },
    ]);
    let cat = new Catalog(api);
    const table = await cat.entityTable(e.id);
    const before = await snapshot(api, e.id);

    api = await api.restart({ faults: { failAtStep: 2 } });
    cat = new Catalog(api);
    // Adding a unique field: the index step fails after the column was added.
    const add = expectProblem(
      await api.admin.post(`/api/entities/${e.id}/fields`, { key: 'sku', label: 'SKU', type: 'text', unique: true }),
      500,
      'SCHEMA_CHANGE_FAILED',
    );
    expect(add.detail).toMatch(/rolled back/);
    expect(add.detail).not.toMatch(/injected|t_[a-z0-9]{12}/); // no internals in the answer
    // A type change (with a new label): the backfill step fails.
    expectProblem(await api.admin.patch(`/api/entities/${e.id}/fields/qty`, { type: 'number', label: 'Quantity' }), 500, 'SCHEMA_CHANGE_FAILED');
    const after = await snapshot(api, e.id);
    expect(after).toEqual(before);
    expect(await cat.columns(table)).toEqual(before.columns);
    const plans = await cat.plans(e.id);
    expect(
      plans
        .filter((x) => x.kind !== 'create_entity')
        .map((x) => [x.kind, x.status])
        .sort(),
    ).toEqual([
      ['add_field', 'rolled_back'],
      ['change_field', 'rolled_back'],
    ]);

    // Without the fault both changes go through, and the key is free.
    api = await api.restart();
    expect((await api.admin.post(`/api/entities/${e.id}/fields`, { key: 'sku', label: 'SKU', type: 'text', unique: true })).status).toBe(201);
    const changed = await api.admin.patch(`/api/entities/${e.id}/fields/qty`, { type: 'number', label: 'Quantity' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(fieldOf(changed.body, 'qty')).toMatchObject({ type: 'number', label: 'Quantity' });
    expect((await listAll(api.admin, e.id)).map((r) => r.qty)).toEqual([5, 6]);
  });
});
