import { SearchOutlined } from '@ant-design/icons';
import { AutoComplete, Flex, Input, Typography } from 'antd';
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
  // One flat list (antd's accessible listbox gives group headings an invalid role): the entity's name beside each title.
  const options = (q.trim() ? (search.data ?? []) : []).flatMap((g) =>
    // The value is what screen readers hear for the option: the title with its entity and number (unique).
    g.items.map((h) => ({
      value: `${h.title} · ${g.entityName} #${h.id}`,
      entityId: g.entityId,
      id: h.id,
      label: (
        <Flex justify="space-between" gap={8}>
          <Typography.Text ellipsis>{h.title}</Typography.Text>
          <Typography.Text type="secondary">{g.entityName}</Typography.Text>
        </Flex>
      ),
    })),
  );
  const empty = q.trim() && search.data?.length === 0 ? t('search.none') : null;
  return (
    <AutoComplete
      value={text}
      options={options}
      onChange={setText}
      notFoundContent={empty}
      onSelect={(_value: string, option) => {
        const { entityId, id } = option as { entityId?: string; id?: number };
        setText('');
        if (entityId && id) navigate(recordPath(appId, entityId, id));
      }}
      // The header's 64 px line height would stretch the box to the header's height.
      style={{ width: 260, lineHeight: 'normal' }}
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
