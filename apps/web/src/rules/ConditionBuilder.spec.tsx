// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/i18n';
import { ConditionBuilder } from './ConditionBuilder';
import type { ConditionField } from './condition-model';
import { stubMatchMedia } from '../testing/match-media';

const FIELDS: ConditionField[] = [
  { key: 'name', label: '客户名称', type: 'text' },
  { key: 'amount', label: '金额', type: 'number' },
];

function renderBuilder(value: unknown, onChange = vi.fn(), problem?: { path: string; message: string }) {
  const client = new QueryClient();
  render(
    <QueryClientProvider client={client}>
      <ConditionBuilder fields={FIELDS} value={value} onChange={onChange} problem={problem} aria-label="Row scope" />
    </QueryClientProvider>,
  );
  return onChange;
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
  stubMatchMedia();
});
afterEach(cleanup);

describe('ConditionBuilder', () => {
  it('shows each rule with labelled controls and writes the json-logic back when one is removed', () => {
    const onChange = renderBuilder({ and: [{ '==': [{ var: 'name' }, 'Acme'] }, { '>': [{ var: 'amount' }, 10] }] });
    expect(screen.getByRole('group', { name: 'Condition 1' })).toBeTruthy();
    expect((screen.getByLabelText('Value of condition 1') as HTMLInputElement).value).toBe('Acme');
    fireEvent.click(screen.getByRole('button', { name: 'Remove condition 1' }));
    expect(onChange).toHaveBeenLastCalledWith({ '>': [{ var: 'amount' }, 10] });
  });

  it('edits a value and emits the new condition', () => {
    const onChange = renderBuilder({ '==': [{ var: 'name' }, 'Acme'] });
    fireEvent.change(screen.getByLabelText('Value of condition 1'), { target: { value: 'Beta' } });
    expect(onChange).toHaveBeenLastCalledWith({ '==': [{ var: 'name' }, 'Beta'] });
  });

  it('keeps a condition it cannot show, as JSON, untouched', () => {
    const odd = { '!': { and: [{ '==': [{ var: 'name' }, 'x'] }] } };
    const onChange = renderBuilder(odd);
    const box = screen.getByLabelText('Condition as json-logic') as HTMLTextAreaElement;
    expect(JSON.parse(box.value)).toEqual(odd);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('shows a server problem beside the rule its pointer names', () => {
    renderBuilder({ and: [{ '==': [{ var: 'name' }, 'Acme'] }, { '>': [{ var: 'amount' }, 10] }] }, vi.fn(), { path: '/and/1/>/1', message: 'bad amount' });
    const value = screen.getByLabelText('Value of condition 2');
    expect(value.closest('.ant-input-number')?.className).toContain('status-error');
    expect(screen.getByRole('alert').textContent).toContain('bad amount');
  });
});
