import { directoryFieldType } from './directory-field-types';

/** One or several departments (department ids). */
export const departmentFieldType = directoryFieldType({ key: 'department', label: { en: 'Department', 'zh-CN': '部门' } });
