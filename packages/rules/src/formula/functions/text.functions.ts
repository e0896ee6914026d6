import { FORMULA_LIMITS } from '../limits';
import {
  charge,
  checkListLength,
  checkTextLength,
  FormulaFault,
  invalid,
  itemsOf,
  toInteger,
  toText,
  type EvaluationContext,
  type RuntimeValue,
} from '../runtime';
import { formatValue } from '../text-format';
import { findOccurrences } from '../text-search';
import type { FormulaFunctionDefinition } from './definition';

const INFINITE = Number.POSITIVE_INFINITY;

/** Text argument split into Unicode code points (positions count characters, not UTF-16 units). */
function codePoints(context: EvaluationContext, value: unknown): string[] | FormulaFault {
  const text = toText(value);
  if (text instanceof FormulaFault) return text;
  checkTextLength(context, text.length);
  return Array.from(text);
}

function textArg(context: EvaluationContext, value: unknown): string | FormulaFault {
  const text = toText(value);
  if (text instanceof FormulaFault) return text;
  checkTextLength(context, text.length);
  return text;
}

/** A count or position argument: a whole number ≥ `min` (decimals are truncated). */
function countArg(value: unknown, min: number, what: string): number | FormulaFault {
  const count = toInteger(value);
  if (count instanceof FormulaFault) return count;
  return count < min ? invalid(`${what} must be at least ${min}`) : count;
}

/** Lower case per code point, keeping a character whose lower case has another UTF-16 length. */
function foldCase(text: string): string {
  let folded = '';
  for (const char of text) {
    const lower = char.toLowerCase();
    folded += lower.length === char.length ? lower : char;
  }
  return folded;
}

/** Position (from 1, in code points) of `find` in `within` at or after `start`; 0 when absent. */
function search(context: EvaluationContext, find: string, within: string, start: number): number {
  charge(context, find.length + within.length);
  const haystack = foldCase(within);
  const needle = foldCase(find);
  // UTF-16 offset of code point `start`.
  let offset = 0;
  for (let i = 1; i < start; i += 1) {
    if (offset >= haystack.length) return 0;
    offset += haystack.codePointAt(offset)! > 0xffff ? 2 : 1;
  }
  if (needle.length === 0) return start;
  const [index] = findOccurrences(haystack, needle, offset, 1);
  if (index === undefined) return 0;
  return Array.from(haystack.slice(0, index)).length + 1;
}

function map1(transform: (text: string) => string) {
  return ([value]: readonly unknown[], context: EvaluationContext): RuntimeValue => {
    const text = textArg(context, value);
    if (text instanceof FormulaFault) return text;
    const result = transform(text);
    checkTextLength(context, result.length);
    return result;
  };
}

export const TEXT_FUNCTIONS = {
  CONCATENATE: {
    name: 'CONCATENATE',
    category: 'text',
    params: ['texts'],
    minArgs: 1,
    maxArgs: INFINITE,
    result: 'text',
    implementation: (args, context) => {
      const parts: string[] = [];
      let length = 0;
      for (const item of itemsOf(args)) {
        const text = toText(item);
        if (text instanceof FormulaFault) return text;
        length += text.length;
        if (length > FORMULA_LIMITS.maxTextLength) break;
        parts.push(text);
      }
      checkTextLength(context, length);
      return parts.join('');
    },
    docs: {
      en: {
        signature: 'CONCATENATE(text1, [text2], …)',
        description: 'Joins texts (numbers, dates and lists too: a subform column joins all its rows). Blanks count as "".',
      },
      'zh-CN': {
        signature: 'CONCATENATE(文本1, [文本2], …)',
        description: '把多个文本连接起来（数字、日期和列表也可以：子表单的一列会连接所有行）。空值视为空文本。',
      },
    },
    examples: [
      { formula: 'CONCATENATE("客户：", name)', values: { name: '星河' }, result: '客户：星河' },
      { formula: 'CONCATENATE(items.sku)', values: { items: [{ sku: 'A1' }, { sku: 'B2' }] }, result: 'A1B2' },
    ],
  },
  LEFT: {
    name: 'LEFT',
    category: 'text',
    params: ['text', 'number'],
    minArgs: 1,
    maxArgs: 2,
    result: 'text',
    implementation: ([value, count = 1], context) => {
      const chars = codePoints(context, value);
      if (chars instanceof FormulaFault) return chars;
      const n = countArg(count, 0, 'The number of characters');
      return n instanceof FormulaFault ? n : chars.slice(0, n).join('');
    },
    docs: {
      en: { signature: 'LEFT(text, [count])', description: 'The first count characters of the text (1 when omitted).' },
      'zh-CN': { signature: 'LEFT(文本, [字符数])', description: '返回文本开头的若干个字符（省略时为 1 个）。' },
    },
    examples: [{ formula: 'LEFT("客户名称", 2)', result: '客户' }],
  },
  RIGHT: {
    name: 'RIGHT',
    category: 'text',
    params: ['text', 'number'],
    minArgs: 1,
    maxArgs: 2,
    result: 'text',
    implementation: ([value, count = 1], context) => {
      const chars = codePoints(context, value);
      if (chars instanceof FormulaFault) return chars;
      const n = countArg(count, 0, 'The number of characters');
      return n instanceof FormulaFault ? n : chars.slice(Math.max(0, chars.length - n)).join('');
    },
    docs: {
      en: { signature: 'RIGHT(text, [count])', description: 'The last count characters of the text (1 when omitted).' },
      'zh-CN': { signature: 'RIGHT(文本, [字符数])', description: '返回文本末尾的若干个字符（省略时为 1 个）。' },
    },
    examples: [{ formula: 'RIGHT("13800138000", 4)', result: '8000' }],
  },
  MID: {
    name: 'MID',
    category: 'text',
    params: ['text', 'number', 'number'],
    minArgs: 3,
    maxArgs: 3,
    result: 'text',
    implementation: ([value, start, count], context) => {
      const chars = codePoints(context, value);
      if (chars instanceof FormulaFault) return chars;
      const from = countArg(start, 1, 'The start position');
      if (from instanceof FormulaFault) return from;
      const n = countArg(count, 0, 'The number of characters');
      return n instanceof FormulaFault ? n : chars.slice(from - 1, from - 1 + n).join('');
    },
    docs: {
      en: { signature: 'MID(text, start, count)', description: 'count characters of the text from position start (the first character is 1).' },
      'zh-CN': { signature: 'MID(文本, 开始位置, 字符数)', description: '从开始位置（第一个字符为 1）起返回若干个字符。' },
    },
    examples: [{ formula: 'MID("北京市朝阳区", 4, 3)', result: '朝阳区' }],
  },
  LEN: {
    name: 'LEN',
    category: 'text',
    params: ['text'],
    minArgs: 1,
    maxArgs: 1,
    result: 'number',
    implementation: ([value], context) => {
      const chars = codePoints(context, value);
      return chars instanceof FormulaFault ? chars : chars.length;
    },
    docs: {
      en: { signature: 'LEN(text)', description: 'Number of characters (a Chinese character or an emoji counts as one; blank is 0).' },
      'zh-CN': { signature: 'LEN(文本)', description: '文本的字符数（一个汉字或表情符号算一个；空值为 0）。' },
    },
    examples: [
      { formula: 'LEN("客户")', result: 2 },
      { formula: 'LEN(note)', values: { note: null }, result: 0 },
    ],
  },
  UPPER: {
    name: 'UPPER',
    category: 'text',
    params: ['text'],
    minArgs: 1,
    maxArgs: 1,
    result: 'text',
    implementation: map1((text) => text.toUpperCase()),
    docs: {
      en: { signature: 'UPPER(text)', description: 'The text in upper case.' },
      'zh-CN': { signature: 'UPPER(文本)', description: '把文本转为大写。' },
    },
    examples: [{ formula: 'UPPER("crm-2026")', result: 'CRM-2026' }],
  },
  LOWER: {
    name: 'LOWER',
    category: 'text',
    params: ['text'],
    minArgs: 1,
    maxArgs: 1,
    result: 'text',
    implementation: map1((text) => text.toLowerCase()),
    docs: {
      en: { signature: 'LOWER(text)', description: 'The text in lower case.' },
      'zh-CN': { signature: 'LOWER(文本)', description: '把文本转为小写。' },
    },
    examples: [{ formula: 'LOWER("Sales@Example.COM")', result: 'sales@example.com' }],
  },
  TRIM: {
    name: 'TRIM',
    category: 'text',
    params: ['text'],
    minArgs: 1,
    maxArgs: 1,
    result: 'text',
    implementation: map1((text) => text.trim().replace(/ {2,}/g, ' ')),
    docs: {
      en: {
        signature: 'TRIM(text)',
        description: 'Removes spaces (also full-width spaces and line breaks) at both ends and collapses runs of spaces inside to one.',
      },
      'zh-CN': { signature: 'TRIM(文本)', description: '去掉首尾的空白（含全角空格和换行），并把中间连续的空格合并为一个。' },
    },
    examples: [{ formula: 'TRIM("  张三   李四 ")', result: '张三 李四' }],
  },
  TEXT: {
    name: 'TEXT',
    category: 'text',
    params: ['value', 'text'],
    minArgs: 1,
    maxArgs: 2,
    result: 'text',
    implementation: ([value, format], context) => {
      const pattern = format === undefined || format === null ? undefined : toText(format);
      if (pattern instanceof FormulaFault) return pattern;
      const text = formatValue(value, pattern);
      if (typeof text === 'string') checkTextLength(context, text.length);
      return text;
    },
    docs: {
      en: {
        signature: 'TEXT(value, [format])',
        description:
          'A number or date as text. Number formats: 0 (digit), # (optional digit), "," (thousands), "." and "%", e.g. "#,##0.00", "0%", "¥#,##0.00". Date formats: yyyy, yy, MM, M, dd, d, HH, H, mm, m, ss, s (UTC); text in single quotes is copied. Without a format: the plain value.',
      },
      'zh-CN': {
        signature: 'TEXT(值, [格式])',
        description:
          '把数字或日期转为文本。数字格式：0（数字位）、#（可省略的数字位）、“,”（千分位）、“.”和“%”，如 "#,##0.00"、"0%"、"¥#,##0.00"。日期格式：yyyy、yy、MM、M、dd、d、HH、H、mm、m、ss、s（UTC）；单引号中的文字原样输出。省略格式时输出原值。',
      },
    },
    examples: [
      { formula: 'TEXT(1234.5, "#,##0.00")', result: '1,234.50' },
      { formula: 'TEXT(0.256, "0.0%")', result: '25.6%' },
      { formula: 'TEXT(signed_on, "yyyy年M月d日")', values: { signed_on: '2026-03-08' }, result: '2026年3月8日' },
    ],
  },
  SPLIT: {
    name: 'SPLIT',
    category: 'text',
    params: ['text', 'text'],
    minArgs: 2,
    maxArgs: 2,
    result: 'text-list',
    implementation: ([value, separator], context) => {
      const text = textArg(context, value);
      if (text instanceof FormulaFault) return text;
      const by = toText(separator);
      if (by instanceof FormulaFault) return by;
      if (text === '') return [];
      if (by === '') {
        checkListLength(context, Array.from(text).length);
        return Array.from(text);
      }
      // Finds the separators first so a huge split is refused before it is built.
      const cuts = findOccurrences(text, by, 0, FORMULA_LIMITS.maxListLength);
      checkListLength(context, cuts.length + 1);
      return [...cuts, text.length].map((cut, i) => text.slice(i === 0 ? 0 : cuts[i - 1]! + by.length, cut));
    },
    docs: {
      en: {
        signature: 'SPLIT(text, separator)',
        description: 'Splits the text at each separator into a list ("" splits into characters; blank text gives an empty list).',
      },
      'zh-CN': { signature: 'SPLIT(文本, 分隔符)', description: '按分隔符把文本拆成列表（分隔符为空文本时拆成单个字符；空文本得到空列表）。' },
    },
    examples: [
      { formula: 'SPLIT("华东,华南,华北", ",")', result: ['华东', '华南', '华北'] },
      { formula: 'COUNT(SPLIT(tags, ";"))', values: { tags: 'a;b' }, result: 2 },
    ],
  },
  SEARCH: {
    name: 'SEARCH',
    category: 'text',
    params: ['text', 'text', 'number'],
    minArgs: 2,
    maxArgs: 3,
    result: 'number',
    implementation: ([find, within, start = 1], context) => {
      const needle = textArg(context, find);
      if (needle instanceof FormulaFault) return needle;
      const haystack = textArg(context, within);
      if (haystack instanceof FormulaFault) return haystack;
      const from = countArg(start, 1, 'The start position');
      if (from instanceof FormulaFault) return from;
      return search(context, needle, haystack, from);
    },
    docs: {
      en: {
        signature: 'SEARCH(find, within, [start])',
        description: 'Position (from 1) of the first occurrence of find in within at or after start, ignoring letter case; 0 when not found.',
      },
      'zh-CN': {
        signature: 'SEARCH(要查找的文本, 被查找的文本, [开始位置])',
        description: '从开始位置起查找文本首次出现的位置（从 1 起算，不区分大小写）；找不到时返回 0。',
      },
    },
    examples: [
      { formula: 'SEARCH("市", "上海市浦东新区")', result: 3 },
      { formula: 'SEARCH("vip", "Level: VIP")', result: 8 },
      { formula: 'SEARCH("x", "abc")', result: 0 },
    ],
  },
  REPLACE: {
    name: 'REPLACE',
    category: 'text',
    params: ['text', 'number', 'number', 'text'],
    minArgs: 4,
    maxArgs: 4,
    result: 'text',
    implementation: ([value, start, count, replacement], context) => {
      const chars = codePoints(context, value);
      if (chars instanceof FormulaFault) return chars;
      const from = countArg(start, 1, 'The start position');
      if (from instanceof FormulaFault) return from;
      const n = countArg(count, 0, 'The number of characters');
      if (n instanceof FormulaFault) return n;
      const insert = textArg(context, replacement);
      if (insert instanceof FormulaFault) return insert;
      const head = chars.slice(0, from - 1).join('');
      const tail = chars.slice(from - 1 + n).join('');
      checkTextLength(context, head.length + insert.length + tail.length);
      return head + insert + tail;
    },
    docs: {
      en: {
        signature: 'REPLACE(text, start, count, new_text)',
        description: 'Replaces count characters of the text from position start (from 1) with new_text.',
      },
      'zh-CN': { signature: 'REPLACE(文本, 开始位置, 字符数, 新文本)', description: '把文本中从开始位置（从 1 起算）起的若干个字符替换为新文本。' },
    },
    examples: [{ formula: 'REPLACE("13812345678", 4, 4, "****")', result: '138****5678' }],
  },
} satisfies Record<string, FormulaFunctionDefinition>;
