import type { WidgetProps } from '@rjsf/utils';
import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useDepartments } from '../../features/org/api/org.queries';
import { departmentTree, directoryValue } from '../shared/directory';

/** Picks departments in the workspace's tree (searchable by name); one or several per the field's `multiple` setting. */
export function DepartmentWidget({ id, value, onChange, onBlur, disabled, readonly, schema, label, placeholder }: WidgetProps) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const many = schema.type === 'array';
  const treeData = useMemo(() => departmentTree(departments.data ?? []), [departments.data]);
  return (
    <TreeSelect
      id={id}
      aria-label={label}
      multiple={many}
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll
      allowClear
      loading={departments.isPending}
      placeholder={placeholder || t('widgets.pickDepartment')}
      disabled={disabled || readonly}
      value={directoryValue({ value, many })}
      treeData={treeData}
      onChange={(v: string | string[] | undefined) => onChange(many ? (v as string[]) : (v ?? undefined))}
      onBlur={() => onBlur(id, value)}
      notFoundContent={departments.isError ? t('widgets.directoryUnavailable') : t('widgets.noMatch')}
      style={{ width: '100%' }}
    />
  );
}
