import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { LocalizedText, SubmitValidation } from '@crm/forms';
import { Alert, Button, Card, Form, Input, Select, Typography } from 'antd';
import { memo, useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { updateRest } from '../model/design-ops';
import { newId } from '../model/design-state';
import { problemAt, useDesign, useDesignStore, useProblems } from '../model/design-store';
import { ConditionRow, FormulaRow, RuleItem, useFormFields } from './RuleEditors';

const textIn = (text: LocalizedText | undefined, lang: 'en' | 'zh-CN') => (typeof text === 'string' ? text : (text?.[lang] ?? ''));

/**
 * 校验规则: the form-level rules checked on submit (a condition that must hold, or a formula that
 * must be true), each with its message in zh-CN and en and the field it is shown next to.
 */
export const FormRules = memo(function FormRules() {
  const { t } = useTranslation();
  const store = useDesignStore();
  const validations = useDesign((s) => s.rest.validations);
  const fields = useFormFields();
  const problems = useProblems();
  const set = useCallback(
    (next: SubmitValidation[], coalesce?: string) => {
      // The server's problems were about the validations as they were.
      store.clearProblems('/form/validations');
      store.apply((s) => updateRest(s, { validations: next }), coalesce);
    },
    [store],
  );
  const change = (id: string, patch: Partial<SubmitValidation>, coalesce?: string) =>
    set(
      validations.map((v) => (v.id === id ? { ...v, ...patch } : v)),
      coalesce,
    );
  return (
    <Form layout="vertical" component="div">
      <Typography.Title level={2} style={{ fontSize: 15 }}>
        {t('designer.validations')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('designer.validationsHelp')}</Typography.Paragraph>
      {validations.map((v, i) => {
        const n = i + 1;
        const problem = problemAt(problems, `/form/validations/${i}`);
        const message = (lang: 'en' | 'zh-CN', text: string) => {
          const next = { en: textIn(v.message, 'en'), 'zh-CN': textIn(v.message, 'zh-CN'), [lang]: text };
          change(v.id, { message: next }, `vmsg:${v.id}:${lang}`);
        };
        return (
          <Card
            key={v.id}
            size="small"
            role="group"
            aria-label={t('designer.validationN', { n })}
            title={t('designer.validationN', { n })}
            extra={
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('designer.removeValidation', { n })}
                onClick={() => set(validations.filter((x) => x.id !== v.id))}
              />
            }
            style={{ marginBottom: 12 }}
          >
            {v.formula !== undefined ? (
              <FormulaRow
                label={t('designer.validationFormula')}
                value={v.formula}
                fields={fields}
                problem={problem}
                onChange={(formula) => change(v.id, { formula })}
              />
            ) : (
              <ConditionRow
                label={t('designer.validationCondition')}
                help={t('designer.validationConditionHelp')}
                value={v.condition}
                problem={problem?.path.startsWith('/condition') ? { path: problem.path.slice('/condition'.length), message: problem.message } : undefined}
                fields={fields}
                onChange={(condition) => change(v.id, { condition })}
              />
            )}
            {problem && !problem.path.startsWith('/condition') && (
              <Alert type="error" showIcon role="alert" title={problem.message} style={{ marginBottom: 12 }} />
            )}
            <RuleItem label={t('designer.validationMessageZh')}>
              {(id) => <Input id={id} value={textIn(v.message, 'zh-CN')} onChange={(e) => message('zh-CN', e.target.value)} />}
            </RuleItem>
            <RuleItem label={t('designer.validationMessageEn')}>
              {(id) => <Input id={id} value={textIn(v.message, 'en')} onChange={(e) => message('en', e.target.value)} />}
            </RuleItem>
            <RuleItem label={t('designer.validationField')}>
              {(id) => (
                <Select
                  id={id}
                  aria-label={t('designer.validationField')}
                  allowClear
                  value={v.field}
                  placeholder={t('designer.validationWholeForm')}
                  options={fields.map((f) => ({ value: f.key, label: f.label }))}
                  onChange={(field: string | undefined) => change(v.id, { field })}
                  style={{ width: '100%' }}
                />
              )}
            </RuleItem>
          </Card>
        );
      })}
      <Button icon={<PlusOutlined />} onClick={() => set([...validations, { id: newId('rule'), message: { en: '', 'zh-CN': '' } }])}>
        {t('designer.addValidation')}
      </Button>
    </Form>
  );
});
