import { Checkbox } from 'antd';
import { memo } from 'react';
import type { TFunction } from 'i18next';

/**
 * One row's selection checkbox (antd's, labelled with the record). Memoised on the record's id and
 * whether it is checked: while scrolling, the rows that stay in sight keep their checkbox instead
 * of drawing it again on every frame as antd's own selection cell does.
 */
export const SelectCell = memo(function SelectCell({
  id,
  checked,
  onToggle,
  t,
}: {
  id: number;
  checked: boolean;
  /** `range`: Shift was held (select everything from the last ticked row to this one). */
  onToggle: (id: number, on: boolean, range: boolean) => void;
  /** The table's translate function (no translation hook per row: its listeners cost at every mount). */
  t: TFunction;
}) {
  return (
    <Checkbox
      checked={checked}
      aria-label={t('table.selectRow', { id })}
      onChange={(e) => onToggle(id, e.target.checked, (e.nativeEvent as MouseEvent).shiftKey === true)}
    />
  );
});
