// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../../i18n/i18n';
import { LinkageEditor } from './RuleEditors';

const ENTITIES = [
  {
    id: '7',
    name: 'Customers',
    fields: [
      { key: 'code', label: 'Code', type: 'text' },
      { key: 'region', label: 'Region', type: 'text' },
      { key: 'discount', label: 'Discount', type: 'number' },
    ],
  },
];
const FORM_FIELDS = [
  { key: 'customer_code', label: 'Customer code', type: 'text' as const },
  { key: 'area', label: 'Area', type: 'text' as const },
];

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(cleanup);

describe('LinkageEditor', () => {
  const value = {
    kind: 'linkage' as const,
    entityId: '7',
    condition: { and: [{ '==': [{ var: 'code' }, '$form.customer_code'] }, { '==': [{ var: 'region' }, '$form.area'] }] },
    valueField: 'discount',
  };

  it('shows the match pairs and the copied field, and removes a pair into the stored json-logic', () => {
    const onChange = vi.fn();
    render(<LinkageEditor value={value} onChange={onChange} entities={ENTITIES} formFields={FORM_FIELDS} />);
    expect(screen.getByRole('group', { name: 'Data linkage' }).textContent).toContain('Customers');
    expect(screen.getByLabelText('Source field 2')).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Data linkage' }).textContent).toContain('Discount');
    fireEvent.click(screen.getByRole('button', { name: 'Remove match 1' }));
    expect(onChange).toHaveBeenCalledWith({ ...value, condition: { '==': [{ var: 'region' }, '$form.area'] } });
  });

  it('keeps a hand-written condition as it is and says so', () => {
    render(
      <LinkageEditor value={{ ...value, condition: { '>': [{ var: 'discount' }, 3] } }} onChange={vi.fn()} entities={ENTITIES} formFields={FORM_FIELDS} />,
    );
    screen.getByText('This condition was written by hand; it is kept as it is.');
    expect(screen.queryByRole('button', { name: 'Add a match' })).toBeNull();
  });
});
