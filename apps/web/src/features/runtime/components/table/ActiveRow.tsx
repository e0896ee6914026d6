import { createContext, useContext, useState, type ComponentProps, type FocusEvent } from 'react';

/** Whether the pointer is over the row or focus is inside it: only then does a cell draw its edit button. */
const RowActive = createContext(false);

export const useRowActive = () => useContext(RowActive);

/**
 * The table's body row: a plain <tr> that knows whether it is hovered or holds focus. Cells that
 * only matter to the row in use (the edit buttons) read it, so the rows scrolled past mount no
 * buttons; a keyboard user tabbing into the row (its checkbox or link) finds them next in order.
 */
export function ActiveRow({ onPointerEnter, onPointerLeave, onFocus, onBlur, ...props }: ComponentProps<'tr'>) {
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  return (
    <RowActive.Provider value={hovered || focused}>
      <tr
        {...props}
        onPointerEnter={(e) => {
          setHovered(true);
          onPointerEnter?.(e);
        }}
        onPointerLeave={(e) => {
          setHovered(false);
          onPointerLeave?.(e);
        }}
        onFocus={(e) => {
          setFocused(true);
          onFocus?.(e);
        }}
        onBlur={(e: FocusEvent<HTMLTableRowElement>) => {
          // Focus moving between the row's own controls keeps it active.
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(false);
          onBlur?.(e);
        }}
      />
    </RowActive.Provider>
  );
}
