const TOKEN = /^\$(form|row)\.([a-z][a-z0-9_]{0,47})$/;

/** A `$form.<key>` / `$row.<key>` value in a relation picker's filter. */
export interface FormToken {
  scope: 'form' | 'row';
  key: string;
}

/** The form-value tokens a picker filter uses (for design-time checks). */
export function formTokens(condition: unknown): FormToken[] {
  const out: FormToken[] = [];
  const stack: unknown[] = [condition];
  while (stack.length) {
    const node = stack.pop();
    if (typeof node === 'string') {
      const m = TOKEN.exec(node);
      if (m) out.push({ scope: m[1] as 'form' | 'row', key: m[2] });
    } else if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === 'object') stack.push(...Object.values(node));
  }
  return out;
}

const own = (o: Record<string, unknown> | undefined, k: string) => (o && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

/**
 * Replaces `$form.<key>` with the current value of field `<key>` of the form being filled in
 * and `$row.<key>` with a column of the current subform row; a value not given is null. Only
 * whole-string tokens are replaced, and only own properties are read.
 */
export function substituteFormValues(args: { condition: unknown; form?: Record<string, unknown>; row?: Record<string, unknown> }): unknown {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const m = TOKEN.exec(node);
      if (!m) return node;
      return own(m[1] === 'form' ? args.form : args.row, m[2]) ?? null;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(args.condition);
}
