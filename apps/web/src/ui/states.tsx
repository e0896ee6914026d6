import { Alert, Button, Empty, Flex, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { problemText } from './problem';

/** A loading placeholder that screen readers announce. */
export function LoadingState({ label }: { label?: string }) {
  const { t } = useTranslation();
  const text = label ?? t('common.loading');
  return (
    <Flex role="status" aria-live="polite" align="center" justify="center" gap={12} style={{ padding: 48, width: '100%' }}>
      <Spin />
      <span>{text}</span>
    </Flex>
  );
}

/** Nothing here yet: says what would be here and, optionally, how to add the first one. */
export function EmptyState({ title, description, action }: { title: string; description?: string; action?: ReactNode }) {
  return (
    <Empty
      style={{ padding: 32 }}
      description={
        <>
          <div style={{ fontWeight: 600 }}>{title}</div>
          {description && <div>{description}</div>}
        </>
      }
    >
      {action}
    </Empty>
  );
}

/**
 * A failed load: what went wrong (404 and 403 told apart from a crash), the problem's text and a
 * retry. An Alert rather than Result: this sits in the first chunk, Result's illustrations do not.
 */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const status = error instanceof ApiError ? error.status : 0;
  const title = status === 404 ? t('states.notFoundTitle') : status === 403 ? t('states.forbiddenTitle') : t('states.errorTitle');
  return (
    <Alert
      role="alert"
      type={status === 404 || status === 403 ? 'warning' : 'error'}
      showIcon
      title={title}
      description={problemText(error, t)}
      style={{ margin: '24px auto', maxWidth: 640 }}
      action={
        onRetry && (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )
      }
    />
  );
}
