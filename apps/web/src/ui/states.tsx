import { Button, Empty, Flex, Result, Spin } from 'antd';
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

/** A failed load: the problem's text, a retry, and 404/403 told apart from a crash. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const status = error instanceof ApiError && (error.status === 404 || error.status === 403) ? (String(error.status) as '404' | '403') : 'error';
  const title = status === '404' ? t('states.notFoundTitle') : status === '403' ? t('states.forbiddenTitle') : t('states.errorTitle');
  return (
    <div role="alert">
      <Result
        status={status}
        title={title}
        subTitle={problemText(error, t)}
        extra={
          onRetry && (
            <Button type="primary" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          )
        }
      />
    </div>
  );
}
