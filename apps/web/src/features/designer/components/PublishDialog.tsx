import { Alert, List, Modal, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DesignPreview } from '../api/design.api';

/**
 * What publishing will change — fields added, removed, renamed, type changes with the server's
 * data check (rows that do not fit, sample record ids) — applied only on confirm.
 */
export function PublishDialog({
  open,
  preview,
  loading,
  publishing,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  preview: DesignPreview | null;
  loading: boolean;
  publishing: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const p = preview;
  const nothing = p && !p.added.length && !p.removed.length && !p.renamed.length && !p.typeChanged.length && !p.changed.length;
  return (
    <Modal
      open={open}
      title={t('designer.publishTitle')}
      okText={t('designer.publishConfirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !p?.publishable || loading }}
      confirmLoading={publishing}
      onOk={onConfirm}
      onCancel={onClose}
      width={640}
    >
      {loading && <Typography.Paragraph>{t('designer.checking')}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {p && (
        <>
          {nothing && <Typography.Paragraph>{t('designer.noFieldChanges')}</Typography.Paragraph>}
          <Changes title={t('designer.added')} items={p.added.map((f) => `${f.label} (${t(`fieldTypes.${f.type}`, { defaultValue: f.type })})`)} />
          <Changes title={t('designer.removed')} items={p.removed.map((f) => f.label)} />
          <Changes title={t('designer.renamed')} items={p.renamed.map((f) => `${f.from} → ${f.to}`)} />
          <Changes title={t('designer.changed')} items={p.changed.map((f) => f.label)} />
          {p.typeChanged.length > 0 && (
            <section aria-label={t('designer.typeChanges')}>
              <Typography.Title level={3} style={{ fontSize: 14 }}>
                {t('designer.typeChanges')}
              </Typography.Title>
              <List
                size="small"
                dataSource={p.typeChanged}
                renderItem={(c) => (
                  <List.Item>
                    <div>
                      <Typography.Text strong>{c.label}</Typography.Text>: {t(`fieldTypes.${c.from}`, { defaultValue: c.from })} →{' '}
                      {t(`fieldTypes.${c.to}`, { defaultValue: c.to })} <Tag>{c.check ? t('designer.refused') : t('designer.dataFits')}</Tag>
                    </div>
                  </List.Item>
                )}
              />
            </section>
          )}
          {p.problems.length > 0 && (
            <Alert
              type="error"
              showIcon
              role="alert"
              title={t('designer.cannotPublish', { count: p.problems.length })}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {p.problems.map((x, i) => (
                    <li key={`${x.path}-${i}`}>
                      {x.rowCount !== undefined
                        ? t('designer.rowsDoNotFit', { count: x.rowCount, field: x.field ?? x.path, ids: (x.sampleIds ?? []).join(', ') })
                        : `${x.field ? `${x.field}: ` : ''}${x.message}`}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
        </>
      )}
    </Modal>
  );
}

function Changes({ title, items }: { title: string; items: string[] }) {
  if (!items.length) return null;
  return (
    <section aria-label={title} style={{ marginBottom: 8 }}>
      <Typography.Text strong>{title}: </Typography.Text>
      {items.map((i) => (
        <Tag key={i}>{i}</Tag>
      ))}
    </section>
  );
}
