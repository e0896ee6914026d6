import { Button, Result } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';

function CrashScreen({ detail }: { detail?: string }) {
  const { t } = useTranslation();
  return (
    <main role="alert">
      <Result
        status="error"
        title={t('states.crashTitle')}
        subTitle={detail ?? t('states.crashHint')}
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            {t('states.reload')}
          </Button>
        }
      />
    </main>
  );
}

/** The last line of defence: a render error anywhere shows a reload screen instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Unhandled UI error', error, info.componentStack);
  }

  override render() {
    return this.state.failed ? <CrashScreen /> : this.props.children;
  }
}

/** The router's error element: a failed lazy chunk (after a deploy) or a render error in a route. */
export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  console.error('Route error', error);
  return (
    <CrashScreen detail={error instanceof Error && /dynamically imported module|Failed to fetch/i.test(error.message) ? t('states.chunkFailed') : undefined} />
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <main>
      <Result
        status="404"
        title={t('states.pageNotFoundTitle')}
        subTitle={t('states.pageNotFoundHint')}
        extra={
          <Button type="primary" href="/">
            {t('states.backHome')}
          </Button>
        }
      />
    </main>
  );
}
