import { SearchOutlined } from '@ant-design/icons';
import { AutoComplete, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useDebounced, useSearch } from './search.api';

export const recordPath = (appId: string, entityId: string, id: number) => `/apps/${appId}/entities/${entityId}/records/${id}`;

/** The header's search of the current app: hits grouped by entity as the member types; a hit opens its record, Enter the full results. */
export function HeaderSearch({ appId }: { appId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const search = useSearch(appId, q);
  const options = (q.trim() ? (search.data ?? []) : []).map((g) => ({
    label: g.entityName,
    options: g.items.map((h) => ({ value: `${g.entityId}:${h.id}`, label: h.title })),
  }));
  const empty = q.trim() && search.data?.length === 0 ? t('search.none') : null;
  return (
    <AutoComplete
      value={text}
      options={options}
      onChange={setText}
      notFoundContent={empty}
      onSelect={(value: string) => {
        const [entityId, id] = value.split(':');
        setText('');
        navigate(recordPath(appId, entityId!, Number(id)));
      }}
      style={{ width: 260 }}
      popupMatchSelectWidth={320}
    >
      <Input
        aria-label={t('search.label')}
        placeholder={t('search.placeholder')}
        prefix={<SearchOutlined aria-hidden />}
        allowClear
        onPressEnter={() => text.trim() && navigate(`/apps/${appId}/search?q=${encodeURIComponent(text.trim())}`)}
      />
    </AutoComplete>
  );
}
