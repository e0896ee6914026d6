import { Descriptions, Drawer } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useOutletContext, useParams } from 'react-router';
import { FieldCell } from '../../../field-types/FieldCell';
import { formatDateTime } from '../../../field-types/shared/format-value';
import { ErrorState, LoadingState } from '../../../ui/states';
import type { Entity } from '../../apps/api/apps.api';
import { useRecord } from '../hooks/records.queries';

/** /apps/:appId/entities/:entityId/records/:recordId: one record, over its list; closing goes back to the list. */
export function RecordDrawer() {
  const { t } = useTranslation();
  const entity = useOutletContext<Entity>();
  const { appId = '', recordId = '' } = useParams();
  const navigate = useNavigate();
  const record = useRecord({ entity, recordId });

  return (
    <Drawer
      open
      size="large"
      title={t('records.recordTitle', { entity: entity.name, id: recordId })}
      onClose={() => navigate(`/apps/${appId}/entities/${entity.id}`)}
      closable={{ 'aria-label': t('common.close') }}
    >
      {record.isPending && <LoadingState />}
      {record.isError && <ErrorState error={record.error} onRetry={() => void record.refetch()} />}
      {record.data && (
        <Descriptions
          column={1}
          bordered
          size="small"
          items={[
            ...entity.fields.map((field) => ({ key: field.key, label: field.label, children: <FieldCell field={field} value={record.data[field.key]} /> })),
            { key: 'createdAt', label: t('records.createdAt'), children: formatDateTime({ value: record.data.createdAt }) },
            { key: 'updatedAt', label: t('records.updatedAt'), children: formatDateTime({ value: record.data.updatedAt }) },
          ]}
        />
      )}
    </Drawer>
  );
}
