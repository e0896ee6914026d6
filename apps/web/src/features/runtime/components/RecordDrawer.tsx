import { EditOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useOutletContext, useParams } from 'react-router';
import type { Entity } from '../../apps/api/apps.api';
import { useRecord } from '../hooks/records.queries';
import { useMyAccess } from '../hooks/useMyAccess';
import { displayOf } from '../view-state';
import { RecordEditDrawer } from './record/RecordEditDrawer';
import { RecordPage } from './record/RecordPage';

/** /apps/:appId/entities/:entityId/records/:recordId: the record page over its list; closing goes back to the list. Full width on a phone. */
export function RecordDrawer() {
  const { t } = useTranslation();
  const entity = useOutletContext<Entity>();
  const { appId = '', recordId = '' } = useParams();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  // The same query as the page's (one request): the title names the record once it is read.
  const record = useRecord({ entity, recordId });
  const name = record.data ? displayOf(entity, record.data) : null;
  const heading = t('records.recordTitle', { entity: entity.name, id: recordId });
  // Edit for members whose groups allow editing; a row scope narrower than the record is answered by the server on save.
  const canEdit = useMyAccess(entity).can('edit');
  const [editing, setEditing] = useState(false);
  // On a phone the title needs the width: the two actions keep their icons and names (aria-label), not their words.
  const compact = screens.md === false;

  return (
    <Drawer
      open
      size={screens.lg ? 960 : '100%'}
      title={name && name !== `#${recordId}` ? `${heading} · ${name}` : heading}
      onClose={() => navigate(`/apps/${appId}/entities/${entity.id}`)}
      closable={{ 'aria-label': t('common.close') }}
      extra={
        <Space wrap>
          {canEdit && record.data && (
            <Button type="primary" icon={<EditOutlined aria-hidden />} aria-label={compact ? t('recordEdit.open') : undefined} onClick={() => setEditing(true)}>
              {compact ? null : t('recordEdit.open')}
            </Button>
          )}
          <Button
            href={`/apps/${appId}/entities/${entity.id}/records/${recordId}/print`}
            target="_blank"
            icon={<PrinterOutlined aria-hidden />}
            aria-label={compact ? t('recordPage.print') : undefined}
          >
            {compact ? null : t('recordPage.print')}
          </Button>
        </Space>
      }
    >
      <RecordPage key={`${entity.id}:${recordId}`} appId={appId} entity={entity} recordId={recordId} />
      {editing && record.data && <RecordEditDrawer entity={entity} record={record.data} onClose={() => setEditing(false)} />}
    </Drawer>
  );
}
