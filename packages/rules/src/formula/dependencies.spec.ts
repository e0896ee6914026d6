import { describe, expect, it } from 'vitest';
import { findCycleOrNull, formulaDependencies } from './dependencies';
import { parseFormulaOrThrow } from './parser';

const ast = (text: string) => parseFormulaOrThrow({ text });

describe('formulaDependencies', () => {
  it('lists field keys once, in order of first use, with subform column paths', () => {
    expect(formulaDependencies({ ast: ast('IF(b > 0, a / b, SUM(items.qty) + a + items.price)') })).toEqual(['b', 'a', 'items.qty', 'items.price']);
    expect(formulaDependencies({ ast: ast('TODAY() + 1') })).toEqual([]);
    expect(formulaDependencies({ ast: 42 })).toEqual([]);
  });
});

describe('findCycleOrNull', () => {
  it('finds no cycle in a dependency chain', () => {
    expect(findCycleOrNull({ formulas: { total: ast('subtotal * 1.13'), subtotal: ast('SUM(items.amount)'), tax: ast('total - subtotal') } })).toBeNull();
    expect(findCycleOrNull({ formulas: {} })).toBeNull();
  });

  it('names a cycle in order, its first key repeated at the end', () => {
    expect(findCycleOrNull({ formulas: { a: ast('a + 1') } })).toEqual(['a', 'a']);
    expect(findCycleOrNull({ formulas: { a: ast('b + 1'), b: ast('a * 2') } })).toEqual(['a', 'b', 'a']);
    expect(findCycleOrNull({ formulas: { x: ast('y'), y: ast('z & "!"'), z: ast('LEN(x)'), w: ast('x') } })).toEqual(['x', 'y', 'z', 'x']);
  });

  it('reports the cycle, not the path that leads into it', () => {
    expect(findCycleOrNull({ formulas: { a: ast('b'), b: ast('c'), c: ast('b') } })).toEqual(['b', 'c', 'b']);
  });

  it('follows row formulas of subforms through their column paths', () => {
    const formulas = {
      total: ast('SUM(items.amount)'),
      'items.amount': ast('items.qty * total'),
    };
    expect(findCycleOrNull({ formulas })).toEqual(['items.amount', 'total', 'items.amount']);
    expect(findCycleOrNull({ formulas: { total: ast('SUM(items.amount)'), 'items.amount': ast('items.qty * 2') } })).toBeNull();
  });

  it('is deterministic whatever the key order', () => {
    const one = findCycleOrNull({ formulas: { b: ast('a'), a: ast('c'), c: ast('b') } });
    const two = findCycleOrNull({ formulas: { c: ast('b'), a: ast('c'), b: ast('a') } });
    expect(one).toEqual(['a', 'c', 'b', 'a']);
    expect(two).toEqual(one);
  });

  it('handles long chains without recursion', () => {
    const formulas: Record<string, unknown> = {};
    for (let i = 0; i < 5_000; i += 1) formulas[`f${String(i).padStart(4, '0')}`] = { var: `f${String(i + 1).padStart(4, '0')}` };
    expect(findCycleOrNull({ formulas })).toBeNull();
    formulas.f5000 = { var: 'f0000' };
    expect(findCycleOrNull({ formulas })).toHaveLength(5_002);
  });
});
