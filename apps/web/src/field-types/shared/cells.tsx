import type { FieldDefinition } from '@crm/schema';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatEach, formatMoney, formatNumber, formatReference, optionLabel } from './format-value';

/** Renders one non-empty value of a field inside a table cell. */
export type CellRenderer = (props: { field: FieldDefinition; value: unknown }) => ReactNode;

export const TextCell: CellRenderer = ({ value }) => formatEach({ value, format: String });

export const LongTextCell: CellRenderer = ({ value }) => {
  const text = String(value);
  return (
    <span className="cell-clamp" title={text}>
      {text}
    </span>
  );
};

export const UrlCell: CellRenderer = ({ value }) => {
  const url = String(value);
  // Only link real web addresses; a stored `javascript:` URL must not become clickable.
  return /^https?:\/\//i.test(url) ? (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {url}
    </a>
  ) : (
    url
  );
};

export const NumberCell: CellRenderer = ({ value }) => <span className="cell-number">{formatNumber({ value })}</span>;

export const MoneyCell: CellRenderer = ({ field, value }) => <span className="cell-number">{formatMoney({ field, value })}</span>;

export const DateCell: CellRenderer = ({ value }) => <time dateTime={String(value)}>{String(value)}</time>;

export const DateTimeCell: CellRenderer = ({ value }) => <time dateTime={String(value)}>{formatDateTime({ value })}</time>;

export const BooleanCell: CellRenderer = ({ value }) => <BooleanMark value={value} />;

function BooleanMark({ value }: { value: unknown }) {
  const { t } = useTranslation();
  const on = value === true || value === 1 || value === '1' || value === 'true';
  return (
    <span role="img" aria-label={on ? t('cells.yes') : t('cells.no')} className={on ? 'cell-bool cell-bool--on' : 'cell-bool'}>
      {on ? '✓' : '–'}
    </span>
  );
}

export const OptionCell: CellRenderer = ({ field, value }) => formatEach({ value, format: (item) => optionLabel({ field, value: item }) });

export const ReferenceCell: CellRenderer = ({ value }) => formatEach({ value, format: (item) => formatReference({ value: item }) });

export const AttachmentCell: CellRenderer = ({ value }) =>
  formatEach({
    value,
    format: (file) => (typeof file === 'object' && file !== null && 'name' in file ? String(file.name) : String(file)),
  });

export const SubformCell: CellRenderer = ({ value }) => <SubformCount count={Array.isArray(value) ? value.length : 0} />;

function SubformCount({ count }: { count: number }) {
  const { t } = useTranslation();
  return <>{t('cells.rows', { count })}</>;
}

/** A formula shows like a field of its result type. */
export const FormulaCell: CellRenderer = (props) => {
  const resultType = props.field.settings.resultType;
  const cell =
    resultType === 'date'
      ? DateCell
      : resultType === 'datetime'
        ? DateTimeCell
        : resultType === 'switch'
          ? BooleanCell
          : resultType === 'text'
            ? TextCell
            : NumberCell;
  return cell(props);
};
