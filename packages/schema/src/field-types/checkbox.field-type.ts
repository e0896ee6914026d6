import { multiChoiceFieldType } from './choice-field-types';

/** Several options, shown as check boxes. */
export const checkboxFieldType = multiChoiceFieldType({ key: 'checkbox', label: { en: 'Checkboxes', 'zh-CN': '复选框组' } });
