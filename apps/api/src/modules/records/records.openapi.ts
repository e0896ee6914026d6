import { defineSchemas, ref, S } from '../../common/openapi';

defineSchemas({
  Record: S.obj(
    {
      id: S.int({ minimum: 1 }),
      version: S.int(),
      createdAt: S.time(),
      createdBy: S.nullable(S.uuid()),
      updatedAt: S.time(),
      updatedBy: S.nullable(S.uuid()),
      ownerId: S.nullable(S.uuid()),
      formVersion: S.nullable(S.int()),
      deletedAt: S.nullable(S.time()),
      deletedBy: S.nullable(S.uuid()),
    },
    ['id', 'version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'ownerId', 'formVersion'],
    {
      additionalProperties: true,
      description: "System fields plus the field values by key (GET /api/entities/{entityId}/schema has the entity's exact schema)",
    },
  ),
  RecordValues: S.obj({}, [], { additionalProperties: true, description: 'Field values by key; GET /api/entities/{entityId}/schema has the exact schema' }),
  RecordPage: S.page(ref('Record')),
  BinBulkAnswer: S.obj(
    {
      ids: S.arr(S.int(), { description: 'the records done' }),
      failed: S.arr(S.obj({ id: S.int(), code: S.str(), detail: S.str() }, ['id', 'code', 'detail'])),
    },
    ['ids', 'failed'],
  ),
  Condition: S.obj({}, [], { additionalProperties: true, description: 'A json-logic condition (docs/api.md, Filters)' }),
  RecordGroups: S.obj(
    {
      field: S.str(),
      sumField: S.nullable(S.str()),
      total: S.int(),
      groups: S.arr(S.obj({ value: S.nullable(S.str()), count: S.int(), sum: S.num() }, ['value', 'count'])),
    },
    ['field', 'sumField', 'total', 'groups'],
  ),
  HistoryEntry: S.obj(
    {
      id: S.int(),
      action: S.str({ description: 'create, update, delete, restore, purge, recompute, …' }),
      bulkImport: S.obj({ count: S.int() }, ['count']),
      actorId: S.nullable(S.str()),
      at: S.time(),
      changes: S.map(S.obj({ from: S.any(), to: S.any() })),
      requestId: S.nullable(S.str()),
    },
    ['id', 'action', 'actorId', 'at', 'changes'],
  ),
});
