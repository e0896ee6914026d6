import { ThunderboltOutlined } from '@ant-design/icons';
import type { ActionNodeSettings, ActionSettings } from '@crm/workflow';
import { Flex, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NodePanelProps, NodeTypeUi } from '../node-type-ui';
import { LabeledControl } from '../shared/LabeledControl';
import { ProblemText } from '../shared/ProblemText';
import { parseValueText, valueText, ValuesEditor } from './ValuesEditor';

function fresh(kind: ActionSettings['kind']): ActionSettings {
  if (kind === 'setFields') return { kind, values: {} };
  if (kind === 'createRecord') return { kind, entity: '', values: {} };
  return { kind, url: 'https://', method: 'POST' };
}

/** 自动化动作: set fields of the record, create a record elsewhere, or call a webhook. */
function ActionPanel({ settings, onSettings, ctx }: NodePanelProps<ActionNodeSettings>) {
  const { t } = useTranslation();
  const a = settings.action;
  const disabled = ctx.readOnly;
  const setAction = (action: ActionSettings) => onSettings({ ...settings, action });
  return (
    <Flex vertical gap={4}>
      <LabeledControl label={t('workflows.action.kind')}>
        {(id) => (
          <Select
            id={id}
            value={a.kind}
            disabled={disabled}
            onChange={(kind: ActionSettings['kind']) => setAction(fresh(kind))}
            options={(['setFields', 'createRecord', 'webhook'] as const).map((k) => ({ value: k, label: t(`workflows.action.kinds.${k}`) }))}
          />
        )}
      </LabeledControl>
      {a.kind === 'setFields' && (
        <ValuesEditor
          label={t('workflows.action.values')}
          value={a.values}
          fields={ctx.fields}
          disabled={disabled}
          problemsAt={(k) => ctx.problemsAt(`/action/values/${k}`)}
          onChange={(values) => setAction({ ...a, values })}
        />
      )}
      {a.kind === 'createRecord' && (
        <>
          <LabeledControl label={t('workflows.action.entity')} problems={ctx.problemsAt('/action/entity')}>
            {(id) => <Input id={id} value={a.entity} disabled={disabled} onChange={(e) => setAction({ ...a, entity: e.target.value })} />}
          </LabeledControl>
          <ValuesEditor
            label={t('workflows.action.values')}
            value={a.values}
            disabled={disabled}
            problemsAt={(k) => ctx.problemsAt(`/action/values/${k}`)}
            onChange={(values) => setAction({ ...a, values })}
          />
        </>
      )}
      {a.kind === 'webhook' && (
        <>
          <LabeledControl label={t('workflows.action.url')} problems={ctx.problemsAt('/action/url')}>
            {(id) => <Input id={id} type="url" value={a.url} disabled={disabled} onChange={(e) => setAction({ ...a, url: e.target.value })} />}
          </LabeledControl>
          <LabeledControl label={t('workflows.action.method')}>
            {(id) => (
              <Select
                id={id}
                value={a.method}
                disabled={disabled}
                onChange={(method: 'POST' | 'PUT') => setAction({ ...a, method })}
                options={[{ value: 'POST' }, { value: 'PUT' }]}
              />
            )}
          </LabeledControl>
          <LabeledControl label={t('workflows.action.body')} help={t('workflows.action.bodyHelp')} problems={ctx.problemsAt('/action/body')}>
            {(id) => (
              <Input.TextArea
                id={id}
                autoSize={{ minRows: 2, maxRows: 8 }}
                defaultValue={a.body ? valueText(a.body) : ''}
                disabled={disabled}
                style={{ fontFamily: 'monospace' }}
                onBlur={(e) => {
                  const body = parseValueText(e.target.value);
                  const next = { ...a, body: body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined };
                  if (!next.body) delete next.body;
                  setAction(next);
                }}
              />
            )}
          </LabeledControl>
        </>
      )}
      <ProblemText messages={ctx.problemsAt('/action').filter((m) => !ctx.problemsAt('/action/').includes(m))} />
      <LabeledControl label={t('workflows.action.onError')}>
        {(id) => (
          <Select
            id={id}
            value={settings.onError}
            disabled={disabled}
            onChange={(onError: ActionNodeSettings['onError']) => onSettings({ ...settings, onError })}
            options={(['stop', 'continue'] as const).map((v) => ({ value: v, label: t(`workflows.action.onErrors.${v}`) }))}
          />
        )}
      </LabeledControl>
    </Flex>
  );
}

export const actionUi: NodeTypeUi = { icon: ThunderboltOutlined, Panel: ActionPanel };
