import type { FieldDefinition } from '@crm/schema';
import { describe, expect, it } from 'vitest';
import { columnTotals, computeRows, rowPlanOf, totalledChildren, withoutComputed } from './subform-rows';

const children: FieldDefinition[] = [
  { key: 'item', label: 'Item', type: 'text', settings: {} },
  { key: 'qty', label: 'Qty', type: 'number', settings: {} },
  { key: 'price', label: 'Price', type: 'money', settings: { precision: 2 } },
  { key: 'amount', label: 'Amount', type: 'formula', settings: { expression: 'qty * price', resultType: 'number', precision: 2 } },
];
const lines: FieldDefinition = { key: 'lines', label: 'Lines', type: 'subform', settings: { fields: children, maxRows: 50 } };

describe('subform rows', () => {
  it('computes each row formula with the shared rules package, leaving the input alone', () => {
    const typed = [
      { item: 'a', qty: 2, price: 3.5 },
      { item: 'b', qty: 1 },
    ];
    const rows = computeRows({ field: lines, plan: rowPlanOf(lines), rows: typed });
    expect(rows[0].amount).toBe(7);
    // An empty cell counts as 0, as on the server.
    expect(rows[1].amount).toBe(0);
    expect(typed[0]).not.toHaveProperty('amount');
  });

  it('has no plan without formulas, or with a formula that does not parse yet', () => {
    expect(rowPlanOf({ ...lines, settings: { fields: children.slice(0, 3) } })).toBeNull();
    const broken = { ...lines, settings: { fields: [...children.slice(0, 3), { ...children[3], settings: { expression: 'qty * (' } }] } };
    expect(rowPlanOf(broken)).toBeNull();
  });

  it('totals number, money and numeric formula columns, decimal strings included, empty cells skipped', () => {
    expect(totalledChildren(children).map((c) => c.key)).toEqual(['qty', 'price', 'amount']);
    const totals = columnTotals({ children, rows: [{ qty: 1, price: '0.1', amount: 0.1 }, { qty: 2, price: 0.2, amount: null }, { qty: '' }] });
    expect(totals).toEqual({ qty: 3, price: 0.3, amount: 0.1 });
  });

  it('sends only typed columns: the server computes formulas itself', () => {
    expect(withoutComputed({ children, rows: [{ item: 'a', qty: 1, amount: 5 }] })).toEqual([{ item: 'a', qty: 1 }]);
  });
});
