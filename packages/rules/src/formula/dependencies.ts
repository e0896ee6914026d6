import { inspectFormulaAstOrThrow } from './ast';

/**
 * Field keys a formula reads, in order of first use; a subform column appears as its path
 * (`items.qty`). Throws FormulaError when the AST is not a formula.
 */
export function formulaDependencies({ ast }: { ast: unknown }): string[] {
  return [...inspectFormulaAstOrThrow(ast).dependencies];
}

/**
 * A dependency cycle among formula fields, or null. Keys of `formulas` are field keys (a row
 * formula of a subform: `items.amount`); a formula depends on another when it reads its key, or
 * a column path below it. The cycle is named in order with its first key repeated at the end
 * (`["a", "b", "a"]`: a reads b, b reads a); the search is deterministic (keys in sorted order).
 */
export function findCycleOrNull({ formulas }: { formulas: Readonly<Record<string, unknown>> }): string[] | null {
  const keys = Object.keys(formulas).sort();
  const known = new Set(keys);
  const edges = new Map<string, string[]>();
  for (const key of keys) {
    const targets = new Set<string>();
    for (const path of formulaDependencies({ ast: formulas[key] })) {
      if (known.has(path)) targets.add(path);
      const dot = path.indexOf('.');
      if (dot > 0 && known.has(path.slice(0, dot))) targets.add(path.slice(0, dot));
    }
    edges.set(key, [...targets].sort());
  }
  // Iterative depth-first search; `onPath` holds the current chain in order.
  const done = new Set<string>();
  for (const root of keys) {
    if (done.has(root)) continue;
    const onPath: string[] = [];
    const position = new Map<string, number>();
    const stack: { key: string; next: number }[] = [{ key: root, next: 0 }];
    position.set(root, 0);
    onPath.push(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const targets = edges.get(frame.key)!;
      if (frame.next >= targets.length) {
        stack.pop();
        onPath.pop();
        position.delete(frame.key);
        done.add(frame.key);
        continue;
      }
      const target = targets[frame.next++]!;
      const at = position.get(target);
      if (at !== undefined) return [...onPath.slice(at), target];
      if (done.has(target)) continue;
      position.set(target, onPath.length);
      onPath.push(target);
      stack.push({ key: target, next: 0 });
    }
  }
  return null;
}
