import { singleChoiceFieldType } from './choice-field-types';

/** One option, shown as radio buttons. */
export const radioFieldType = singleChoiceFieldType({ key: 'radio', label: { en: 'Radio', 'zh-CN': '单选按钮组' } });
