// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react';
// antd's ES modules on both sides, as in the browser build (in Node, `antd` itself is its CommonJS copy, with contexts of its own).
import FormItem from 'antd/es/form/FormItem';
import Input from 'antd/es/input';
import InputNumber from 'antd/es/input-number';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stubMatchMedia } from '../testing/match-media';
import { FieldItem, FieldItemClassesContext, useFieldItemClasses, type FieldItemProps } from './FieldItem';

beforeAll(() => {
  stubMatchMedia();
});
afterEach(cleanup);

function Classes({ children }: { children: ReactNode }) {
  return <FieldItemClassesContext.Provider value={useFieldItemClasses()}>{children}</FieldItemClassesContext.Provider>;
}

const SPAN_24 = { span: 24 };

/** What rjsf's antd FieldTemplate gives antd's Form.Item, given FieldItem's props. */
function AntdItem({ htmlFor, label, required, help, extra, validateStatus, hasFeedback, children }: FieldItemProps) {
  return (
    <FormItem
      hasFeedback={hasFeedback}
      help={help}
      htmlFor={htmlFor}
      label={label}
      labelCol={SPAN_24}
      required={required}
      validateStatus={validateStatus}
      wrapperCol={SPAN_24}
      extra={extra}
    >
      {children}
    </FormItem>
  );
}

const settle = (ms: number) => act(() => new Promise<void>((done) => setTimeout(done, ms)));

/** The item's markup after each of `nodes` in turn (one mount, then re-renders), each given time for its effects and motion. */
async function html(...nodes: ReactNode[]): Promise<string[]> {
  const { container, rerender } = render(<Classes>{nodes[0]}</Classes>);
  const out: string[] = [];
  for (const [i, node] of nodes.entries()) {
    if (i > 0) rerender(<Classes>{node}</Classes>);
    // ItemHolder measures its margin in a layout effect, and the help list comes in after it.
    await settle(i > 0 ? 1000 : 50);
    out.push(container.innerHTML);
  }
  cleanup();
  return out;
}

const base = {
  htmlFor: 'root_a',
  label: 'Field A',
  required: false,
  help: undefined,
  extra: undefined,
  validateStatus: undefined,
  hasFeedback: true,
} satisfies Omit<FieldItemProps, 'children'>;
const cases: [string, Omit<FieldItemProps, 'children'>][] = [
  ['a plain field', base],
  ['a required field', { ...base, required: true }],
  ['a label with a colon', { ...base, label: 'Notes:' }],
  ['no label', { ...base, label: false }],
  ['help text', { ...base, help: <div className="help-block">Say something</div> }],
  ['an error', { ...base, help: <div id="root_a__error">Required</div>, validateStatus: 'error' }],
  ['a description', { ...base, extra: <span>About it</span> }],
  ['an object field', { ...base, hasFeedback: false }],
];

describe('FieldItem', () => {
  // docs/performance.md: FieldItem stands in for antd's Form.Item in the staff form; it must draw the same.
  it.each(cases)('draws what antd’s Form.Item draws: %s', async (_, props) => {
    for (const input of [<Input.TextArea key="t" id="root_a" rows={4} />, <Input key="i" id="root_a" />, <InputNumber key="n" id="root_a" />]) {
      expect(await html(<FieldItem {...props}>{input}</FieldItem>)).toEqual(await html(<AntdItem {...props}>{input}</AntdItem>));
    }
  });

  it('shows and takes away an error as antd’s Form.Item does', async () => {
    const error = { ...base, help: <div id="root_a__error">Required</div>, validateStatus: 'error' } satisfies Omit<FieldItemProps, 'children'>;
    const states = [base, error, base, { ...base, help: <div className="help-block">Say something</div> }];
    const ours = await html(
      ...states.map((p) => (
        <FieldItem {...p}>
          <Input id="root_a" />
        </FieldItem>
      )),
    );
    const antd = await html(
      ...states.map((p) => (
        <AntdItem {...p}>
          <Input id="root_a" />
        </AntdItem>
      )),
    );
    expect(ours).toEqual(antd);
    expect(ours[1]).toContain('ant-form-item-explain-error');
    // (happy-dom ends no CSS transition: the leaving message stays in both, in its leave state.)
    expect(ours[2]).not.toContain('ant-form-item-has-error');
  });
});
