import type { Action, Preset, RowScope } from './types';

/** The four presets users of this kind of product know (仅提交, 提交并管理本人, 查看全部, 管理全部). */
export const PRESET_DEFINITIONS: Record<Preset, { name: string; actions: Action[]; rowScope: RowScope }> = {
  submit_only: { name: 'Submit only', actions: ['create'], rowScope: { kind: 'own' } },
  manage_own: { name: 'Submit and manage own', actions: ['create', 'view', 'edit', 'delete', 'print'], rowScope: { kind: 'own' } },
  view_all: { name: 'View all', actions: ['view', 'export', 'print'], rowScope: { kind: 'all' } },
  manage_all: {
    name: 'Manage all',
    actions: ['view', 'create', 'edit', 'delete', 'import', 'export', 'bulk_edit', 'print', 'view_all_instances', 'manage_instances'],
    rowScope: { kind: 'all' },
  },
};
