import { multiChoiceFieldType } from './choice-field-types';

/** Several options, shown as a multi-select drop-down. */
export const multiselectFieldType = multiChoiceFieldType({
  key: 'multiselect',
  label: { en: 'Multi-select', 'zh-CN': '下拉复选框' },
});
