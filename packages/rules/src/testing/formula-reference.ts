/* Renders the function part of docs/formula-reference.md from the registry (checked by a test). */
import { FORMULA_FUNCTIONS, type FormulaFunctionCategory } from '../formula/functions';

export const REFERENCE_START =
  '<!-- functions:start (generated from FORMULA_FUNCTIONS; UPDATE_FORMULA_REFERENCE=1 npx vitest run --config packages/rules/vitest.config.mts formula-reference) -->';
export const REFERENCE_END = '<!-- functions:end -->';

const CATEGORIES: Record<FormulaFunctionCategory, string> = {
  logic: 'Logic · 逻辑',
  text: 'Text · 文本',
  math: 'Math · 数学',
  date: 'Dates · 日期',
};

function literal(value: unknown): string {
  return JSON.stringify(value).replace(/\|/g, '\\|');
}

export function formulaReferenceMarkdown(): string {
  const lines: string[] = [
    REFERENCE_START,
    '',
    'Examples are evaluated at 2026-03-18T10:00:00Z (for TODAY and NOW). 示例的计算时间为 2026-03-18T10:00:00Z（影响 TODAY 和 NOW）。',
    '',
  ];
  for (const [category, title] of Object.entries(CATEGORIES)) {
    lines.push(`## ${title}`, '');
    for (const info of FORMULA_FUNCTIONS.filter((f) => f.category === category)) {
      lines.push(`### ${info.name}`, '');
      lines.push(`- **en** \`${info.signature.en}\` — ${info.description.en}`);
      lines.push(`- **中文** \`${info.signature['zh-CN']}\` — ${info.description['zh-CN']}`, '');
      lines.push('| Example · 示例 | Field values · 字段值 | Result · 结果 |', '|---|---|---|');
      for (const example of info.examples) {
        const values = example.values === undefined ? '' : `\`${literal(example.values)}\``;
        lines.push(`| \`${example.formula.replace(/\|/g, '\\|')}\` | ${values} | \`${literal(example.result)}\` |`);
      }
      lines.push('');
    }
  }
  lines.push(REFERENCE_END);
  return lines.join('\n');
}
