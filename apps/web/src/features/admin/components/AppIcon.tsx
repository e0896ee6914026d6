import * as Icons from './app-icons';
import { APP_COLOURS } from '../../../app/theme';
import type { App } from '../../apps/api/apps.api';

/** The app's tile icon: its chosen icon and colour, else a default picked from its id (stable). */
export function AppIcon({ app, size = 40 }: { app: Pick<App, 'id' | 'icon' | 'color'>; size?: number }) {
  const fallbackIndex = [...String(app.id)].reduce((sum, ch) => sum + ch.charCodeAt(0), 0);
  const color = app.color ?? APP_COLOURS[fallbackIndex % APP_COLOURS.length];
  const Icon = Icons.APP_ICONS[app.icon as Icons.AppIconName] ?? Icons.APP_ICONS.appstore;
  return (
    <span
      aria-hidden
      style={{
        display: 'inline-flex',
        alignItems: 'center',
        justifyContent: 'center',
        width: size,
        height: size,
        borderRadius: 8,
        background: color,
        color: '#fff',
        fontSize: size * 0.5,
        flex: 'none',
      }}
    >
      <Icon />
    </span>
  );
}
