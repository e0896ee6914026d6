import { DeleteOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Popconfirm, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from '../../../../ui/problem';
import type { Entity } from '../../../apps/api/apps.api';
import { useBulkActions } from '../../hooks/records.queries';
import { INLINE_TYPES } from '../../view-state';
import { ValueInput } from '../ValueInput';

interface Props {
  entity: Entity;
  ids: number[];
  /** The member may bulk-edit / delete records of the entity (my-access): only those controls show. */
  canUpdate: boolean;
  canDelete: boolean;
  onDone: () => void;
}

/** What the selected rows can have done to them: one field set to one value, or all moved to the recycle bin. */
export function BulkBar({ entity, ids, canUpdate, canDelete, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { update, remove } = useBulkActions(entity);
  const fields = entity.fields.filter((f) => INLINE_TYPES.has(f.type));
  const [key, setKey] = useState<string | undefined>(undefined);
  const [value, setValue] = useState<unknown>(null);
  const field = fields.find((f) => f.key === key);
  const error = update.error ?? remove.error;

  return (
    <section aria-label={t('table.bulkActions')} style={{ marginBottom: 8 }}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text strong>{t('table.selected', { count: ids.length })}</Typography.Text>
        {canUpdate && (
          <>
            <Select
              aria-label={t('table.bulkField')}
              placeholder={t('table.bulkField')}
              value={key}
              onChange={(k) => {
                setKey(k);
                setValue(null);
              }}
              options={fields.map((f) => ({ value: f.key, label: f.label }))}
              style={{ minWidth: 160 }}
            />
            {field && (
              <div style={{ minWidth: 160 }}>
                <ValueInput field={field} value={value} onChange={setValue} label={t('table.bulkValue', { field: field.label })} />
              </div>
            )}
            <Button
              disabled={!field}
              loading={update.isPending}
              onClick={() =>
                update.mutate(
                  { ids, values: { [key!]: value === '' ? null : value } },
                  {
                    onSuccess: (r) => {
                      void message.success(t('table.bulkUpdated', { count: r.updated }));
                      onDone();
                    },
                  },
                )
              }
            >
              {t('table.bulkApply')}
            </Button>
          </>
        )}
        {canDelete && (
          <Popconfirm
            title={t('table.bulkDeleteConfirm', { count: ids.length })}
            okText={t('table.delete')}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              remove.mutate(ids, {
                onSuccess: (r) => {
                  void message.success(t('table.bulkDeleted', { count: r.deleted }));
                  onDone();
                },
              })
            }
          >
            <Button danger icon={<DeleteOutlined aria-hidden />} loading={remove.isPending}>
              {t('table.delete')}
            </Button>
          </Popconfirm>
        )}
      </Flex>
      {error && <Alert type="error" showIcon title={problemText(error, t)} style={{ marginTop: 8 }} />}
    </section>
  );
}
