import { CloseCircleFilled } from '@ant-design/icons';
import { ConfigProvider } from 'antd';
// antd's own modules behind its components (antd has no `exports` map): the same context objects its inputs read.
import { FormItemInputContext, FormItemPrefixContext, type FormItemStatusContextProps } from 'antd/es/form/context';
import ErrorList from 'antd/es/form/ErrorList';
import useFormStyle from 'antd/es/form/style';
import { useColStyle, useRowStyle } from 'antd/es/grid/style';
import { createContext, useContext, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';

/**
 * The class names antd's Form.Item and its grid put on their elements (prefix, hash and CSS-variable
 * classes), worked out once per form by `useFieldItemClasses` at the root.
 */
export interface FieldItemClasses {
  /** `ant-form` */
  form: string;
  /** The Form.Item's own classes after `ant-form-item` (CSS variables, hash). */
  item: string;
  /** `ant-row` and the Row's hash/CSS-variable classes, as the Row orders them. */
  row: (className: string) => string;
  /** `ant-col ant-col-<span> …` as a Col of that span orders them. */
  col: (span: number, className?: string) => string;
  rtl: boolean;
}

export const FieldItemClassesContext = createContext<FieldItemClasses | null>(null);

/** Not all props of antd's Form.Item: what rjsf's antd FieldTemplate passes for an ordinary field. */
export interface FieldItemProps {
  /** The input's id: the label's `for`. */
  htmlFor: string;
  label: ReactNode;
  required?: boolean;
  /** The field's help text, or its errors (as rjsf's antd template picks them). */
  help: ReactNode;
  /** The description below the input. */
  extra: ReactNode;
  validateStatus: 'error' | undefined;
  hasFeedback: boolean;
  children: ReactNode;
}

const renderable = (n: ReactNode) => n !== null && n !== undefined && n !== false && n !== '';
const NO_MESSAGES: ReactNode[] = [];

const visible = (el: HTMLElement | null): boolean => {
  if (!el) return false;
  if (el.offsetParent) return true;
  const { width, height } = el.getBoundingClientRect();
  return !!(width || height);
};

/**
 * antd's `Form.Item` (6.6, form/FormItem/ItemHolder, FormItemLabel, FormItemInput, StatusProvider) for
 * a field without a `name`, as rjsf's antd FieldTemplate uses it, drawing the same elements with the
 * same classes (antd's styles come from its prebuilt CSS) and giving the input the same status context —
 * without the Row, two Cols, the field-form hooks and the style hooks of each item.
 * docs/performance.md: those were about a quarter of a 200-field form's mount. The help and error
 * texts still go through antd's own ErrorList (its show/hide motion), with ItemHolder's margin logic.
 */
export function FieldItem({ htmlFor, label, required, help, extra, validateStatus, hasFeedback, children }: FieldItemProps) {
  const classes = useContext(FieldItemClassesContext)!;
  const prefixCls = classes.form;
  const itemCls = `${prefixCls}-item`;
  const itemRef = useRef<HTMLDivElement>(null);
  const hasHelp = help !== null && help !== undefined;
  const isOnScreen = hasHelp && visible(itemRef.current);
  const [marginBottom, setMarginBottom] = useState<number | null>(null);
  useLayoutEffect(() => {
    if (hasHelp && itemRef.current) setMarginBottom(Number.parseInt(getComputedStyle(itemRef.current).marginBottom, 10));
  }, [hasHelp, isOnScreen]);
  const onErrorVisibleChanged = (nextVisible: boolean) => {
    if (!nextVisible && !hasHelp) setMarginBottom(null);
  };
  const status: '' | 'error' = validateStatus ?? '';

  const extraRef = useRef<HTMLDivElement>(null);
  const [extraHeight, setExtraHeight] = useState(0);
  const hasExtra = renderable(extra);
  useLayoutEffect(() => {
    setExtraHeight(hasExtra && extraRef.current ? extraRef.current.clientHeight : 0);
  }, [extra, hasExtra]);

  const inputContext = useMemo<FormItemStatusContextProps>(
    () => ({
      status,
      errors: NO_MESSAGES,
      warnings: NO_MESSAGES,
      hasFeedback,
      feedbackIcon:
        hasFeedback && status === 'error' ? (
          <span className={`${itemCls}-feedback-icon ${itemCls}-feedback-icon-error`}>
            <CloseCircleFilled />
          </span>
        ) : null,
      isFormItemInput: true,
      name: undefined,
    }),
    [status, hasFeedback, itemCls],
  );
  const prefixContext = useMemo(() => ({ prefixCls, status }), [prefixCls, status]);

  const itemClassName = [
    itemCls,
    classes.item,
    hasHelp && `${itemCls}-with-help`,
    status && hasFeedback && `${itemCls}-has-feedback`,
    status === 'error' && `${itemCls}-has-error`,
    `${itemCls}-horizontal`,
  ]
    .filter(Boolean)
    .join(' ');
  let labelNode: ReactNode = null;
  if (renderable(label)) {
    // antd drops a trailing colon from a string label (it draws its own).
    const text = typeof label === 'string' && label.trim() ? label.replace(/[:：]\s*$/, '') : label;
    labelNode = (
      <div className={classes.col(24, `${itemCls}-label`)}>
        <label htmlFor={htmlFor} className={required ? `${itemCls}-required` : ''} title={typeof label === 'string' ? label : undefined}>
          {text}
        </label>
      </div>
    );
  }
  const errorList =
    marginBottom !== null ? (
      <FormItemPrefixContext.Provider value={prefixContext}>
        <ErrorList
          help={help}
          helpStatus={status}
          errors={NO_MESSAGES}
          warnings={NO_MESSAGES}
          className={`${itemCls}-explain-connected`}
          onVisibleChanged={onErrorVisibleChanged}
        />
      </FormItemPrefixContext.Provider>
    ) : null;
  const extraNode = hasExtra ? (
    <div className={`${itemCls}-extra`} ref={extraRef}>
      {extra}
    </div>
  ) : null;
  return (
    <div className={itemClassName} ref={itemRef}>
      <div className={classes.row(`${itemCls}-row`)}>
        {labelNode}
        <div className={classes.col(24, `${itemCls}-control`)}>
          <div className={`${itemCls}-control-input`}>
            <div className={`${itemCls}-control-input-content`}>
              <FormItemInputContext.Provider value={inputContext}>{children}</FormItemInputContext.Provider>
            </div>
          </div>
          {errorList || extraNode ? (
            <div className={`${itemCls}-additional`} style={marginBottom ? { minHeight: marginBottom + extraHeight } : {}}>
              {errorList}
              {extraNode}
            </div>
          ) : null}
        </div>
      </div>
      {marginBottom ? <div className={`${itemCls}-margin-offset`} style={{ marginBottom: -marginBottom }} /> : null}
    </div>
  );
}

/** The classes for `FieldItem`s, from antd's own style hooks (called once, by the form's root). */
export function useFieldItemClasses(): FieldItemClasses {
  const { getPrefixCls, direction } = useContext(ConfigProvider.ConfigContext);
  const form = getPrefixCls('form');
  const rowPrefix = getPrefixCls('row');
  const colPrefix = getPrefixCls('col');
  const [formHash, formVar] = useFormStyle(form, `${form}-css-var`);
  const [rowHash, rowVar] = useRowStyle(rowPrefix);
  const [colHash, colVar] = useColStyle(colPrefix);
  const rtl = direction === 'rtl';
  return useMemo(() => {
    const join = (...parts: (string | false | undefined)[]) => parts.filter(Boolean).join(' ');
    return {
      form,
      item: join(formVar, `${form}-css-var`, formHash),
      row: (className: string) => join(rowPrefix, rtl && `${rowPrefix}-rtl`, className, rowHash, rowVar),
      col: (span: number, className?: string) => join(colPrefix, `${colPrefix}-${span}`, className, rtl && `${colPrefix}-rtl`, colHash, colVar),
      rtl,
    };
  }, [form, formHash, formVar, rowPrefix, rowHash, rowVar, colPrefix, colHash, colVar, rtl]);
}
