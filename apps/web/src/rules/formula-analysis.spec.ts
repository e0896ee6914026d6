import { describe, expect, it } from 'vitest';
import { analyzeFormula, formulaWithLabels, previewFormula, type FormulaEditorField } from './formula-analysis';
import { diagnosticsOf } from './formula-codemirror';

const FIELDS: FormulaEditorField[] = [
  { key: 'amount', label: '金额', type: 'number', settings: {} },
  { key: 'name', label: '客户名称', type: 'text', settings: {} },
  { key: 'signed', label: 'Signed on', type: 'date', settings: {} },
  {
    key: 'items',
    label: '明细',
    type: 'subform',
    settings: { fields: [{ key: 'qty', label: '数量', type: 'number', required: false, unique: false, settings: {} }] },
  },
];

describe('formula analysis (the same check as the server)', () => {
  it('resolves Chinese labels and types the result', () => {
    const result = analyzeFormula({ text: 'IF({金额} > 1000, "大客户", "普通")', fields: FIELDS });
    expect(result.ok && result.type).toBe('text');
    expect(result.ok && result.dependencies).toEqual(['amount']);
  });

  it('gives the range of a type error to underline', () => {
    const text = '{客户名称} + {Signed on}';
    const result = analyzeFormula({ text, fields: FIELDS });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.code).toBe('FORMULA_TYPE');
    expect(result.problem.to).toBeGreaterThan(result.problem.from);
    expect(text.slice(result.problem.from, result.problem.to).length).toBeGreaterThan(0);
  });

  it('gives the position of a syntax error and of an unknown label', () => {
    const syntax = analyzeFormula({ text: 'SUM(1, ', fields: FIELDS });
    expect(!syntax.ok && syntax.problem.code).toBe('FORMULA_PARSE');
    const unknown = analyzeFormula({ text: '1 + {没有}', fields: FIELDS });
    expect(!unknown.ok && unknown.problem.code).toBe('FORMULA_UNKNOWN_FIELD');
    expect(!unknown.ok && unknown.problem.from).toBe(4);
  });

  it('previews on sample values typed as text, subform columns comma separated', () => {
    const a = analyzeFormula({ text: '{金额} * 2 + SUM({明细}.{数量})', fields: FIELDS });
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(previewFormula({ ast: a.ast, fields: FIELDS, samples: { amount: '10.5', 'items.qty': '1, 2，3' } })).toEqual({ ok: true, value: 27 });
    const division = analyzeFormula({ text: '1 / {金额}', fields: FIELDS });
    expect(division.ok && previewFormula({ ast: division.ast, fields: FIELDS, samples: { amount: '0' } }).ok).toBe(false);
  });

  it('underlines at least one character, also at the end of the text', () => {
    expect(diagnosticsOf([{ code: 'X', message: 'm', from: 7, to: 7 }], 7)).toEqual([{ from: 6, to: 7, severity: 'error', message: 'm', source: 'X' }]);
    expect(diagnosticsOf([{ code: 'X', message: 'm', from: 2, to: 40 }], 5)[0]).toMatchObject({ from: 2, to: 5 });
  });
});

describe('formulaWithLabels (what the editor shows of a stored formula)', () => {
  it('shows the canonical text the server stores with labels, columns too', () => {
    expect(formulaWithLabels({ text: 'IF(amount > 1000, name, "x")', fields: FIELDS })).toBe('IF({金额} > 1000, {客户名称}, "x")');
    expect(formulaWithLabels({ text: 'SUM(items.qty) * amount', fields: FIELDS })).toBe('SUM({明细}.{数量}) * {金额}');
  });
  it('leaves text typed with labels, unknown keys and broken text as they are', () => {
    expect(formulaWithLabels({ text: '{金额}  *  2', fields: FIELDS })).toBe('{金额}  *  2');
    expect(formulaWithLabels({ text: 'amount * (', fields: FIELDS })).toBe('amount * (');
    expect(formulaWithLabels({ text: '', fields: FIELDS })).toBe('');
    expect(formulaWithLabels({ text: 'gone * 2', fields: FIELDS })).toBe('gone * 2');
  });
});
