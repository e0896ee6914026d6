import { ArrowDownOutlined, ArrowUpOutlined, CopyOutlined, DeleteOutlined, RedoOutlined, SendOutlined, UndoOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { copyField, nudge, removeNode } from '../model/design-ops';
import { type DesignStore, useHistoryState, useSelected } from '../model/design-store';
import type { SaveStatus } from '../model/use-autosave';

/** Undo/redo, the selected part's move/copy/delete buttons (the keyboard way too), the save state and Publish. */
export const DesignerToolbar = memo(function DesignerToolbar({ store, status, onPublish }: { store: DesignStore; status: SaveStatus; onPublish: () => void }) {
  const { t } = useTranslation();
  const { canUndo, canRedo } = useHistoryState();
  const selected = useSelected();
  const act = (fn: Parameters<DesignStore['apply']>[0]) => () => selected && store.apply(fn);
  return (
    <Flex role="toolbar" aria-label={t('designer.toolbar')} gap={6} wrap align="center" style={{ marginBottom: 12 }}>
      <Button icon={<UndoOutlined aria-hidden />} disabled={!canUndo} onClick={() => store.undo()} aria-keyshortcuts="Control+Z">
        {t('designer.undo')}
      </Button>
      <Button icon={<RedoOutlined aria-hidden />} disabled={!canRedo} onClick={() => store.redo()} aria-keyshortcuts="Control+Shift+Z">
        {t('designer.redo')}
      </Button>
      <Button icon={<ArrowUpOutlined aria-hidden />} disabled={!selected} onClick={act((s) => nudge(s, selected!, -1))}>
        {t('designer.moveUp')}
      </Button>
      <Button icon={<ArrowDownOutlined aria-hidden />} disabled={!selected} onClick={act((s) => nudge(s, selected!, 1))}>
        {t('designer.moveDown')}
      </Button>
      <Button
        icon={<CopyOutlined aria-hidden />}
        disabled={!selected?.startsWith('f:')}
        onClick={() => {
          let copy: string | null = null;
          store.apply((s) => {
            const r = copyField(s, selected!, t);
            copy = r.id;
            return r.state;
          });
          if (copy) store.select(copy);
        }}
      >
        {t('designer.copy')}
      </Button>
      <Button
        danger
        icon={<DeleteOutlined aria-hidden />}
        disabled={!selected}
        onClick={() => {
          store.apply((s) => removeNode(s, selected!));
          store.select(null);
        }}
      >
        {t('designer.delete')}
      </Button>
      <Typography.Text
        role="status"
        aria-live="polite"
        type={status === 'conflict' || status === 'error' ? 'danger' : undefined}
        style={{ marginInlineStart: 'auto' }}
      >
        {t(`designer.status.${status}`)}
      </Typography.Text>
      <Button type="primary" icon={<SendOutlined aria-hidden />} onClick={onPublish}>
        {t('designer.publish')}
      </Button>
    </Flex>
  );
});
