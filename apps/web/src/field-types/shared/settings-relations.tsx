import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { FieldTypeKey } from '@crm/schema';
import { Button, Flex, Input, Select, Typography } from 'antd';
import { type ComponentType, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EditedField, SettingsProps } from '../field-type-ui';
import { BoolSetting, ChoiceSetting, Labeled, NumberSetting } from './settings-kit';

type Panel = ComponentType<SettingsProps>;

export const RelationSettings: Panel = ({ field, onChange, entities, published }) => {
  const { t } = useTranslation();
  const s = field.settings ?? {};
  const target = entities.find((e) => e.id === s.targetEntityId);
  return (
    <>
      <ChoiceSetting
        label={t('designer.targetEntity')}
        value={s.targetEntityId}
        options={entities.map((e) => ({ value: e.id, label: e.name }))}
        onChange={(v) => onChange({ targetEntityId: v, displayFields: undefined })}
      />
      {!published && <BoolSetting label={t('designer.multiple')} value={s.multiple} onChange={(v) => onChange({ multiple: v })} />}
      <Labeled label={t('designer.displayFields')}>
        {(id) => (
          <Select
            id={id}
            mode="multiple"
            aria-label={t('designer.displayFields')}
            value={(s.displayFields as string[] | undefined) ?? []}
            options={(target?.fields ?? []).map((f) => ({ value: f.key, label: f.label }))}
            onChange={(v: string[]) => onChange({ displayFields: v.length ? v.slice(0, 10) : undefined })}
            style={{ width: '100%' }}
          />
        )}
      </Labeled>
    </>
  );
};

const AGGREGATES = ['sum', 'avg', 'count', 'min', 'max'];

export const RollupSettings: Panel = ({ field, onChange, entities }) => {
  const { t } = useTranslation();
  const s = field.settings ?? {};
  const source = entities.find((e) => e.id === s.sourceEntityId);
  const relations = (source?.fields ?? []).filter((f) => f.type === 'relation');
  const numbers = (source?.fields ?? []).filter((f) => ['number', 'money', 'formula', 'rollup', 'rating'].includes(f.type));
  return (
    <>
      <ChoiceSetting
        label={t('designer.sourceEntity')}
        value={s.sourceEntityId}
        options={entities.map((e) => ({ value: e.id, label: e.name }))}
        onChange={(v) => onChange({ sourceEntityId: v, relationField: undefined, field: undefined })}
      />
      <ChoiceSetting
        label={t('designer.relationField')}
        value={s.relationField}
        options={relations.map((f) => ({ value: f.key, label: f.label }))}
        onChange={(v) => onChange({ relationField: v })}
      />
      <ChoiceSetting
        label={t('designer.aggregate')}
        value={s.aggregate ?? 'sum'}
        options={AGGREGATES.map((a) => ({ value: a, label: t(`designer.aggregates.${a}`) }))}
        onChange={(v) => onChange({ aggregate: v })}
      />
      {s.aggregate !== 'count' && (
        <ChoiceSetting
          label={t('designer.rollupField')}
          value={s.field}
          options={numbers.map((f) => ({ value: f.key, label: f.label }))}
          onChange={(v) => onChange({ field: v })}
        />
      )}
      <NumberSetting label={t('designer.precision')} value={s.precision ?? 2} min={0} max={10} onChange={(v) => onChange({ precision: v ?? 2 })} />
    </>
  );
};

/** Field types a subform row may hold (no subform, many-relation, serial or rollup inside). */
export const SUBFORM_CHILD_TYPES: FieldTypeKey[] = [
  'text',
  'textarea',
  'number',
  'money',
  'date',
  'datetime',
  'switch',
  'radio',
  'select',
  'checkbox',
  'multiselect',
  'email',
  'phone',
  'url',
  'member',
  'department',
  'attachment',
  'formula',
  'rating',
];

/** The subform's child fields: label and type of each, add and remove (fields can also be dragged onto the subform on the canvas). */
export const SubformSettings: Panel = ({ field, onChange }) => {
  const { t } = useTranslation();
  const children = ((field.settings?.fields as EditedField[] | undefined) ?? []).slice();
  const [type, setType] = useState<FieldTypeKey>('text');
  const set = (next: EditedField[]) => onChange({ fields: next });
  const add = () => {
    let n = children.length + 1;
    while (children.some((c) => c.key === `${type}_${n}`)) n++;
    set([
      ...children,
      {
        key: `${type}_${n}`,
        label: `${t(`fieldTypes.${type}`)} ${n}`,
        type,
        settings: type === 'select' || type === 'radio' ? { options: [{ value: 'option_1', label: `${t('designer.option')} 1` }] } : {},
      },
    ]);
  };
  return (
    <div role="group" aria-label={t('designer.childFields')}>
      <Typography.Text strong>{t('designer.childFields')}</Typography.Text>
      {children.length === 0 && <Typography.Paragraph type="secondary">{t('designer.noChildFields')}</Typography.Paragraph>}
      {children.map((c, i) => (
        <Flex key={c.key} gap={4} align="center" style={{ margin: '4px 0' }}>
          <Input
            size="small"
            aria-label={t('designer.childLabel', { n: i + 1 })}
            value={c.label}
            onChange={(e) => set(children.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))}
          />
          <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
            {t(`fieldTypes.${c.type}`)}
          </Typography.Text>
          <Button
            type="text"
            size="small"
            danger
            icon={<DeleteOutlined aria-hidden />}
            aria-label={t('designer.removeChild', { label: c.label })}
            onClick={() => set(children.filter((_, j) => j !== i))}
          />
        </Flex>
      ))}
      <Flex gap={4} style={{ margin: '8px 0 12px' }}>
        <Select<FieldTypeKey>
          size="small"
          aria-label={t('designer.childType')}
          value={type}
          onChange={setType}
          options={SUBFORM_CHILD_TYPES.map((k) => ({ value: k, label: t(`fieldTypes.${k}`) }))}
          style={{ flex: 1 }}
        />
        <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={add}>
          {t('designer.addChild')}
        </Button>
      </Flex>
      <NumberSetting
        label={t('designer.maxRows')}
        value={field.settings?.maxRows ?? 200}
        min={1}
        max={1000}
        onChange={(v) => onChange({ maxRows: v ?? 200 })}
      />
    </div>
  );
};
