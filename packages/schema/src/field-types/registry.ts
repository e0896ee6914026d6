import { SchemaError, SchemaErrorCode } from '../errors';
import type { FieldTypeDefinition, FieldTypeKey } from '../types';
import { attachmentFieldType } from './attachment.field-type';
import { checkboxFieldType } from './checkbox.field-type';
import { dateFieldType } from './date.field-type';
import { datetimeFieldType } from './datetime.field-type';
import { departmentFieldType } from './department.field-type';
import { emailFieldType } from './email.field-type';
import { formulaFieldType } from './formula.field-type';
import { memberFieldType } from './member.field-type';
import { moneyFieldType } from './money.field-type';
import { multiselectFieldType } from './multiselect.field-type';
import { numberFieldType } from './number.field-type';
import { phoneFieldType } from './phone.field-type';
import { radioFieldType } from './radio.field-type';
import { relationFieldType } from './relation.field-type';
import { rollupFieldType } from './rollup.field-type';
import { selectFieldType } from './select.field-type';
import { serialFieldType } from './serial.field-type';
import { subformFieldType } from './subform.field-type';
import { switchFieldType } from './switch.field-type';
import { textFieldType } from './text.field-type';
import { textareaFieldType } from './textarea.field-type';
import { urlFieldType } from './url.field-type';
import { addressFieldType } from './address.field-type';
import { locationFieldType } from './location.field-type';
import { ratingFieldType } from './rating.field-type';
import { richtextFieldType } from './richtext.field-type';
import { imageFieldType } from './image.field-type';
import { signatureFieldType } from './signature.field-type';

/** Every field type by key; a missing type is a compile error. */
export const fieldTypes = {
  text: textFieldType,
  textarea: textareaFieldType,
  number: numberFieldType,
  money: moneyFieldType,
  date: dateFieldType,
  datetime: datetimeFieldType,
  switch: switchFieldType,
  radio: radioFieldType,
  checkbox: checkboxFieldType,
  select: selectFieldType,
  multiselect: multiselectFieldType,
  email: emailFieldType,
  phone: phoneFieldType,
  url: urlFieldType,
  member: memberFieldType,
  department: departmentFieldType,
  relation: relationFieldType,
  subform: subformFieldType,
  attachment: attachmentFieldType,
  serial: serialFieldType,
  formula: formulaFieldType,
  rollup: rollupFieldType,
  richtext: richtextFieldType,
  address: addressFieldType,
  location: locationFieldType,
  rating: ratingFieldType,
  image: imageFieldType,
  signature: signatureFieldType,
} satisfies Record<FieldTypeKey, FieldTypeDefinition<any>>;

/** Whether a string names a field type (own keys only: 'toString' is not one). */
export function isFieldTypeKey(key: unknown): key is FieldTypeKey {
  return typeof key === 'string' && Object.hasOwn(fieldTypes, key);
}

/** The definition of a field type; UNKNOWN_FIELD_TYPE naming it when there is none. */
export function getFieldTypeOrThrow(key: string): FieldTypeDefinition {
  if (!isFieldTypeKey(key)) {
    throw new SchemaError({
      code: SchemaErrorCode.UNKNOWN_FIELD_TYPE,
      message: `Unknown field type "${String(key)}".`,
      details: { type: key },
    });
  }
  return fieldTypes[key] as unknown as FieldTypeDefinition;
}
