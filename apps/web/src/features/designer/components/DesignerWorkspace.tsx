import { DndContext } from '@dnd-kit/core';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Modal, Tabs, Typography } from 'antd';
import { memo, type ReactNode, useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';
import type { EntityChoice } from '../../../field-types/field-type-ui';
import { problemText } from '../../../ui/problem';
import { type DesignPreview, type FormDesign, previewDesignOrThrow, publishDesignOrThrow } from '../api/design.api';
import { ROOT } from '../model/design-state';
import type { DesignStore } from '../model/design-store';
import { useDesignStore, useSelected } from '../model/design-store';
import { useAutosave } from '../model/use-autosave';
import { addFromPalette, useCanvasDnd } from '../model/use-canvas-dnd';
import { BlockProperties } from './BlockProperties';
import { Container } from './Canvas';
import { FieldProperties, type RuleSlots } from './FieldProperties';
import { FormRules } from './FormRules';
import { useRuleSlots } from './RuleEditors';
import { Palette, type PaletteItem } from './Palette';
import { PreviewPane } from './PreviewPane';
import { PublishDialog } from './PublishDialog';
import { DesignerToolbar } from './DesignerToolbar';
import { useDesignerKeys } from '../model/use-designer-keys';

interface Props {
  store: DesignStore;
  design: FormDesign;
  entityName: string;
  entityId: string;
  entities: EntityChoice[];
  slots: RuleSlots;
  narrow: boolean;
  onReload: () => Promise<void>;
  reloadButton: (label: string) => ReactNode;
}

/** Palette, canvas and properties around one DndContext, with the toolbar, autosave, publish and the leave guard. */
export function DesignerWorkspace({ store, design, entityName, entityId, entities, slots, narrow, onReload, reloadButton }: Props) {
  const { t } = useTranslation();
  const autosave = useAutosave(store, entityId, design.revision);
  const labelOf = useCallback((item: PaletteItem) => ('type' in item ? t(`fieldTypes.${item.type}`) : t(`designer.blocks.${item.block}`)), [t]);
  const dnd = useCanvasDnd(store, t, labelOf);
  const onAdd = useCallback((item: PaletteItem) => addFromPalette(store, item, t, labelOf(item)), [store, t, labelOf]);
  const publish = usePublish(store, entityId, autosave, onReload);
  useDesignerKeys(store);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => autosave.dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    Modal.confirm({
      title: t('designer.leaveTitle'),
      content: t('designer.leaveText'),
      okText: t('designer.leave'),
      cancelText: t('designer.stay'),
      onOk: () => blocker.proceed(),
      onCancel: () => blocker.reset(),
    });
  }, [blocker, t]);
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('designer.title', { entity: entityName })}
      </Typography.Title>
      <DesignerToolbar store={store} status={autosave.status} onPublish={publish.open} />
      {autosave.status === 'conflict' && (
        <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} title={t('designer.conflict')} action={reloadButton(t('designer.reload'))} />
      )}
      {autosave.status === 'error' && <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} title={problemText(autosave.error, t)} />}
      <Workbench store={store} design={design} entities={entities} slots={slots} narrow={narrow} onAdd={onAdd} dnd={dnd} />
      <PublishDialog {...publish.dialog} />
    </div>
  );
}

/**
 * Palette, canvas and properties around one DndContext. Memoised with stable props: the save
 * status changing (pending, saving, saved) re-renders the toolbar, not the 200-part canvas.
 */
const Workbench = memo(function Workbench({
  store,
  design,
  entities,
  slots,
  narrow,
  onAdd,
  dnd,
}: {
  store: DesignStore;
  design: FormDesign;
  entities: EntityChoice[];
  slots: RuleSlots;
  narrow: boolean;
  onAdd: (item: PaletteItem) => void;
  dnd: ReturnType<typeof useCanvasDnd>;
}) {
  const { t } = useTranslation();
  const accessibility = useMemo(() => ({ screenReaderInstructions: { draggable: t('designer.dragInstructions') } }), [t]);
  const pane = (label: string, children: ReactNode, width?: number) => (
    <section
      aria-label={label}
      style={{
        width: narrow ? '100%' : width,
        flex: width ? undefined : 1,
        minWidth: 0,
        overflow: 'auto',
        maxHeight: narrow ? undefined : 'calc(100vh - 180px)',
      }}
    >
      {children}
    </section>
  );
  // The properties pane is outside the DndContext (it drags nothing of the canvas's): every drag
  // start, target change and drop makes React walk the context's whole subtree for consumers.
  return (
    <Flex gap={16} vertical={narrow} align="flex-start">
      <DndContext sensors={dnd.sensors} collisionDetection={dnd.collisionDetection} onDragEnd={dnd.onDragEnd} accessibility={accessibility}>
        {pane(t('designer.palette'), <Palette onAdd={onAdd} />, 200)}
        {pane(
          t('designer.canvas'),
          <Tabs
            onClick={() => store.select(null)}
            size="small"
            items={[
              { key: 'canvas', label: t('designer.canvas'), children: <Container id={ROOT} label={t('designer.canvas')} /> },
              { key: 'preview', label: t('designer.preview'), children: <PreviewPane /> },
            ]}
          />,
        )}
      </DndContext>
      {pane(t('designer.properties'), <Properties design={design} entities={entities} slots={slots} />, 320)}
    </Flex>
  );
});

function Properties({ design, entities, slots: given }: { design: FormDesign; entities: EntityChoice[]; slots: RuleSlots }) {
  const { t } = useTranslation();
  // The panel of a newly selected part mounts in a deferred, time-sliced render: a click or the
  // pick-up of a drag shows its outline at once instead of waiting for a few hundred antd fibers.
  const selected = useDeferredValue(useSelected());
  const editors = useRuleSlots();
  const store = useDesignStore();
  const slots: RuleSlots = useMemo(() => ({ ...editors, ...given }), [editors, given]);
  return (
    <div onClick={(e) => e.stopPropagation()}>
      {selected && (
        <Button type="link" size="small" icon={<ArrowLeftOutlined />} onClick={() => store.select(null)} style={{ paddingInline: 0, marginBottom: 4 }}>
          {t('designer.formSettings')}
        </Button>
      )}
      {!selected && (
        <>
          <Typography.Paragraph type="secondary">{t('designer.selectHint')}</Typography.Paragraph>
          <FormRules />
        </>
      )}
      {selected?.startsWith('f:') ? (
        <FieldProperties
          key={selected}
          fieldKey={selected.slice(2)}
          published={design.publishedKeys.includes(selected.slice(2))}
          entities={entities}
          slots={slots}
        />
      ) : (
        selected && <BlockProperties key={selected} id={selected} slots={slots} />
      )}
    </div>
  );
}

/** Save, ask the server what will change, show it; publish the previewed revision on confirm. */
function usePublish(store: DesignStore, entityId: string, autosave: ReturnType<typeof useAutosave>, onReload: () => Promise<void>) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [preview, setPreview] = useState<DesignPreview | null>(null);
  const [loading, setLoading] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = useCallback(async () => {
    setOpen(true);
    setPreview(null);
    setError(null);
    setLoading(true);
    try {
      await autosave.saveNow();
      const next = await previewDesignOrThrow(entityId);
      setPreview(next);
      store.setProblems(next.problems);
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setLoading(false);
    }
  }, [store, autosave, entityId, t]);
  const confirm = useCallback(async () => {
    if (!preview) return;
    setPublishing(true);
    try {
      const done = await publishDesignOrThrow(entityId, preview.revision);
      autosave.rebase(done.revision);
      store.setProblems([]);
      setOpen(false);
      Modal.success({ title: t('designer.published', { version: done.version }) });
      await onReload();
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setPublishing(false);
    }
  }, [store, preview, entityId, autosave, onReload, t]);
  return {
    open: () => void start(),
    dialog: { open, preview, loading, publishing, error, onConfirm: () => void confirm(), onClose: () => setOpen(false) },
  };
}
