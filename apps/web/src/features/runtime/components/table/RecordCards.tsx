import { useVirtualizer } from '@tanstack/react-virtual';
import { Card, Flex, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { FieldCell } from '../../../../field-types/FieldCell';
import type { Entity } from '../../../apps/api/apps.api';
import type { RecordRow } from '../../records.api';
import { displayOf } from '../../view-state';
import type { ViewConfig } from '../../views.api';
import { RelationValue } from './cells';

const CARD_HEIGHT = 132;

/**
 * The table on a phone: one card per record (its title, then the first four visible columns),
 * virtualised like the table and paged the same way; a card opens the record.
 */
export function RecordCards(props: {
  entity: Entity;
  related: Map<string, Entity>;
  config: ViewConfig;
  rows: RecordRow[];
  hasNext: boolean;
  loadingNext: boolean;
  fetchNext: () => void;
}) {
  const { entity, related, config, rows, hasNext, loadingNext, fetchNext } = props;
  const { appId = '' } = useParams();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => CARD_HEIGHT + 8, overscan: 4 });
  const items = virtual.getVirtualItems();
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (last >= rows.length - 5 && hasNext && !loadingNext) fetchNext();
  }, [last, rows.length, hasNext, loadingNext, fetchNext]);
  const byKey = new Map(entity.fields.map((f) => [f.key, f]));
  const titleKey = entity.displayField ?? entity.fields.find((f) => f.type === 'text')?.key;
  const keys = (config.columns?.length ? config.columns.map((c) => c.key) : entity.fields.map((f) => f.key))
    .filter((k) => byKey.has(k) && k !== titleKey)
    .slice(0, 4);

  return (
    <div ref={scrollRef} role="list" aria-label={entity.name} style={{ height: 'calc(100vh - 280px)', minHeight: 320, overflowY: 'auto' }}>
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const rec = rows[item.index]!;
          return (
            <div key={rec.id} role="listitem" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
              <Card size="small" style={{ height: CARD_HEIGHT, overflow: 'hidden' }}>
                <Link to={`/apps/${appId}/entities/${entity.id}/records/${rec.id}`}>
                  <Typography.Text strong>{displayOf(entity, rec)}</Typography.Text>
                </Link>
                {keys.map((k) => {
                  const f = byKey.get(k)!;
                  return (
                    <Flex key={k} gap={8} style={{ fontSize: 13 }}>
                      <Typography.Text type="secondary" style={{ flex: '0 0 40%' }} ellipsis>
                        {f.label}
                      </Typography.Text>
                      <span style={{ minWidth: 0, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }}>
                        {f.type === 'relation' ? (
                          <RelationValue field={f} record={rec} target={related.get(String(f.settings.targetEntityId))} />
                        ) : (
                          <FieldCell field={f} value={rec[k]} />
                        )}
                      </span>
                    </Flex>
                  );
                })}
              </Card>
            </div>
          );
        })}
      </div>
    </div>
  );
}
