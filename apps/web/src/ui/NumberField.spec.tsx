// @vitest-environment happy-dom
import Form from '@rjsf/antd';
import { getDecimalSeparator, type RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decimalSeparator, NumberField } from './NumberField';
import { stubMatchMedia } from '../testing/match-media';

const SCHEMA: RJSFSchema = { type: 'object', properties: { amount: { type: 'number', title: 'Amount' } } };

beforeAll(() => {
  stubMatchMedia();
});
afterEach(cleanup);

describe('NumberField', () => {
  it('gives the separator rjsf computes, and computes it once per languages list', () => {
    const format = vi.spyOn(Intl, 'NumberFormat');
    expect(decimalSeparator()).toBe(getDecimalSeparator());
    format.mockClear();
    for (let i = 0; i < 5; i++) decimalSeparator();
    expect(format).not.toHaveBeenCalled();
    format.mockRestore();
  });

  // A text input shows what was typed (antd's InputNumber formats on its own).
  it('keeps a trailing "." in a text input while the form data holds the number', () => {
    const onChange = vi.fn();
    render(
      <Form
        schema={SCHEMA}
        uiSchema={{ amount: { 'ui:widget': 'text', 'ui:options': { inputType: 'text' } } }}
        validator={validator}
        fields={{ NumberField }}
        onChange={(e) => onChange(e.formData)}
      />,
    );
    const input = screen.getByLabelText('Amount') as HTMLInputElement;
    act(() => void fireEvent.change(input, { target: { value: '12.' } }));
    expect(onChange).toHaveBeenLastCalledWith({ amount: 12 });
    expect(input.value).toBe('12.');
    act(() => void fireEvent.change(input, { target: { value: '12.5' } }));
    expect(onChange).toHaveBeenLastCalledWith({ amount: 12.5 });
    expect(input.value).toBe('12.5');
  });
});
