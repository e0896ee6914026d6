// @vitest-environment happy-dom
import type { FieldDefinition } from '@crm/schema';
import type { WidgetProps } from '@rjsf/utils';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../../i18n/i18n';
import { FormWidgetContext } from '../shared/widget-context';
import { SubformWidget } from './SubformWidget';
import { stubMatchMedia } from '../../testing/match-media';

const lines: FieldDefinition = {
  key: 'lines',
  label: 'Lines',
  type: 'subform',
  settings: {
    fields: [
      { key: 'item', label: 'Item', type: 'text', settings: {} },
      { key: 'qty', label: 'Qty', type: 'number', settings: {} },
      { key: 'price', label: 'Price', type: 'money', settings: {} },
      { key: 'amount', label: 'Amount', type: 'formula', settings: { expression: 'qty * price', resultType: 'number', precision: 2 } },
    ],
  },
};

let sent: unknown[] = [];

/** The widget with its value held like rjsf holds it. */
function Harness() {
  const [value, setValue] = useState<unknown>(undefined);
  const props = {
    id: 'root_lines',
    name: 'lines',
    label: 'Lines',
    value,
    schema: { type: 'array', maxItems: 3 },
    onChange: (v: unknown) => {
      sent.push(v);
      setValue(v);
    },
  } as unknown as WidgetProps;
  return (
    <FormWidgetContext.Provider value={{ fields: [lines], values: () => ({}) }}>
      <SubformWidget {...props} />
    </FormWidgetContext.Provider>
  );
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
  stubMatchMedia();
});
afterEach(() => {
  cleanup();
  sent = [];
});

describe('SubformWidget', () => {
  it('adds rows, computes the row formula and the totals as the user types, and sends only typed columns', () => {
    render(<Harness />);
    const add = screen.getByRole('button', { name: 'Add row to Lines' });
    fireEvent.click(add);
    fireEvent.click(add);
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Qty, row 1' }), { target: { value: '3' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Price, row 1' }), { target: { value: '2.5' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Qty, row 2' }), { target: { value: '4' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Price, row 2' }), { target: { value: '1.25' } });
    expect(screen.getByLabelText('Amount, row 1').textContent).toBe('7.5');
    expect(screen.getByLabelText('Total of Amount').textContent).toBe('12.5');
    expect(screen.getByLabelText('Total of Qty').textContent).toBe('7');
    expect(sent.at(-1)).toEqual([
      { qty: 3, price: 2.5 },
      { qty: 4, price: 1.25 },
    ]);
  });

  it('removes a row and stops adding at the maximum', () => {
    render(<Harness />);
    const add = screen.getByRole('button', { name: 'Add row to Lines' });
    for (let i = 0; i < 3; i++) fireEvent.click(add);
    expect((add as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: 'Item, row 2' }), { target: { value: 'keep' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove row 1' }));
    expect(screen.getAllByRole('button', { name: /^Remove row/ })).toHaveLength(2);
    expect((screen.getByRole('textbox', { name: 'Item, row 1' }) as HTMLInputElement).value).toBe('keep');
    expect((add as HTMLButtonElement).disabled).toBe(false);
  });
});
