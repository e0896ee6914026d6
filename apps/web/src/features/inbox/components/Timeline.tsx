import { Empty, Timeline as AntTimeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry, WorkflowComment } from '../api/inbox.api';

interface Props {
  entries: readonly TimelineEntry[];
  comments?: readonly WorkflowComment[];
  memberName(id: string | null): string;
  nodeName(id: string | null): string;
  /** The type of a node of the instance's graph: arriving at a start, branch, split, join or end is left out (nothing waits there). */
  nodeType?(id: string): string | undefined;
}

const PASS_THROUGH = new Set(['start', 'branch', 'parallel', 'join', 'end']);

/** The instance's history, oldest first: who did what at which node, with comments. */
export function InstanceTimeline({ entries, comments = [], memberName, nodeName, nodeType }: Props) {
  const { t, i18n } = useTranslation();
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  const items = [
    ...entries
      .filter((e) => !(e.kind === 'entered' && e.nodeId && PASS_THROUGH.has(nodeType?.(e.nodeId) ?? '')))
      .map((e) => ({ at: e.at, key: `t${e.id}`, entry: e as TimelineEntry | undefined, comment: undefined as WorkflowComment | undefined })),
    ...comments
      .filter((c) => !entries.some((e) => e.comment && e.comment === c.body && e.actorId === c.authorId))
      .map((c) => ({ at: c.createdAt, key: `c${c.id}`, entry: undefined, comment: c })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  if (items.length === 0) return <Empty description={t('inbox.timeline.empty')} />;
  return (
    <AntTimeline
      items={items.map(({ key, entry, comment }) => {
        if (comment)
          return {
            key,
            content: (
              <>
                <Typography.Text strong>{memberName(comment.authorId)}</Typography.Text> {t('inbox.timeline.commented')}
                <div>{comment.body}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {when(comment.createdAt)}
                </Typography.Text>
              </>
            ),
          };
        const e = entry!;
        return {
          key,
          color: e.kind === 'reject' || e.kind === 'return' || e.kind === 'failed' ? 'red' : e.kind === 'finished' || e.kind === 'approve' ? 'green' : 'blue',
          content: (
            <>
              {e.actorId && <Typography.Text strong>{memberName(e.actorId)} </Typography.Text>}
              <span>{t(`inbox.timeline.kinds.${e.kind}`, { defaultValue: e.kind })}</span>
              {e.nodeId && <Typography.Text type="secondary"> · {nodeName(e.nodeId)}</Typography.Text>}
              {e.comment && <div>“{e.comment}”</div>}
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {when(e.at)}
                </Typography.Text>
              </div>
            </>
          ),
        };
      })}
    />
  );
}
