import { defineSchemas, ref, S } from '../../common/openapi';

const locale = S.str({ enum: ['en', 'zh-CN'] });

defineSchemas({
  FormDefinition: S.obj(
    {
      layout: S.arr(S.obj({}, [], { additionalProperties: true }), { description: 'sections, columns, tabs and field placements (docs/forms.md)' }),
      fields: S.map(S.obj({}, [], { additionalProperties: true })),
      validations: S.arr(S.obj({}, [], { additionalProperties: true })),
      submitHint: { oneOf: [S.str(), S.obj({}, [], { additionalProperties: S.str() })] },
      hiddenFieldPolicy: S.str({ enum: ['keep', 'clear', 'recalculate'] }),
    },
    [],
    { additionalProperties: true, description: 'A form definition: see docs/forms.md' },
  ),
  FormVersion: S.obj({ version: S.int(), entityVersion: S.int(), publishedAt: S.time(), publishedBy: S.nullable(S.str()), definition: ref('FormDefinition') }, [
    'version',
    'entityVersion',
    'publishedAt',
    'publishedBy',
  ]),
  Form: S.obj(
    {
      entityId: S.uuid(),
      published: S.nullable(
        S.obj(
          {
            version: S.int(),
            definition: ref('FormDefinition'),
            publishedAt: S.time(),
            publishedBy: S.nullable(S.str()),
            problems: S.arr(S.any(), { description: 'app admins: what the published version refers to that is gone' }),
          },
          ['version', 'definition', 'publishedAt', 'publishedBy'],
        ),
      ),
      draft: S.obj(
        { definition: ref('FormDefinition'), updatedAt: S.nullable(S.time()), updatedBy: S.nullable(S.str()) },
        ['definition', 'updatedAt', 'updatedBy'],
        {
          description: 'app admins only',
        },
      ),
      versions: S.arr(ref('FormVersion'), { description: 'app admins only' }),
    },
    ['entityId', 'published'],
  ),
  FormSchemas: S.obj(
    {
      entityId: S.uuid(),
      version: S.int(),
      locale,
      schema: ref('JsonSchema'),
      uiSchema: S.obj({}, [], { additionalProperties: true }),
      form: ref('FormDefinition'),
    },
    ['entityId', 'version', 'locale', 'schema', 'uiSchema', 'form'],
  ),
  PublicLink: S.obj(
    {
      id: S.uuid(),
      entityId: S.uuid(),
      exposedFields: S.arr(S.str()),
      ownerId: S.nullable(S.uuid()),
      enabled: S.bool(),
      createdAt: S.time(),
      rotatedAt: S.nullable(S.time()),
      updatedAt: S.time(),
      token: S.str({ description: 'only when created or rotated' }),
      url: S.str({ description: 'only when created or rotated' }),
    },
    ['id', 'entityId', 'exposedFields', 'ownerId', 'enabled', 'createdAt', 'rotatedAt', 'updatedAt'],
  ),
  PublicLinkInput: S.obj({ exposedFields: S.arr(S.str()), ownerId: S.nullable(S.uuid()), enabled: S.bool() }),
  PublicForm: S.obj(
    {
      title: S.str(),
      version: S.int(),
      locale,
      schema: ref('JsonSchema'),
      uiSchema: S.obj({}, [], { additionalProperties: true }),
      form: S.obj({}, [], { additionalProperties: true }),
    },
    ['title', 'version', 'locale', 'schema', 'uiSchema', 'form'],
  ),
  PublicReceipt: S.obj({ receiptId: S.str(), submittedAt: S.time(), values: ref('RecordValues') }, ['receiptId', 'submittedAt', 'values']),
});
