import { Button, Flex, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DecisionBody, TaskAction } from '../api/inbox.api';

type Dialog = 'return' | 'transfer' | 'addApprover' | null;

interface Props {
  actions: readonly TaskAction[];
  /** Node ids a return may go to, with their names. */
  returnTargets: { id: string; name: string }[];
  members: { id: string; name: string }[];
  busy: boolean;
  /** Sends the decision with the comment typed above the buttons. */
  onDecide(action: TaskAction, body: DecisionBody): void;
  onComment(comment: string): void;
  /** Extra buttons of the submitter (resubmit, withdraw, urge). */
  extra?: { key: string; label: string; danger?: boolean; primary?: boolean; onClick(comment: string): void }[];
}

/** The decision buttons of a task, the comment that goes with them, and the dialogs return/transfer/add approver need. */
export function TaskActions({ actions, returnTargets, members, busy, onDecide, onComment, extra = [] }: Props) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [target, setTarget] = useState<string>('previous');
  const [to, setTo] = useState<string | undefined>();
  const [added, setAdded] = useState<string[]>([]);
  const [position, setPosition] = useState<'before' | 'after'>('after');
  const base = () => (comment.trim() ? { comment: comment.trim() } : {});
  const decide = (action: TaskAction, body: DecisionBody = {}) => {
    onDecide(action, { ...base(), ...body });
    setComment('');
    setDialog(null);
  };
  const has = (a: TaskAction) => actions.includes(a);
  return (
    <Flex vertical gap={8}>
      <label htmlFor="task-comment" className="inbox-label">
        {t('inbox.task.comment')}
      </label>
      <Input.TextArea id="task-comment" value={comment} maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} onChange={(e) => setComment(e.target.value)} />
      <Flex gap={8} wrap>
        {has('approve') && (
          <Button type="primary" loading={busy} onClick={() => decide('approve')}>
            {t('inbox.actions.approve')}
          </Button>
        )}
        {has('complete') && (
          <Button type="primary" loading={busy} onClick={() => decide('complete')}>
            {t('inbox.actions.complete')}
          </Button>
        )}
        {extra.map((x) => (
          <Button
            key={x.key}
            type={x.primary ? 'primary' : 'default'}
            danger={x.danger}
            loading={busy}
            onClick={() => (x.onClick(comment.trim()), setComment(''))}
          >
            {x.label}
          </Button>
        ))}
        {has('reject') && (
          <Button danger loading={busy} onClick={() => decide('reject')}>
            {t('inbox.actions.reject')}
          </Button>
        )}
        {has('return') && <Button onClick={() => setDialog('return')}>{t('inbox.actions.return')}</Button>}
        {has('transfer') && <Button onClick={() => setDialog('transfer')}>{t('inbox.actions.transfer')}</Button>}
        {has('addApprover') && <Button onClick={() => setDialog('addApprover')}>{t('inbox.actions.addApprover')}</Button>}
        <Button disabled={!comment.trim()} loading={busy} onClick={() => (onComment(comment.trim()), setComment(''))}>
          {t('inbox.actions.comment')}
        </Button>
      </Flex>

      <Modal
        open={dialog === 'return'}
        title={t('inbox.actions.return')}
        okText={t('inbox.actions.returnOk')}
        cancelText={t('common.cancel')}
        onCancel={() => setDialog(null)}
        onOk={() => decide('return', { target: target === 'previous' || target === 'start' ? target : { nodeId: target } })}
      >
        <label htmlFor="return-target" className="inbox-label">
          {t('inbox.actions.returnTo')}
        </label>
        <Select
          id="return-target"
          value={target}
          onChange={setTarget}
          style={{ width: '100%' }}
          options={[
            { value: 'previous', label: t('inbox.actions.returnPrevious') },
            { value: 'start', label: t('inbox.actions.returnStart') },
            ...returnTargets.map((n) => ({ value: n.id, label: n.name })),
          ]}
        />
      </Modal>
      <Modal
        open={dialog === 'transfer'}
        title={t('inbox.actions.transfer')}
        okText={t('inbox.actions.transferOk')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !to }}
        onCancel={() => setDialog(null)}
        onOk={() => decide('transfer', { to })}
      >
        <label htmlFor="transfer-to" className="inbox-label">
          {t('inbox.actions.transferTo')}
        </label>
        <Select
          id="transfer-to"
          showSearch
          optionFilterProp="label"
          value={to}
          onChange={setTo}
          style={{ width: '100%' }}
          options={members.map((m) => ({ value: m.id, label: m.name }))}
        />
      </Modal>
      <Modal
        open={dialog === 'addApprover'}
        title={t('inbox.actions.addApprover')}
        okText={t('inbox.actions.addApproverOk')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: added.length === 0 }}
        onCancel={() => setDialog(null)}
        onOk={() => decide('addApprover', { members: added, position })}
      >
        <label htmlFor="add-approvers" className="inbox-label">
          {t('inbox.actions.addApproverWho')}
        </label>
        <Select
          id="add-approvers"
          mode="multiple"
          optionFilterProp="label"
          value={added}
          onChange={setAdded}
          style={{ width: '100%', marginBottom: 12 }}
          options={members.map((m) => ({ value: m.id, label: m.name }))}
        />
        <Radio.Group
          aria-label={t('inbox.actions.addApproverWhen')}
          value={position}
          onChange={(e) => setPosition(e.target.value as 'before' | 'after')}
          options={[
            { value: 'before', label: t('inbox.actions.before') },
            { value: 'after', label: t('inbox.actions.after') },
          ]}
        />
      </Modal>
    </Flex>
  );
}
