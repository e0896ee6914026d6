// The organisation and permissions chunk (admins): members, departments, roles, tokens; an app's
// permission groups, app admins and "view as member"; the audit log.
export { OrgPage } from './components/OrgPage';
export { AppPermissionsPage } from './components/AppPermissionsPage';
export { AuditLogPage } from './components/AuditLogPage';
export { FormulaTesterPage } from './components/FormulaTesterPage';
