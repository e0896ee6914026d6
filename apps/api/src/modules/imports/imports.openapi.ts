import { defineSchemas, ref, S } from '../../common/openapi';

const rowError = S.obj(
  {
    row: S.int({ description: 'the row number as the user sees it (header = its own row)' }),
    column: S.str(),
    columnIndex: S.nullable(S.int()),
    field: S.nullable(S.str()),
    code: S.str(),
    message: S.obj({ 'zh-CN': S.str(), en: S.str() }, ['zh-CN', 'en']),
    value: S.nullable(S.str()),
  },
  ['row', 'column', 'columnIndex', 'field', 'code', 'message', 'value'],
);

const tableOptions = S.obj(
  {
    encoding: S.str({ description: 'auto (default), utf-8, gb18030, gbk, big5, utf-16le, utf-16be, windows-1252, shift_jis' }),
    delimiter: S.str({ description: 'auto (default), `,`, `;`, tab or `|`' }),
    sheet: S.any('.xlsx: a sheet name or 1-based position'),
    headerRow: S.int({ minimum: 1 }),
  },
  [],
  { description: 'How the file is read' },
);

const mappingReport = S.obj(
  {
    columns: S.arr(
      S.obj(
        {
          column: S.int(),
          header: S.str(),
          letter: S.str(),
          target: S.nullable(S.str()),
          how: S.nullable(S.str()),
          importable: S.nullable(S.str()),
          recognized: S.str(),
          note: S.str(),
        },
        ['column', 'header', 'letter', 'target', 'how', 'importable'],
      ),
    ),
    unmapped: S.arr(S.int()),
    missingRequired: S.arr(S.obj({ path: S.str(), label: S.str() }, ['path', 'label'])),
    targets: S.arr(
      S.obj({ path: S.str(), label: S.str(), kind: S.str(), importable: S.str() }, ['path', 'label', 'kind', 'importable'], { additionalProperties: true }),
    ),
  },
  ['columns', 'unmapped', 'missingRequired', 'targets'],
);

const choices = S.obj({
  mapping: S.arr(S.obj({ column: S.int(), target: S.nullable(S.str()) }, ['column', 'target'])),
  valueMappings: S.arr(
    S.obj(
      {
        target: S.str(),
        value: S.str(),
        action: S.str({ enum: ['map', 'add', 'skip', 'empty'] }),
        to: S.any('option value, member or department id, record id'),
      },
      ['target', 'value', 'action'],
    ),
  ),
  write: S.str({ enum: ['valid-rows', 'all-or-nothing'] }),
  upsertBy: S.nullable(S.str({ description: 'a unique field, a serial number field or id' })),
  emptyCells: S.str({ enum: ['keep', 'clear'] }),
  dateFormat: S.str({ enum: ['auto', 'YMD', 'MDY', 'DMY'] }),
  numberFormat: S.str({ enum: ['dot', 'comma'] }),
  timeZone: S.str({ description: 'IANA zone of date-times written without an offset' }),
  relationMatch: S.map(S.str()),
});

defineSchemas({
  Export: S.obj(
    {
      id: S.uuid(),
      entityId: S.str(),
      fileName: S.str(),
      format: S.str({ enum: ['csv', 'xlsx'] }),
      status: S.str({ enum: ['queued', 'running', 'done', 'failed'] }),
      rows: S.int({ description: 'rows written so far' }),
      lastError: S.nullable(S.str()),
      createdAt: S.time(),
      finishedAt: S.nullable(S.time()),
    },
    ['id', 'entityId', 'fileName', 'format', 'status', 'rows', 'lastError', 'createdAt', 'finishedAt'],
  ),
  ImportRowError: rowError,
  ImportTableOptions: tableOptions,
  ImportMappingReport: mappingReport,
  ImportChoices: choices,
  ImportSettingsBody: S.obj({ ...(choices.properties as Record<string, never>), table: ref('ImportTableOptions') }),
  Import: S.obj(
    {
      id: S.uuid(),
      entityId: S.str(),
      fileName: S.str(),
      format: S.str({ enum: ['csv', 'xlsx'] }),
      size: S.int(),
      status: S.str({ enum: ['draft', 'queued', 'running', 'done', 'failed', 'aborted'] }),
      phase: S.nullable(S.str({ description: 'prepare, check, write; undo while an all-or-nothing import takes back what it wrote' })),
      table: ref('ImportTableOptions'),
      info: S.nullable(
        S.obj(
          { format: S.str(), headerRow: S.int(), columns: S.arr(S.obj({ index: S.int(), name: S.str(), letter: S.str() }, ['index', 'name', 'letter'])) },
          ['format', 'headerRow', 'columns'],
          { additionalProperties: true },
        ),
      ),
      mapping: S.nullable(ref('ImportMappingReport')),
      choices: ref('ImportChoices'),
      progress: S.obj(
        { totalRows: S.nullable(S.int()), rowsRead: S.int(), rowsDone: S.int(), created: S.int(), updated: S.int(), errorRows: S.int(), errorCount: S.int() },
        ['totalRows', 'rowsRead', 'rowsDone', 'created', 'updated', 'errorRows', 'errorCount'],
      ),
      errorFile: S.bool({ description: 'an error file can be downloaded' }),
      lastError: S.nullable(S.str()),
      createdAt: S.time(),
      finishedAt: S.nullable(S.time()),
    },
    [
      'id',
      'entityId',
      'fileName',
      'format',
      'size',
      'status',
      'phase',
      'table',
      'info',
      'mapping',
      'choices',
      'progress',
      'errorFile',
      'lastError',
      'createdAt',
      'finishedAt',
    ],
  ),
  ImportScan: S.obj(
    {
      info: S.obj({}, [], { additionalProperties: true }),
      mapping: ref('ImportMappingReport'),
      totalRows: S.int(),
      validRows: S.int(),
      errorRows: S.int(),
      errorCount: S.int(),
      creates: S.int(),
      updates: S.int(),
      preview: S.arr(
        S.obj(
          {
            rowNumber: S.int(),
            cells: S.arr(S.str()),
            values: S.map(S.any()),
            errors: S.arr(ref('ImportRowError')),
            action: S.str({ enum: ['create', 'update', 'none'] }),
          },
          ['rowNumber', 'cells', 'values', 'errors', 'action'],
        ),
      ),
      unmatched: S.arr(
        S.obj(
          {
            column: S.int(),
            header: S.str(),
            target: S.str(),
            kind: S.str({ enum: ['choice', 'member', 'department', 'relation'] }),
            values: S.arr(
              S.obj(
                {
                  value: S.str(),
                  count: S.int(),
                  rows: S.arr(S.int()),
                  reason: S.str({ enum: ['not_found', 'ambiguous'] }),
                  candidates: S.arr(S.str()),
                  suggestions: S.arr(S.str()),
                },
                ['value', 'count', 'rows', 'reason', 'candidates', 'suggestions'],
              ),
            ),
            truncated: S.bool(),
            otherCount: S.int(),
          },
          ['column', 'header', 'target', 'kind', 'values', 'truncated', 'otherCount'],
        ),
      ),
      dateHints: S.arr(
        S.obj({ column: S.int(), target: S.str(), orders: S.arr(S.str()), ambiguousValues: S.int() }, ['column', 'target', 'orders', 'ambiguousValues']),
      ),
      optionsToAdd: S.arr(S.obj({ target: S.str(), options: S.arr(S.obj({ value: S.str(), label: S.str() }, ['value', 'label'])) }, ['target', 'options'])),
    },
    ['info', 'mapping', 'totalRows', 'validRows', 'errorRows', 'errorCount', 'creates', 'updates', 'preview', 'unmatched', 'dateHints', 'optionsToAdd'],
  ),
});
