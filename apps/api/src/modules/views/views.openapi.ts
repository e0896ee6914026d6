import { defineSchemas, ref, S } from '../../common/openapi';

const column = S.obj({ key: S.str(), width: S.int({ minimum: 40, maximum: 2000 }) }, ['key']);

defineSchemas({
  ViewConfig: S.obj(
    {
      columns: S.arr(column, { maxItems: 300 }),
      sort: S.str({ maxLength: 200 }),
      filter: S.nullable(ref('Condition')),
      search: S.str({ maxLength: 200 }),
      groupBy: S.nullable(S.str()),
      kanban: S.obj({ field: S.str(), sumField: S.nullable(S.str()) }, ['field']),
      calendar: S.obj({ field: S.str(), mode: S.str({ enum: ['month', 'week'] }) }, ['field']),
    },
    [],
    { description: 'How the view shows records: visible columns in order with widths, sort, filter, quick search, grouping; kanban and calendar fields' },
  ),
  View: S.obj(
    {
      id: S.uuid(),
      entityId: S.uuid(),
      name: S.str(),
      kind: S.str({ enum: ['table', 'kanban', 'calendar'] }),
      shared: S.bool(),
      ownerId: S.nullable(S.uuid()),
      position: S.int(),
      config: ref('ViewConfig'),
      createdBy: S.uuid(),
      createdAt: S.time(),
      updatedAt: S.time(),
    },
    ['id', 'entityId', 'name', 'kind', 'shared', 'ownerId', 'position', 'config', 'createdBy', 'createdAt', 'updatedAt'],
  ),
});
