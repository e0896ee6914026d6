import type { Message, RowErrorCode } from './types';

type P = Record<string, string>;
type Template = { en: (p: P) => string; 'zh-CN': (p: P) => string };

const range = (p: P, zh: boolean): string => {
  if (p.min && p.max) return zh ? `应在 ${p.min} 到 ${p.max} 之间` : `must be between ${p.min} and ${p.max}`;
  if (p.min) return zh ? `不能小于 ${p.min}` : `must be at least ${p.min}`;
  return zh ? `不能大于 ${p.max}` : `must be at most ${p.max}`;
};

/** Messages of row errors; `field` is the column's target label, `value` the cell. */
const TEMPLATES: Record<RowErrorCode, Template> = {
  required: { en: (p) => `${p.field} is required`, 'zh-CN': (p) => `${p.field}不能为空` },
  too_long: { en: (p) => `${p.field} is longer than ${p.max} characters`, 'zh-CN': (p) => `${p.field}超过 ${p.max} 个字符` },
  invalid_number: {
    en: (p) => (p.reason === 'currency' ? `${p.field}: "${p.value}" is not in ${p.currency}` : `${p.field}: "${p.value}" is not a number`),
    'zh-CN': (p) => (p.reason === 'currency' ? `${p.field}：“${p.value}”的币种不是 ${p.currency}` : `${p.field}：“${p.value}”不是数字`),
  },
  too_many_decimals: {
    en: (p) => `${p.field}: "${p.value}" has more than ${p.precision} decimal places`,
    'zh-CN': (p) => `${p.field}：“${p.value}”的小数位超过 ${p.precision} 位`,
  },
  out_of_range: { en: (p) => `${p.field}: "${p.value}" ${range(p, false)}`, 'zh-CN': (p) => `${p.field}：“${p.value}”${range(p, true)}` },
  decimal_comma: {
    en: (p) => `${p.field}: "${p.value}" uses a decimal comma; choose the number format 1.234,5 for this file`,
    'zh-CN': (p) => `${p.field}：“${p.value}”使用逗号作小数点，请为此文件选择数字格式 1.234,5`,
  },
  invalid_date: {
    en: (p) => `${p.field}: "${p.value}" is not a date (use YYYY-MM-DD, YYYY/MM/DD, the chosen day/month order, or an Excel date)`,
    'zh-CN': (p) => `${p.field}：“${p.value}”不是有效日期（请使用 YYYY-MM-DD、YYYY/MM/DD、所选的日月顺序或 Excel 日期）`,
  },
  ambiguous_date: {
    en: (p) => `${p.field}: "${p.value}" could be MM/DD/YYYY or DD/MM/YYYY; choose the date format of this file`,
    'zh-CN': (p) => `${p.field}：“${p.value}”可能是 月/日/年 或 日/月/年，请选择此文件的日期格式`,
  },
  invalid_datetime: { en: (p) => `${p.field}: "${p.value}" is not a date and time`, 'zh-CN': (p) => `${p.field}：“${p.value}”不是有效的日期时间` },
  invalid_switch: {
    en: (p) => `${p.field}: "${p.value}" is not yes or no (use 是/否, yes/no, true/false, 1/0)`,
    'zh-CN': (p) => `${p.field}：“${p.value}”不是“是/否”（可用 是/否、yes/no、true/false、1/0）`,
  },
  invalid_email: { en: (p) => `${p.field}: "${p.value}" is not an email address`, 'zh-CN': (p) => `${p.field}：“${p.value}”不是有效的邮箱地址` },
  invalid_phone: { en: (p) => `${p.field}: "${p.value}" is not a phone number`, 'zh-CN': (p) => `${p.field}：“${p.value}”不是有效的电话号码` },
  invalid_url: { en: (p) => `${p.field}: "${p.value}" is not an http(s) link`, 'zh-CN': (p) => `${p.field}：“${p.value}”不是有效的 http(s) 链接` },
  invalid_rating: {
    en: (p) => `${p.field}: "${p.value}" is not a rating from 1 to ${p.max} (a whole number or that many ★)`,
    'zh-CN': (p) => `${p.field}：“${p.value}”不是 1 到 ${p.max} 的评分（请填整数或相应个数的 ★）`,
  },
  invalid_address: {
    en: (p) => `${p.field}: "${p.value}" is not an address of the region list (no ${p.level} matched; write e.g. 广东省深圳市南山区 科技园)`,
    'zh-CN': (p) =>
      `${p.field}：“${p.value}”不是有效地址（未能识别${p.level === 'province' ? '省份' : p.level === 'city' ? '城市' : p.level === 'district' ? '区县' : '详细地址'}；示例：广东省深圳市南山区 科技园）`,
  },
  invalid_location: {
    en: (p) => `${p.field}: "${p.value}" is not a location (write latitude,longitude then an optional label, e.g. 22.54,114.06 深圳湾)`,
    'zh-CN': (p) => `${p.field}：“${p.value}”不是有效定位（请写 纬度,经度 和可选的名称，如 22.54,114.06 深圳湾）`,
  },
  unmatched_option: { en: (p) => `${p.field}: "${p.value}" is not one of the options`, 'zh-CN': (p) => `${p.field}：“${p.value}”不在选项中` },
  unmatched_member: {
    en: (p) => `${p.field}: no member is called or has the email "${p.value}"`,
    'zh-CN': (p) => `${p.field}：找不到姓名或邮箱为“${p.value}”的成员`,
  },
  unmatched_department: { en: (p) => `${p.field}: no department is called "${p.value}"`, 'zh-CN': (p) => `${p.field}：找不到名为“${p.value}”的部门` },
  unmatched_record: { en: (p) => `${p.field}: no record matches "${p.value}"`, 'zh-CN': (p) => `${p.field}：找不到与“${p.value}”匹配的记录` },
  ambiguous_member: {
    en: (p) => `${p.field}: several members match "${p.value}" (${p.candidates}); use the email`,
    'zh-CN': (p) => `${p.field}：有多个成员与“${p.value}”匹配（${p.candidates}），请填写邮箱`,
  },
  ambiguous_department: {
    en: (p) => `${p.field}: several departments are called "${p.value}" (${p.candidates}); write the path, e.g. Head office/Sales`,
    'zh-CN': (p) => `${p.field}：有多个部门名为“${p.value}”（${p.candidates}），请填写完整路径，如 总部/销售部`,
  },
  ambiguous_record: {
    en: (p) => `${p.field}: several records match "${p.value}" (${p.candidates})`,
    'zh-CN': (p) => `${p.field}：有多条记录与“${p.value}”匹配（${p.candidates}）`,
  },
  too_many_values: { en: (p) => `${p.field} holds more than ${p.max} values`, 'zh-CN': (p) => `${p.field}的值超过 ${p.max} 个` },
  too_few_values: { en: (p) => `${p.field} needs at least ${p.min} values`, 'zh-CN': (p) => `${p.field}至少需要 ${p.min} 个值` },
  duplicate_in_file: {
    en: (p) => `${p.field}: "${p.value}" is already used by row ${p.row} of this file`,
    'zh-CN': (p) => `${p.field}：“${p.value}”与本文件第 ${p.row} 行重复`,
  },
  unique_exists: { en: (p) => `${p.field}: "${p.value}" is already used by record #${p.id}`, 'zh-CN': (p) => `${p.field}：“${p.value}”已被记录 #${p.id} 使用` },
  link_target_missing: {
    en: (p) => `${p.field}: the row "${p.value}" it points to was not imported; the record was imported without this link`,
    'zh-CN': (p) => `${p.field}：所指向的“${p.value}”所在行未导入，本记录已导入但未关联`,
  },
  invalid_value: { en: (p) => `${p.field}: ${p.detail || `"${p.value}" is not valid`}`, 'zh-CN': (p) => `${p.field}：${p.detailZh || `“${p.value}”无效`}` },
  skipped_by_mapping: {
    en: (p) => `Left out: "${p.value}" in ${p.field} was set to be left out`,
    'zh-CN': (p) => `已跳过：${p.field}中的“${p.value}”被设置为不导入此行`,
  },
};

/** A row error's message in both languages. */
export function rowMessage(code: RowErrorCode, params: P): Message {
  const t = TEMPLATES[code];
  return { en: t.en(params), 'zh-CN': t['zh-CN'](params) };
}
