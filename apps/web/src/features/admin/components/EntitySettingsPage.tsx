import { Alert, App as AntdApp, Button, Card, Form, InputNumber, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useProblemForm } from '../../../ui/useProblemForm';
import { ErrorState, LoadingState } from '../../../ui/states';
import type { Entity } from '../../apps/api/apps.api';
import { useEntity, useUpdateEntity } from '../../apps/hooks/apps.queries';
import { PublicLinkCard } from './PublicLinkCard';

interface Values {
  displayField: string | null;
  sortField: string | null;
  sortDirection: 'asc' | 'desc';
  recycleRetentionDays: number | null;
}

const FIELDS = ['displayField', 'defaultSort', 'recycleRetentionDays'] as const;
/** Types a list can be sorted by (scalar columns); the server checks again. */
const SORTABLE = new Set(['text', 'number', 'money', 'date', 'datetime', 'switch', 'radio', 'select', 'email', 'phone', 'url', 'serial', 'rating']);

/** `-amount` ⇄ field + direction (the form edits the first key of the sort). */
function splitSort(sort: string | null | undefined): Pick<Values, 'sortField' | 'sortDirection'> {
  const first = (sort ?? '').split(',')[0]?.trim();
  if (!first) return { sortField: null, sortDirection: 'desc' };
  return first.startsWith('-') ? { sortField: first.slice(1), sortDirection: 'desc' } : { sortField: first, sortDirection: 'asc' };
}

/** 表单设置: the title field, the default sort of lists, how long deleted records stay in the recycle bin, and the public link. */
export function EntitySettingsPage() {
  const { entityId = '' } = useParams();
  const entity = useEntity(entityId);
  if (entity.isPending) return <LoadingState />;
  if (entity.isError) return <ErrorState error={entity.error} onRetry={() => void entity.refetch()} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 720, display: 'flex' }}>
      <SettingsCard key={entity.data.version} entity={entity.data} />
      <PublicLinkCard entity={entity.data} />
    </Space>
  );
}

function SettingsCard({ entity }: { entity: Entity }) {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const [form] = Form.useForm<Values>();
  const { formError, showProblem, clearProblem } = useProblemForm(form, FIELDS, { INVALID_SORT: { field: 'sortField' } });
  const update = useUpdateEntity(entity.id);
  const fieldOptions = entity.fields.map((f) => ({ value: f.key, label: f.label }));

  async function submit(v: Values) {
    clearProblem();
    try {
      await update.mutateAsync({
        displayField: v.displayField ?? null,
        defaultSort: v.sortField ? `${v.sortDirection === 'desc' ? '-' : ''}${v.sortField}` : null,
        recycleRetentionDays: v.recycleRetentionDays ?? null,
      });
      void message.success(t('entitySettings.saved'));
    } catch (error) {
      // The server names `defaultSort`; the form shows it under the sort field.
      showProblem(error);
      const sortIssue = (error as { errors?: { path: string; message: string }[] }).errors?.find((e) => e.path === '/defaultSort');
      if (sortIssue) form.setFields([{ name: 'sortField', errors: [sortIssue.message] }]);
    }
  }

  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('entitySettings.title', { name: entity.name })}</h1>}>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        onValuesChange={clearProblem}
        initialValues={{ displayField: entity.displayField, recycleRetentionDays: entity.recycleRetentionDays, ...splitSort(entity.defaultSort) }}
      >
        <Form.Item name="displayField" label={t('entitySettings.titleField')} htmlFor="entity-title-field" extra={t('entitySettings.titleFieldHint')}>
          <Select id="entity-title-field" allowClear={{ label: t('common.clear') }} options={fieldOptions} style={{ maxWidth: 320 }} />
        </Form.Item>
        <Typography.Text strong>{t('entitySettings.defaultSort')}</Typography.Text>
        <Space wrap align="start" style={{ display: 'flex', marginTop: 8 }}>
          <Form.Item name="sortField" label={t('entitySettings.sortField')} htmlFor="entity-sort-field" extra={t('entitySettings.sortHint')}>
            <Select
              id="entity-sort-field"
              allowClear={{ label: t('common.clear') }}
              placeholder={t('entitySettings.sortNewest')}
              style={{ width: 240 }}
              options={entity.fields.filter((f) => SORTABLE.has(f.type)).map((f) => ({ value: f.key, label: f.label }))}
            />
          </Form.Item>
          <Form.Item name="sortDirection" label={t('entitySettings.sortDirection')} htmlFor="entity-sort-direction">
            <Select
              id="entity-sort-direction"
              style={{ width: 160 }}
              options={[
                { value: 'asc', label: t('entitySettings.asc') },
                { value: 'desc', label: t('entitySettings.desc') },
              ]}
            />
          </Form.Item>
        </Space>
        <Form.Item name="recycleRetentionDays" label={t('entitySettings.retention')} htmlFor="entity-retention" extra={t('entitySettings.retentionHint')}>
          <InputNumber
            id="entity-retention"
            controls={false}
            min={1}
            max={3650}
            precision={0}
            suffix={t('entitySettings.days')}
            placeholder={t('entitySettings.retentionForever')}
            style={{ width: 200 }}
          />
        </Form.Item>
        {formError && <Alert role="alert" type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={update.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
