import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { DepartmentsTab } from './DepartmentsTab';
import { MembersTab } from './MembersTab';
import { RolesTab } from './RolesTab';

const TABS = ['members', 'departments', 'roles'] as const;

/** 组织架构 (workspace admins): members, the department tree and roles, one tab each with its own URL. */
export function OrgPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { tab } = useParams();
  const active = (TABS as readonly string[]).includes(tab ?? '') ? tab! : 'members';
  return (
    <div style={{ maxWidth: 1200, margin: '0 auto' }}>
      <Typography.Title level={1} style={{ fontSize: 20 }}>
        {t('org.title')}
      </Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/admin/org/${key}`)}
        destroyOnHidden
        items={[
          { key: 'members', label: t('org.tabs.members'), children: <MembersTab /> },
          { key: 'departments', label: t('org.tabs.departments'), children: <DepartmentsTab /> },
          { key: 'roles', label: t('org.tabs.roles'), children: <RolesTab /> },
        ]}
      />
    </div>
  );
}
