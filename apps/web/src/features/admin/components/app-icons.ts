import {
  AppstoreOutlined,
  BankOutlined,
  CalendarOutlined,
  CustomerServiceOutlined,
  DollarOutlined,
  FileTextOutlined,
  ShopOutlined,
  ShoppingCartOutlined,
  TeamOutlined,
  ToolOutlined,
} from '@ant-design/icons';

/** The icons an admin may give an app; the key is what the server stores. */
export const APP_ICONS = {
  appstore: AppstoreOutlined,
  team: TeamOutlined,
  customer: CustomerServiceOutlined,
  dollar: DollarOutlined,
  cart: ShoppingCartOutlined,
  shop: ShopOutlined,
  bank: BankOutlined,
  file: FileTextOutlined,
  calendar: CalendarOutlined,
  tool: ToolOutlined,
} as const;

export type AppIconName = keyof typeof APP_ICONS;
