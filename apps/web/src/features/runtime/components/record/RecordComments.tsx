import { Alert, App as AntdApp, Avatar, Button, Empty, Flex, List, Mentions, Popconfirm, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMembers } from '../../../org/api/org.queries';
import { useSignedInSession } from '../../../auth/hooks/useSession';
import { ApiError } from '../../../../api/client';
import { problemText } from '../../../../ui/problem';
import { ErrorState, LoadingState } from '../../../../ui/states';
import type { Id } from '../../../apps/api/apps.api';
import { useCommentActions, useMentionable, useRecordComments } from '../../hooks/record-page.queries';

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
      <CommentBox entityId={entityId} recordId={recordId} />
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

/** The server's refusal of mentions of members who cannot see the record, as "Bob, Cat cannot see this record…"; null for any other problem. */
function cannotSeeText(error: unknown, mentions: string[], names: Map<string, string>, t: TFunction): string | null {
  if (!(error instanceof ApiError)) return null;
  const blind = error.errors.filter((e) => e.code === 'cannot_read' && e.path.startsWith('/mentions/'));
  if (!blind.length) return null;
  const who = blind.map((e) => names.get(mentions[Number(e.path.split('/')[2])] ?? '') ?? e.message.replace(/^mentions: | cannot see this record$/g, ''));
  return t('recordPage.comments.cannotSee', { names: who.join(', ') });
}

function CommentBox({ entityId, recordId }: { entityId: Id; recordId: Id }) {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const { add } = useCommentActions(entityId, recordId);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // Picked members by id with the name their @mention shows (the server offers only members who can read the record).
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  const mentionable = useMentionable(entityId, recordId, q);
  const options = mentionable.data ?? [];
  const send = async () => {
    const body = text.trim();
    // A picked member counts while their @name is still in the text.
    const mentions = [...picked].filter(([, name]) => body.includes(`@${name}`)).map(([id]) => id);
    setProblem(null);
    try {
      await add.mutateAsync({ body, mentions });
      setText('');
      setPicked(new Map());
      message.success(t('recordPage.comments.sent'));
    } catch (error) {
      const blind = cannotSeeText(error, mentions, picked, t);
      if (blind) setProblem(blind);
      else message.error(problemText(error, t));
    }
  };
  return (
    <Flex vertical gap={8}>
      <label htmlFor="record-comment">{t('recordPage.comments.label')}</label>
      {problem && <Alert type="warning" showIcon role="alert" title={problem} />}
      <Mentions
        id="record-comment"
        value={text}
        onChange={setText}
        prefix="@"
        autoSize={{ minRows: 2, maxRows: 8 }}
        maxLength={COMMENT_MAX}
        placeholder={t('recordPage.comments.placeholder')}
        onSearch={(s) => setQ(s)}
        filterOption={false}
        loading={mentionable.isFetching}
        notFoundContent={t('recordPage.comments.onlyReaders')}
        onSelect={(option) => {
          const member = options.find((m) => m.name === option.value);
          if (member) setPicked((p) => new Map(p).set(member.id, member.name));
        }}
        options={options.map((m) => ({ key: m.id, value: m.name, label: m.name }))}
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
