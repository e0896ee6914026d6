import type { ThemeConfig } from 'antd';

/**
 * The one place for the look: antd design tokens. Dense enterprise screens (简道云 / 宜搭 style):
 * a blue primary, 6 px radius, compact controls in tables and sidebars.
 */
export const theme: ThemeConfig = {
  cssVar: { key: 'crm' },
  // antd's component styles come from its prebuilt antd/dist/antd.css (imported in main.tsx) instead of
  // being generated at run time: the first mount of a component no longer registers its CSS in the
  // commit (the designer's long reorder frame, the staff form's mount). The tokens below still reach
  // the components as CSS variables, which antd writes at run time under the `crm` class.
  zeroRuntime: true,
  token: {
    colorPrimary: '#2357d9',
    colorLink: '#2357d9',
    colorError: '#b42318',
    colorBgLayout: '#f5f6f8',
    // Secondary and description texts at 4.5:1 or better on white and on the layout grey (WCAG AA; axe checks it).
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.58)',
    // Placeholders of the view toolbar's selects ("Sort by", "Group by") must pass 4.5:1 as well.
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.58)',
    borderRadius: 6,
    fontSize: 14,
    fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC', 'Microsoft YaHei', sans-serif",
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#ffffff', headerHeight: 56, headerPadding: '0 16px' },
    Menu: { itemHeight: 36 },
    Table: { cellPaddingBlockSM: 6 },
  },
};

/** Colours an admin may give an app (icon background); the first is the default. */
export const APP_COLOURS = ['#2357d9', '#13a8a8', '#2f9e44', '#f08c00', '#e03131', '#9c36b5', '#495057', '#1c7ed6'] as const;
