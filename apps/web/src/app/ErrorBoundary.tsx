import { Button, theme } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/** A full-page message with one way out; plain elements on antd tokens, as it ships in the first chunk. */
function PageMessage({ title, detail, action, alert }: { title: string; detail: string; action: ReactNode; alert?: boolean }) {
  const { token } = theme.useToken();
  return (
    <main role={alert ? 'alert' : undefined} style={{ maxWidth: 480, margin: '15vh auto 0', padding: 24, textAlign: 'center' }}>
      <h1 style={{ fontSize: 22, fontWeight: 600, color: token.colorText, margin: '0 0 8px' }}>{title}</h1>
      <p style={{ color: token.colorTextSecondary, margin: '0 0 24px' }}>{detail}</p>
      {action}
    </main>
  );
}

function CrashScreen({ detail }: { detail?: string }) {
  const { t } = useTranslation();
  return (
    <PageMessage
      alert
      title={t('states.crashTitle')}
      detail={detail ?? t('states.crashHint')}
      action={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('states.reload')}
        </Button>
      }
    />
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
    <PageMessage
      title={t('states.pageNotFoundTitle')}
      detail={t('states.pageNotFoundHint')}
      action={
        <Button type="primary" href="/">
          {t('states.backHome')}
        </Button>
      }
    />
  );
}
