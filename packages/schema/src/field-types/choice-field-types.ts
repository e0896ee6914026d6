import { jsonListCodec, stringCodec } from '../db-codecs';
import type { Issue } from '../errors';
import type { FieldTypeDefinition, JsonSchema } from '../types';
import { CHOICE_OPERATORS, columnStorage, LIST_OPERATORS, rangeIssues, settingsObjectSchema, withBounds } from './field-type-helpers';

/** One choice of radio, select, checkbox, multiselect. */
export type ChoiceOption = { value: string; label: string; color?: string };

export const OPTIONS_SETTINGS_SCHEMA: JsonSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 500,
  items: {
    type: 'object',
    properties: {
      value: { type: 'string', minLength: 1, maxLength: 100 },
      label: { type: 'string', minLength: 1, maxLength: 200 },
      color: { type: 'string', minLength: 1, maxLength: 32 },
    },
    required: ['value', 'label'],
    additionalProperties: false,
  },
};

/** Issues for option values used twice, pointing at each later duplicate. */
export function duplicateOptionIssues(args: { options: readonly ChoiceOption[] }): Issue[] {
  const seen = new Map<string, number>();
  const issues: Issue[] = [];
  args.options.forEach((option, index) => {
    const first = seen.get(option.value);
    if (first === undefined) {
      seen.set(option.value, index);
      return;
    }
    const path = `/options/${index}/value`;
    issues.push({ path, code: 'duplicate_value', message: `${path} repeats the value of option ${first} (${JSON.stringify(option.value)})` });
  });
  return issues;
}

/** JSON Schema of one option value. */
export function optionValueSchema(args: { options: readonly ChoiceOption[] }): JsonSchema {
  return { type: 'string', enum: args.options.map((option) => option.value) };
}

// Factories shared by the two single-choice (radio, select) and two multi-choice
// (checkbox, multiselect) types, which differ only in their widget.

export type SingleChoiceSettings = { options: ChoiceOption[] };
export type MultiChoiceSettings = { options: ChoiceOption[]; minItems?: number; maxItems?: number };

/** Definition of a type whose value is one option value. */
export function singleChoiceFieldType(args: { key: 'radio' | 'select'; label: FieldTypeDefinition['label'] }): FieldTypeDefinition<SingleChoiceSettings> {
  return {
    key: args.key,
    label: args.label,
    settingsSchema: settingsObjectSchema({ properties: { options: OPTIONS_SETTINGS_SCHEMA }, required: ['options'] }),
    defaultSettings: {},
    refineSettings: ({ settings }) => ({ settings, issues: duplicateOptionIssues({ options: settings.options }) }),
    storage: () => columnStorage({ column: { kind: 'string', length: 255 }, indexable: true }),
    valueSchema: (settings) => optionValueSchema({ options: settings.options }),
    valueKind: () => 'string',
    operators: CHOICE_OPERATORS,
    operatorsFor: () => CHOICE_OPERATORS,
    sortable: true,
    uniqueAllowed: false,
    writable: true,
    publicFillable: true,
    ...stringCodec,
  };
}

/** Definition of a type whose value is a list of distinct option values (json column). */
export function multiChoiceFieldType(args: { key: 'checkbox' | 'multiselect'; label: FieldTypeDefinition['label'] }): FieldTypeDefinition<MultiChoiceSettings> {
  return {
    key: args.key,
    label: args.label,
    settingsSchema: settingsObjectSchema({
      properties: {
        options: OPTIONS_SETTINGS_SCHEMA,
        minItems: { type: 'integer', minimum: 0, maximum: 500 },
        maxItems: { type: 'integer', minimum: 1, maximum: 500 },
      },
      required: ['options'],
    }),
    defaultSettings: {},
    refineSettings: ({ settings }) => {
      const issues = [
        ...duplicateOptionIssues({ options: settings.options }),
        ...rangeIssues({ min: settings.minItems, max: settings.maxItems, minKey: 'minItems', maxKey: 'maxItems' }),
      ];
      if (settings.minItems !== undefined && settings.minItems > settings.options.length) {
        issues.push({
          path: '/minItems',
          code: 'invalid_range',
          message: `/minItems must not exceed the number of options (${settings.options.length})`,
        });
      }
      return { settings, issues };
    },
    storage: () => columnStorage({ column: { kind: 'json' }, indexable: false }),
    valueSchema: (settings) =>
      withBounds({
        schema: { type: 'array', items: optionValueSchema({ options: settings.options }), uniqueItems: true },
        bounds: { minItems: settings.minItems, maxItems: settings.maxItems },
      }),
    valueKind: () => 'string-list',
    operators: LIST_OPERATORS,
    operatorsFor: () => LIST_OPERATORS,
    sortable: false,
    uniqueAllowed: false,
    writable: true,
    publicFillable: true,
    ...jsonListCodec,
  };
}
