import type { FieldTypeKey } from '@crm/schema';
import type { FieldTypeUi } from './field-type-ui';
import { attachmentUi } from './attachment';
import { checkboxUi } from './checkbox';
import { dateUi } from './date';
import { datetimeUi } from './datetime';
import { departmentUi } from './department';
import { emailUi } from './email';
import { formulaUi } from './formula';
import { memberUi } from './member';
import { moneyUi } from './money';
import { multiselectUi } from './multiselect';
import { numberUi } from './number';
import { phoneUi } from './phone';
import { radioUi } from './radio';
import { relationUi } from './relation';
import { rollupUi } from './rollup';
import { selectUi } from './select';
import { serialUi } from './serial';
import { subformUi } from './subform';
import { switchUi } from './switch';
import { textUi } from './text';
import { textareaUi } from './textarea';
import { urlUi } from './url';
import { richtextUi } from './richtext';
import { addressUi } from './address';
import { locationUi } from './location';
import { ratingUi } from './rating';
import { imageUi } from './image';
import { signatureUi } from './signature';

/**
 * The one list of field-type UIs: a field type the schema package knows but that has no folder
 * here is a compile error. Labels live in the locale files under `fieldTypes.<key>`.
 */
export const fieldTypeUis = {
  text: textUi,
  textarea: textareaUi,
  number: numberUi,
  money: moneyUi,
  email: emailUi,
  phone: phoneUi,
  url: urlUi,
  switch: switchUi,
  radio: radioUi,
  checkbox: checkboxUi,
  select: selectUi,
  multiselect: multiselectUi,
  date: dateUi,
  datetime: datetimeUi,
  member: memberUi,
  department: departmentUi,
  relation: relationUi,
  subform: subformUi,
  rollup: rollupUi,
  attachment: attachmentUi,
  serial: serialUi,
  formula: formulaUi,
  richtext: richtextUi,
  address: addressUi,
  location: locationUi,
  rating: ratingUi,
  image: imageUi,
  signature: signatureUi,
} satisfies Record<FieldTypeKey, FieldTypeUi>;

/** The palette's groups, in the order the designer shows them. */
export const FIELD_TYPE_GROUPS = ['basic', 'choice', 'datetime', 'people', 'relations', 'advanced', 'layout'] as const;
