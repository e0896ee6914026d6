import { theme } from 'antd';
import type { ReactNode } from 'react';
import { LanguageSwitch } from '../../../ui/LanguageSwitch';

/**
 * The frame of the signed-out pages: a centred panel under a bar with the language switch.
 * Plain elements styled with antd tokens rather than Card/Typography, which would pull Tabs,
 * Skeleton and Tooltip into the sign-in chunk.
 */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', background: token.colorBgLayout }}>
      <div style={{ display: 'flex', justifyContent: 'flex-end', padding: '8px 16px' }}>
        <LanguageSwitch />
      </div>
      <main style={{ flex: 1, display: 'flex', justifyContent: 'center', alignItems: 'flex-start', padding: '8vh 16px 16px' }}>
        <div
          style={{
            width: '100%',
            maxWidth: 400,
            padding: 24,
            background: token.colorBgContainer,
            borderRadius: token.borderRadiusLG,
            border: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <h1 style={{ fontSize: 22, fontWeight: 600, margin: '0 0 8px', color: token.colorText }}>{title}</h1>
          {subtitle && <p style={{ margin: '0 0 16px', color: token.colorTextSecondary }}>{subtitle}</p>}
          {children}
        </div>
      </main>
    </div>
  );
}
