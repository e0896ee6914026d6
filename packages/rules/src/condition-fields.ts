/** Field keys a condition reads (every `{"var": key}`), for permission checks before compiling. */
export function conditionFieldKeys(condition: unknown): string[] {
  const keys = new Set<string>();
  const stack: unknown[] = [condition];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'var') {
          const name = Array.isArray(v) ? v[0] : v;
          if (typeof name === 'string') keys.add(name);
        } else stack.push(v);
      }
    }
  }
  return [...keys];
}
