import { singleChoiceFieldType } from './choice-field-types';

/** One option, shown as a drop-down. */
export const selectFieldType = singleChoiceFieldType({ key: 'select', label: { en: 'Select', 'zh-CN': '下拉框' } });
