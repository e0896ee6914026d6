import type { CellRenderer } from './cells';

/** Rich text in a table: its text only (markup is never rendered in a cell). */
export const RichTextCell: CellRenderer = ({ value }) => {
  const text = new DOMParser().parseFromString(String(value), 'text/html').body.textContent ?? '';
  return (
    <span className="cell-clamp" title={text}>
      {text}
    </span>
  );
};

export const AddressCell: CellRenderer = ({ value }) => (value && typeof value === 'object' && 'text' in value ? String(value.text) : '');

export const LocationCell: CellRenderer = ({ value }) => {
  if (!value || typeof value !== 'object') return '';
  const p = value as { lat: number; lng: number; label?: string };
  return p.label ? `${p.label} (${p.lat}, ${p.lng})` : `${p.lat}, ${p.lng}`;
};

export const RatingCell: CellRenderer = ({ field, value }) => {
  const max = Number(field.settings.max ?? 5);
  const n = Number(value);
  return (
    <span role="img" aria-label={`${n} / ${max}`}>
      {'★'.repeat(n)}
      {'☆'.repeat(Math.max(0, max - n))}
    </span>
  );
};
