import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { i18n } from '../i18n/i18n';
import { theme } from './theme';

function AntdConfig({ children }: { children: ReactNode }) {
  // No space forced between two Chinese characters in buttons ("登 录"): 简道云 and 宜搭 do not either.
  // Re-renders on a language switch so antd's own texts (pagination, empty, modal buttons) follow.
  const { i18n: instance } = useTranslation();
  return (
    <ConfigProvider theme={theme} locale={instance.language === 'en' ? enUS : zhCN} button={{ autoInsertSpace: false }}>
      {children}
    </ConfigProvider>
  );
}

export function Providers({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={i18n}>
        <AntdConfig>{children}</AntdConfig>
      </I18nextProvider>
    </QueryClientProvider>
  );
}
