import { App as AntdApp, Avatar, Button, Empty, Flex, List, Mentions, Popconfirm, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMembers } from '../../../org/api/org.queries';
import { useSignedInSession } from '../../../auth/hooks/useSession';
import { problemText } from '../../../../ui/problem';
import { ErrorState, LoadingState } from '../../../../ui/states';
import type { Id } from '../../../apps/api/apps.api';
import { useCommentActions, useRecordComments } from '../../hooks/record-page.queries';

/** The size cap the API enforces (docs/api.md, Comments). */
const COMMENT_MAX = 4000;

/** Comments on the record, oldest first, and a box to add one; `@` opens the member picker and each picked member is notified. */
export function RecordComments({ entityId, recordId }: { entityId: Id; recordId: Id }) {
  const { t, i18n } = useTranslation();
  const session = useSignedInSession();
  const comments = useRecordComments(entityId, recordId);
  const members = useMembers();
  const names = useMemo(() => new Map((members.data ?? []).map((m) => [m.id, m.name])), [members.data]);
  const nameOf = (id: string) => names.get(id) ?? t('recordPage.comments.someone');
  if (comments.isError) return <ErrorState error={comments.error} onRetry={() => void comments.refetch()} />;
  if (comments.isPending) return <LoadingState />;
  const me = String(session.user.id);
  return (
    <Flex vertical gap={12}>
      {comments.data.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('recordPage.comments.empty')} />
      ) : (
        <List
          aria-label={t('recordPage.comments.title')}
          dataSource={comments.data}
          renderItem={(c) => (
            <List.Item actions={c.authorId === me ? [<DeleteComment key="delete" entityId={entityId} recordId={recordId} commentId={c.id} />] : []}>
              <List.Item.Meta
                avatar={<Avatar aria-hidden>{nameOf(c.authorId).slice(0, 1)}</Avatar>}
                title={
                  <Flex gap={8} wrap align="baseline">
                    <Typography.Text strong>{nameOf(c.authorId)}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {new Date(c.createdAt).toLocaleString(i18n.language)}
                    </Typography.Text>
                  </Flex>
                }
                description={<Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{c.body}</Typography.Paragraph>}
              />
            </List.Item>
          )}
        />
      )}
      <CommentBox entityId={entityId} recordId={recordId} members={(members.data ?? []).filter((m) => m.id !== me && m.status === 'active')} />
    </Flex>
  );
}

function DeleteComment({ entityId, recordId, commentId }: { entityId: Id; recordId: Id; commentId: string }) {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const { remove } = useCommentActions(entityId, recordId);
  return (
    <Popconfirm
      title={t('recordPage.comments.deleteConfirm')}
      okText={t('recordPage.comments.delete')}
      cancelText={t('common.cancel')}
      onConfirm={() => remove.mutateAsync(commentId).catch((e: unknown) => void message.error(problemText(e, t)))}
    >
      <Button type="link" size="small" danger loading={remove.isPending}>
        {t('recordPage.comments.delete')}
      </Button>
    </Popconfirm>
  );
}

function CommentBox({ entityId, recordId, members }: { entityId: Id; recordId: Id; members: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const { add } = useCommentActions(entityId, recordId);
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const send = async () => {
    const body = text.trim();
    // A picked member counts while their @name is still in the text.
    const mentions = picked.filter((id) => body.includes(`@${members.find((m) => m.id === id)?.name ?? '\u0000'}`));
    try {
      await add.mutateAsync({ body, mentions: [...new Set(mentions)] });
      setText('');
      setPicked([]);
      message.success(t('recordPage.comments.sent'));
    } catch (error) {
      message.error(problemText(error, t));
    }
  };
  return (
    <Flex vertical gap={8}>
      <label htmlFor="record-comment">{t('recordPage.comments.label')}</label>
      <Mentions
        id="record-comment"
        value={text}
        onChange={setText}
        prefix="@"
        autoSize={{ minRows: 2, maxRows: 8 }}
        maxLength={COMMENT_MAX}
        placeholder={t('recordPage.comments.placeholder')}
        onSelect={(option) => {
          const member = members.find((m) => m.name === option.value);
          if (member) setPicked((p) => [...p, member.id]);
        }}
        options={members.map((m) => ({ key: m.id, value: m.name, label: m.name }))}
      />
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('recordPage.comments.hint', { n: text.length, max: COMMENT_MAX })}
        </Typography.Text>
        <Button type="primary" disabled={!text.trim()} loading={add.isPending} onClick={() => void send()}>
          {t('recordPage.comments.send')}
        </Button>
      </Flex>
    </Flex>
  );
}
