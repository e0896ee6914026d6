import { LinkOutlined, ReloadOutlined } from '@ant-design/icons';
import { PUBLIC_FILLABLE_TYPES } from '@crm/schema';
import { Alert, App as AntdApp, Button, Card, Flex, Form, QRCode, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemForm } from '../../../ui/useProblemForm';
import { ErrorState, LoadingState } from '../../../ui/states';
import type { Entity } from '../../apps/api/apps.api';
import { usePublicLink, usePublicLinkAction } from '../hooks/public-link.queries';

const FIELDS = ['exposedFields', 'enabled'] as const;

/**
 * 外链: the form's public fill-in link. Outsiders open it without an account and can only
 * create a record from the exposed fields. The server shows the link once (when created or
 * rotated, it keeps only a hash), so the URL and its QR code are shown right after those.
 */
export function PublicLinkCard({ entity }: { entity: Entity }) {
  const { t } = useTranslation();
  const { message, modal } = AntdApp.useApp();
  const link = usePublicLink(entity.id);
  const action = usePublicLinkAction(entity.id);
  const [form] = Form.useForm<{ exposedFields: string[] }>();
  const { formError, showProblem, clearProblem } = useProblemForm(form, FIELDS);
  const [shownUrl, setShownUrl] = useState<string | null>(null);
  const fillable = entity.fields.filter((f) => PUBLIC_FILLABLE_TYPES.has(f.type));

  async function run(a: Parameters<typeof action.mutateAsync>[0], done: string) {
    clearProblem();
    try {
      const answer = await action.mutateAsync(a);
      if (answer.url) setShownUrl(answer.url);
      void message.success(done);
    } catch (error) {
      showProblem(error);
    }
  }

  const confirmRotate = () =>
    modal.confirm({
      title: t('publicLink.rotateTitle'),
      content: t('publicLink.rotateHint'),
      okText: t('publicLink.rotate'),
      cancelText: t('common.cancel'),
      onOk: () => run({ kind: 'rotate' }, t('publicLink.rotated')),
    });

  const heading = <h2 style={{ fontSize: 16, margin: 0 }}>{t('publicLink.title')}</h2>;
  if (link.isPending)
    return (
      <Card title={heading}>
        <LoadingState />
      </Card>
    );
  if (link.isError)
    return (
      <Card title={heading}>
        <ErrorState error={link.error} onRetry={() => void link.refetch()} />
      </Card>
    );
  const current = link.data;

  return (
    <Card
      title={heading}
      extra={
        current && (
          <Switch
            checked={current.enabled}
            aria-label={t('publicLink.enabled')}
            loading={action.isPending}
            onChange={(enabled) => void run({ kind: 'update', body: { enabled } }, enabled ? t('publicLink.enabledDone') : t('publicLink.disabledDone'))}
          />
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('publicLink.hint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ exposedFields: current?.exposedFields ?? fillable.slice(0, 5).map((f) => f.key) }}
        onFinish={(v) =>
          void run(
            current ? { kind: 'update', body: { exposedFields: v.exposedFields } } : { kind: 'create', body: { exposedFields: v.exposedFields } },
            current ? t('publicLink.saved') : t('publicLink.created'),
          )
        }
      >
        <Form.Item
          name="exposedFields"
          label={t('publicLink.exposedFields')}
          htmlFor="public-link-fields"
          extra={t('publicLink.exposedHint')}
          rules={[{ required: true, message: t('publicLink.exposedRequired') }]}
        >
          <Select id="public-link-fields" mode="multiple" options={fillable.map((f) => ({ value: f.key, label: f.label }))} />
        </Form.Item>
        {formError && <Alert role="alert" type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" icon={<LinkOutlined aria-hidden />} loading={action.isPending}>
            {current ? t('publicLink.saveFields') : t('publicLink.create')}
          </Button>
          {current && (
            <Button icon={<ReloadOutlined aria-hidden />} onClick={confirmRotate}>
              {t('publicLink.rotate')}
            </Button>
          )}
        </Space>
      </Form>
      {current && !current.enabled && <Alert type="warning" showIcon title={t('publicLink.disabledHint')} style={{ marginTop: 16 }} />}
      {current && shownUrl && (
        <Flex gap={16} wrap align="center" style={{ marginTop: 16 }}>
          <QRCode value={shownUrl} size={160} bordered aria-label={t('publicLink.qr')} role="img" />
          <div style={{ flex: 1, minWidth: 220 }}>
            <Typography.Text strong>{t('publicLink.url')}</Typography.Text>
            <Typography.Paragraph
              copyable={{ text: shownUrl, tooltips: [t('publicLink.copy'), t('publicLink.copied')] }}
              style={{ wordBreak: 'break-all' }}
              data-testid="public-link-url"
            >
              {shownUrl}
            </Typography.Paragraph>
            <Typography.Text type="secondary">{t('publicLink.onceHint')}</Typography.Text>
          </div>
        </Flex>
      )}
      {current && !shownUrl && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          {t('publicLink.hiddenHint')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
