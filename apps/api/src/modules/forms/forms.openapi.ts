import { defineSchemas, ref, S } from '../../common/openapi';

const locale = S.str({ enum: ['en', 'zh-CN'] });

defineSchemas({
  LinkageQuery: S.obj(
    {
      field: S.str({ minLength: 1, description: 'The key of a form field with a data-linkage default' }),
      values: S.obj({}, [], { additionalProperties: true, description: 'The form’s current values (those the linkage condition reads)' }),
    },
    ['field'],
  ),
  LinkageAnswer: S.obj(
    {
      field: S.str(),
      value: { description: 'The looked-up value; null when no record matches, a value the condition reads is empty, or the member may not read the source' },
    },
    ['field', 'value'],
  ),
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
        {
          definition: ref('FormDefinition'),
          updatedAt: S.nullable(S.time()),
          updatedBy: S.nullable(S.str()),
          revision: S.int({ description: 'send as If-Match with the next save' }),
          hasDesign: S.bool({ description: 'a designer document with unpublished changes is saved' }),
        },
        ['definition', 'updatedAt', 'updatedBy', 'revision', 'hasDesign'],
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
  DesignField: S.obj(
    {
      key: S.str(),
      label: S.str(),
      type: S.str(),
      required: S.bool(),
      unique: S.bool(),
      indexed: S.bool(),
      settings: S.obj({}, [], { additionalProperties: true }),
    },
    ['key', 'label', 'type'],
  ),
  FormDesignDocument: S.obj({ fields: S.arr(ref('DesignField')), form: ref('FormDefinition') }, ['fields', 'form']),
  FormDesign: S.obj(
    {
      entityId: S.uuid(),
      entityVersion: S.int(),
      revision: S.int(),
      saved: S.bool({ description: 'false: made from the entity and the form draft, nothing saved yet' }),
      updatedAt: S.nullable(S.time()),
      updatedBy: S.nullable(S.str()),
      publishedKeys: S.arr(S.str(), { description: 'keys of the fields the entity has; they cannot change' }),
      document: ref('FormDesignDocument'),
    },
    ['entityId', 'entityVersion', 'revision', 'saved', 'updatedAt', 'updatedBy', 'publishedKeys', 'document'],
  ),
  FormDesignSave: S.obj({ revision: S.int({ minimum: 0 }), document: ref('FormDesignDocument') }, ['revision', 'document']),
  FormDesignPublish: S.obj({ revision: S.int({ minimum: 0, description: 'the previewed revision' }) }, ['revision']),
  DesignProblem: S.obj({ path: S.str(), code: S.str(), message: S.str(), field: S.str(), rowCount: S.int(), sampleIds: S.arr(S.int()) }, [
    'path',
    'code',
    'message',
  ]),
  FormDesignPreview: S.obj(
    {
      revision: S.int(),
      added: S.arr(S.obj({ key: S.str(), label: S.str(), type: S.str() }, ['key', 'label', 'type'])),
      removed: S.arr(S.obj({ key: S.str(), label: S.str(), type: S.str() }, ['key', 'label', 'type'])),
      renamed: S.arr(S.obj({ key: S.str(), from: S.str(), to: S.str() }, ['key', 'from', 'to'])),
      typeChanged: S.arr(
        S.obj({ key: S.str(), label: S.str(), from: S.str(), to: S.str(), check: S.nullable(ref('DesignProblem')) }, ['key', 'label', 'from', 'to', 'check']),
      ),
      changed: S.arr(S.obj({ key: S.str(), label: S.str(), what: S.arr(S.str()), check: S.nullable(ref('DesignProblem')) }, ['key', 'label', 'what', 'check'])),
      problems: S.arr(ref('DesignProblem')),
      publishable: S.bool(),
    },
    ['revision', 'added', 'removed', 'renamed', 'typeChanged', 'changed', 'problems', 'publishable'],
  ),
  FormDesignPublished: S.obj(
    { version: S.int(), publishedAt: S.time(), created: S.bool(), revision: S.int(), entityVersion: S.int(), applied: ref('FormDesignPreview') },
    ['version', 'publishedAt', 'created', 'revision', 'entityVersion', 'applied'],
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
