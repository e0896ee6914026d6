import { Card, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ConditionBuilder, FormulaEditor } from '../../../rules';
import { ErrorState, LoadingState } from '../../../ui/states';
import { useEntities } from '../../apps/hooks/apps.queries';

/**
 * 公式与条件试算 (app admins): write a formula or a condition against an entity's fields and
 * see the server's check and a result on sample values, before putting it into a form or a
 * permission group. The same editors the designers use.
 */
export function FormulaTesterPage() {
  const { t } = useTranslation();
  const { appId = '', entityId } = useParams();
  const navigate = useNavigate();
  const entities = useEntities(appId);
  const entity = entities.data?.find((e) => String(e.id) === entityId) ?? entities.data?.[0];
  const [formula, setFormula] = useState('');
  const [condition, setCondition] = useState<unknown>(null);
  if (entities.isPending) return <LoadingState />;
  if (entities.isError) return <ErrorState error={entities.error} onRetry={() => void entities.refetch()} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 1000 }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('rules.tester.title')}
      </Typography.Title>
      <Space>
        <label htmlFor="tester-entity">{t('perm.entity')}</label>
        <Select
          id="tester-entity"
          style={{ minWidth: 220 }}
          value={entity ? String(entity.id) : undefined}
          onChange={(id) => navigate(`/apps/${appId}/rules/${id}`)}
          options={(entities.data ?? []).map((e) => ({ value: String(e.id), label: e.name }))}
        />
      </Space>
      {entity && (
        <>
          <Card title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('rules.tester.formula')}</h2>}>
            <FormulaEditor key={`f-${entity.id}`} value={formula} onChange={setFormula} fields={entity.fields} aria-label={t('rules.tester.formula')} />
          </Card>
          <Card title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('rules.tester.condition')}</h2>}>
            <ConditionBuilder
              key={`c-${entity.id}`}
              fields={entity.fields}
              value={condition}
              onChange={setCondition}
              aria-label={t('rules.tester.condition')}
            />
            <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
              <label htmlFor="tester-json">{t('rules.tester.json')}</label>
            </Typography.Paragraph>
            <pre id="tester-json" data-testid="condition-json" style={{ whiteSpace: 'pre-wrap', fontSize: 12, margin: 0 }}>
              {condition === null ? '—' : JSON.stringify(condition)}
            </pre>
          </Card>
        </>
      )}
    </Space>
  );
}
