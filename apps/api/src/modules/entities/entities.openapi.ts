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
  App: S.obj({ id: S.uuid(), key: S.str(), name: S.str(), description: S.nullable(S.str()), createdAt: S.time(), updatedAt: S.time() }, [
    'id',
    'key',
    'name',
    'description',
    'createdAt',
    'updatedAt',
  ]),
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
      displayField: S.nullable(S.str()),
      fields: S.arr(ref('Field')),
      removedFields: S.arr(ref('Field')),
    },
    ['id', 'appId', 'key', 'name', 'version', 'displayField', 'fields', 'removedFields'],
  ),
  JsonSchema: S.obj({}, [], { additionalProperties: true, description: 'A JSON Schema (draft 2020-12) document' }),
});
