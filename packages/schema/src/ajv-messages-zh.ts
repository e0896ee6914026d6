/** Chinese (zh-CN) problem texts for Ajv keywords; the English ones live beside them in ajv.ts. */
type Params = Record<string, unknown>;

const typeNamesZh: Record<string, string> = {
  string: '文本',
  number: '数字',
  integer: '整数',
  boolean: '是/否',
  object: '对象',
  array: '列表',
  null: '空值',
};

const formatNamesZh: Record<string, string> = {
  date: '有效的日期（YYYY-MM-DD）',
  time: '有效的时间',
  'date-time': '带时区的有效日期时间（如 2026-11-23T08:30:00Z）',
  email: '有效的邮箱地址',
  uri: '有效的网址',
};

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : String(value).split(','));

export const describersZh: Record<string, (params: Params) => string> = {
  required: () => '不能为空',
  nonEmpty: () => '不能为空',
  // "or null" says nothing to someone filling in a form: an empty optional field is always fine.
  type: (p) => {
    const types = list(p.type);
    const shown = types.length > 1 ? types.filter((t) => t !== 'null') : types;
    return `必须是${shown.map((t) => typeNamesZh[t] ?? t).join('或')}`;
  },
  enum: (p) => {
    const allowed = Array.isArray(p.allowedValues) ? p.allowedValues.filter((v) => v !== null) : [];
    return allowed.length > 0 && allowed.length <= 10 ? `必须是以下选项之一：${allowed.map((v) => JSON.stringify(v)).join('、')}` : '不是允许的选项';
  },
  const: (p) => `必须是 ${JSON.stringify(p.allowedValue)}`,
  minimum: (p) => `不能小于 ${String(p.limit)}`,
  exclusiveMinimum: (p) => `必须大于 ${String(p.limit)}`,
  maximum: (p) => `不能大于 ${String(p.limit)}`,
  exclusiveMaximum: (p) => `必须小于 ${String(p.limit)}`,
  minLength: (p) => `至少需要 ${String(p.limit)} 个字符`,
  maxLength: (p) => `最多 ${String(p.limit)} 个字符`,
  minItems: (p) => `至少选择 ${String(p.limit)} 项`,
  maxItems: (p) => `最多 ${String(p.limit)} 项`,
  uniqueItems: (p) => `与第 ${String(Math.min(Number(p.i), Number(p.j)) + 1)} 项重复`,
  format: (p) => `必须是${formatNamesZh[String(p.format)] ?? `${String(p.format)} 格式`}`,
  pattern: () => '格式不正确',
  additionalProperties: () => '不是已知字段',
  decimalPlaces: (p) => `最多 ${String(p.limit)} 位小数`,
  readOnlyField: () => '由系统生成，不能填写',
  addressLevel: (p) => `地址无效（${String(p.part)}: ${String(p.problem)}）`,
};
