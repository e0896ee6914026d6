import { directoryFieldType } from './directory-field-types';

/** One or several workspace members (user ids). */
export const memberFieldType = directoryFieldType({ key: 'member', label: { en: 'Member', 'zh-CN': '成员' } });
