import type { FieldDefinition } from '@crm/schema';

/** Label of a select/radio/checkbox option; options may be plain strings or `{ value, label }` objects. */
export function optionLabel({ field, value }: { field: FieldDefinition; value: unknown }): string {
  const options = field.settings?.options;
  if (Array.isArray(options)) {
    for (const option of options) {
      if (typeof option === 'string' && option === value) return option;
      if (typeof option === 'object' && option !== null) {
        const { value: optionValue, key, id, label } = option as Record<string, unknown>;
        if ((optionValue ?? key ?? id) === value && typeof label === 'string') return label;
      }
    }
  }
  return String(value);
}

/** Number formats by their options: making one costs far more than formatting (a table draws hundreds of cells a second). */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(undefined, options)));
  return f;
}

/** Formats a money amount in the field's currency and precision; DECIMAL values may arrive as strings. */
export function formatMoney({ field, value }: { field: FieldDefinition; value: unknown }): string {
  const amount = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(amount)) return String(value);
  const { currency, precision } = field.settings ?? {};
  const digits = typeof precision === 'number' && precision >= 0 && precision <= 20 ? precision : 2;
  const options: Intl.NumberFormatOptions = { minimumFractionDigits: digits, maximumFractionDigits: digits };
  if (typeof currency === 'string' && /^[A-Z]{3}$/.test(currency)) {
    return numberFormat({ ...options, style: 'currency', currency }).format(amount);
  }
  return numberFormat(options).format(amount);
}

export function formatNumber({ value }: { value: unknown }): string {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? numberFormat().format(n) : String(value);
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime({ value }: { value: unknown }): string {
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : dateTimeFormat.format(date);
}

/** Names something that may be an id, an expanded object or a string: `name`/`label` first, else `#id`. */
export function formatReference({ value }: { value: unknown }): string {
  if (typeof value === 'number') return `#${value}`;
  if (typeof value === 'string') return /^\d+$/.test(value) ? `#${value}` : value;
  if (typeof value === 'object' && value !== null) {
    const { name, label, id } = value as Record<string, unknown>;
    if (typeof name === 'string') return name;
    if (typeof label === 'string') return label;
    if (typeof id === 'number' || typeof id === 'string') return `#${id}`;
  }
  return String(value);
}

/** Applies `format` to one value or to each item of a list, joined with commas. */
export function formatEach({ value, format }: { value: unknown; format: (item: unknown) => string }): string {
  return Array.isArray(value) ? value.map(format).join(', ') : format(value);
}

export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}
