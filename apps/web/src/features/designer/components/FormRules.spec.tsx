// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../../../i18n/i18n';
import { stateFromDocument } from '../model/design-state';
import { DesignStore, DesignStoreContext } from '../model/design-store';
import { FormRules } from './FormRules';

function setup() {
  const store = new DesignStore(
    stateFromDocument({
      fields: [{ key: 'price', label: 'Price', type: 'number' }],
      form: { validations: [{ id: 'v1', message: { en: '', 'zh-CN': '' } }] },
    }),
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <DesignStoreContext.Provider value={store}>
        <FormRules />
      </DesignStoreContext.Provider>
    </QueryClientProvider>,
  );
  return store;
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(cleanup);

describe('FormRules', () => {
  it('edits a validation message into the draft in both languages', () => {
    const store = setup();
    fireEvent.change(screen.getByLabelText('Message (English)'), { target: { value: 'Too cheap' } });
    fireEvent.change(screen.getByLabelText('Message (Chinese)'), { target: { value: '太便宜' } });
    expect(store.get().rest.validations[0]!.message).toEqual({ en: 'Too cheap', 'zh-CN': '太便宜' });
  });

  it("shows the server's problems of a validation in its card until the admin changes it", () => {
    const store = setup();
    act(() =>
      store.setProblems([
        { path: '/form/validations/0', code: 'invalid_value', message: 'give exactly one of condition and formula' },
        { path: '/form/validations/0/message', code: 'required', message: 'give the text' },
      ]),
    );
    expect(screen.getByRole('alert').textContent).toContain('give exactly one of condition and formula');
    fireEvent.change(screen.getByLabelText('Message (English)'), { target: { value: 'Too cheap' } });
    expect(screen.queryAllByRole('alert')).toEqual([]);
  });
});
