import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { LanguageSwitch } from '../../../ui/LanguageSwitch';

/** The frame of the signed-out pages: a centred card under a bar with the language switch. */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  return (
    <Flex vertical style={{ minHeight: '100vh', background: 'var(--crm-color-bg-layout, #f5f6f8)' }}>
      <Flex justify="flex-end" style={{ padding: '8px 16px' }}>
        <LanguageSwitch />
      </Flex>
      <Flex component="main" justify="center" align="flex-start" style={{ flex: 1, padding: '8vh 16px 16px' }}>
        <Card style={{ width: '100%', maxWidth: 400 }}>
          <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
            {title}
          </Typography.Title>
          {subtitle && <Typography.Paragraph type="secondary">{subtitle}</Typography.Paragraph>}
          {children}
        </Card>
      </Flex>
    </Flex>
  );
}
