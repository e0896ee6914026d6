import { FIELD_TYPE_KEYS } from '@crm/schema';
import { defineSchemas, ref, S } from '../../common/openapi';

const fieldProps = {
  key: S.str({ pattern: '^[a-z][a-z0-9_]{0,47}$' }),
  label: S.str(),
  type: S.str({ enum: [...FIELD_TYPE_KEYS], description: 'See docs/fields.md for the types and their settings' }),
  required: S.bool(),
  unique: S.bool(),
  indexed: S.bool(),
  settings: S.obj({}, [], { additionalProperties: true, description: "The type's own settings (docs/fields.md)" }),
};

defineSchemas({
  App: S.obj(
    {
      id: S.uuid(),
      key: S.str(),
      name: S.str(),
      description: S.nullable(S.str()),
      icon: S.nullable(S.str({ description: 'an icon name of the web app (e.g. team, dollar)' })),
      color: S.nullable(S.str({ description: '#rrggbb' })),
      position: S.int({ description: 'place on the workspace home (PUT /api/apps/order)' }),
      createdAt: S.time(),
      updatedAt: S.time(),
      deletedAt: S.time(),
      canDesign: S.bool({ description: 'the caller may change the design: workspace admin or admin of this app' }),
    },
    ['id', 'key', 'name', 'description', 'icon', 'color', 'position', 'createdAt', 'updatedAt', 'canDesign'],
  ),
  Navigation: S.obj(
    {
      groups: S.arr(
        S.obj(
          {
            id: S.str({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
            name: S.nullable(S.str({ maxLength: 100, description: 'null: no heading (top level)' })),
            items: S.arr(S.obj({ kind: S.str({ enum: ['entity'] }), id: S.uuid(), name: S.str({ description: 'in answers only' }) }, ['kind', 'id'])),
          },
          ['id', 'name', 'items'],
        ),
      ),
    },
    ['groups'],
  ),
  Field: S.obj({ id: S.uuid(), ...fieldProps }, ['id', 'key', 'label', 'type', 'required', 'unique', 'indexed', 'settings']),
  FieldInput: S.obj(fieldProps, ['key', 'label', 'type']),
  FieldChange: S.obj({
    label: fieldProps.label,
    type: fieldProps.type,
    required: S.bool(),
    unique: S.bool(),
    indexed: S.bool(),
    settings: fieldProps.settings,
  }),
  Entity: S.obj(
    {
      id: S.uuid(),
      appId: S.uuid(),
      key: S.str(),
      name: S.str(),
      version: S.int({ description: 'metadata version: moves on every design change' }),
      displayField: S.nullable(S.str({ description: 'the title field: names a record in lists and pickers' })),
      defaultSort: S.nullable(S.str({ description: 'keys, `-` for descending: `-amount,name` (lists without `sort`)' })),
      recycleRetentionDays: S.nullable(S.int({ minimum: 1, maximum: 3650, description: 'days deleted records stay restorable; null: kept until purged' })),
      fields: S.arr(ref('Field')),
      removedFields: S.arr(ref('Field')),
    },
    ['id', 'appId', 'key', 'name', 'version', 'displayField', 'defaultSort', 'recycleRetentionDays', 'fields', 'removedFields'],
  ),
  JsonSchema: S.obj({}, [], { additionalProperties: true, description: 'A JSON Schema (draft 2020-12) document' }),
});
