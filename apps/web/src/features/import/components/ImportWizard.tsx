import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Grid, Modal, Steps, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadingState } from '../../../ui/states';
import { problemText } from '../../../ui/problem';
import type { Entity } from '../../apps/api/apps.api';
import { useImportSession } from '../hooks/useImportSession';
import {
  type ColumnMapping,
  type ImportChoices,
  type ImportSession,
  runImportOrThrow,
  type ScanResult,
  scanImportOrThrow,
  type ValueMapping,
} from '../import.api';
import { ColumnsStep } from './ColumnsStep';
import { PreviewStep } from './PreviewStep';
import { ProgressStep } from './ProgressStep';
import { UploadStep } from './UploadStep';
import { ValuesStep } from './ValuesStep';

const STEPS = ['upload', 'columns', 'values', 'preview', 'run'] as const;

/**
 * The import wizard: upload → map columns → map values → preview → run. The session lives on
 * the server and its id in the page's URL (`?import=`), so a reload comes back to it: a draft
 * at its column mapping, a started import at its progress.
 */
export function ImportWizard({
  entity,
  importId,
  onImportId,
  onClose,
}: {
  entity: Entity;
  importId: string | null;
  onImportId: (id: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const session = useImportSession(importId);
  const [step, setStep] = useState(0);
  const [mapping, setMapping] = useState<ColumnMapping[]>([]);
  const [valueMappings, setValueMappings] = useState<ValueMapping[]>([]);
  const [choices, setChoices] = useState<ImportChoices>({ write: 'valid-rows', dateFormat: 'auto' });
  const [scan, setScan] = useState<ScanResult | null>(null);
  const data = session.data;
  const narrow = !Grid.useBreakpoint().sm;

  // A session read from the server (a reload) picks its step once.
  useEffect(() => {
    if (!data || step !== 0) return;
    setMapping((data.mapping?.columns ?? []).map((c) => ({ column: c.column, target: c.target })));
    setValueMappings(data.choices.valueMappings ?? []);
    setChoices((c) => ({ ...c, ...data.choices }));
    setStep(data.status === 'draft' ? 1 : 4);
  }, [data, step]);

  useEffect(() => {
    if (data && ['done', 'aborted'].includes(data.status)) void queryClient.invalidateQueries({ queryKey: ['entities', String(entity.id)] });
  }, [data, entity.id, queryClient]);

  const all = (): ImportChoices => ({ ...choices, mapping, valueMappings });
  const scanNow = useMutation({
    mutationFn: (next: number) => scanImportOrThrow(importId!, all()).then((r) => ({ r, next })),
    onSuccess: ({ r, next }) => {
      setScan(r);
      if (next === 2) setValueMappings((vm) => [...vm, ...defaultsFor(r, vm)]);
      setStep(next);
    },
  });
  const run = useMutation({
    mutationFn: () => runImportOrThrow(importId!, all()),
    onSuccess: (s: ImportSession) => {
      queryClient.setQueryData(['imports', s.id], s);
      setStep(4);
    },
  });

  const uploaded = (s: ImportSession) => {
    queryClient.setQueryData(['imports', s.id], s);
    setMapping((s.mapping?.columns ?? []).map((c) => ({ column: c.column, target: c.target })));
    onImportId(s.id);
    setStep(1);
  };

  const busy = scanNow.isPending || run.isPending;
  const error = scanNow.error ?? run.error;
  const footer =
    step === 4 || step === 0 ? (
      <Button onClick={onClose}>{t('imports.close')}</Button>
    ) : (
      <Flex justify="space-between">
        <Button onClick={() => setStep(step - 1)} disabled={busy || step === 1}>
          {t('imports.back')}
        </Button>
        {step < 3 ? (
          <Button type="primary" loading={busy} onClick={() => scanNow.mutate(step + 1)}>
            {t('imports.next')}
          </Button>
        ) : (
          <Button type="primary" loading={busy} onClick={() => run.mutate()}>
            {t('imports.start', { count: scan?.validRows ?? 0 })}
          </Button>
        )}
      </Flex>
    );

  return (
    <Modal open title={t('imports.title', { entity: entity.name })} width={960} onCancel={onClose} footer={footer} destroyOnHidden>
      {narrow ? (
        // On a phone the five steps would stack and push the step itself below the fold.
        <Typography.Paragraph type="secondary">
          {t('imports.stepOf', { n: step + 1, total: STEPS.length, title: t(`imports.steps.${STEPS[step]}`) })}
        </Typography.Paragraph>
      ) : (
        <Steps size="small" current={step} style={{ marginBottom: 16 }} items={STEPS.map((s) => ({ title: t(`imports.steps.${s}`) }))} />
      )}
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={problemText(error, t)} />}
      {importId && session.isPending ? (
        <LoadingState />
      ) : step === 0 ? (
        <UploadStep entityId={entity.id} onUploaded={uploaded} />
      ) : step === 1 && data ? (
        <ColumnsStep session={data} mapping={mapping} onChange={setMapping} />
      ) : step === 2 && scan ? (
        <ValuesStep scan={scan} fields={entity.fields} valueMappings={valueMappings} onChange={setValueMappings} />
      ) : step === 3 && scan ? (
        <PreviewStep scan={scan} fields={entity.fields} choices={choices} onChange={setChoices} />
      ) : step === 4 && data ? (
        <ProgressStep session={data} />
      ) : (
        <LoadingState />
      )}
    </Modal>
  );
}

/** A first answer for each unmatched value: its closest option, else leave its rows out (reported). */
function defaultsFor(scan: ScanResult, existing: ValueMapping[]): ValueMapping[] {
  return scan.unmatched.flatMap((col) =>
    col.values
      .filter((v) => !existing.some((m) => m.target === col.target && m.value === v.value))
      .map((v): ValueMapping =>
        v.suggestions[0] ? { target: col.target, value: v.value, action: 'map', to: v.suggestions[0] } : { target: col.target, value: v.value, action: 'skip' },
      ),
  );
}
