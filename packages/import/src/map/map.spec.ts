import { describe, expect, it } from 'vitest';
import { field } from '../testing/fixtures';
import { columnLetter } from '../text';
import type { SourceColumn } from '../types';
import { autoMapColumns, checkMappingOrThrow } from './auto-map';

const columns = (...names: string[]): SourceColumn[] => names.map((name, index) => ({ index, name, letter: columnLetter(index) }));

const fields = [
  field('name', 'text', {}, { label: '客户名称', required: true }),
  field('customer_code', 'text', {}, { label: 'Customer code', unique: true }),
  field('level', 'select', { options: [{ value: 'a', label: 'A 级' }] }, { label: '客户等级' }),
  field('amount', 'money', {}, { label: '金额', required: true }),
  field(
    'items',
    'subform',
    { fields: [field('product', 'text', {}, { label: '产品' }), field('qty', 'number', {}, { label: 'Qty', required: true })] },
    { label: '明细' },
  ),
  field('no', 'serial', {}, { label: '编号' }),
  field('total', 'formula', { expression: '1' }, { label: '合计' }),
  field('files', 'attachment', {}, { label: '附件' }),
];

describe('autoMapColumns', () => {
  it('matches labels exactly, then ignoring case, width, spaces and punctuation; keys too', () => {
    const report = autoMapColumns({ columns: columns('客户名称', 'CUSTOMER_CODE', '客户 等级：', '金额*', 'customer-code'), fields });
    expect(report.columns.map((c) => [c.header, c.target, c.how, c.note ?? null])).toEqual([
      ['客户名称', 'name', 'label', null],
      ['CUSTOMER_CODE', 'customer_code', 'similar-label', null],
      ['客户 等级：', 'level', 'similar-label', null],
      ['金额*', 'amount', 'similar-label', null],
      ['customer-code', null, null, 'duplicate'],
    ]);
    expect(report.unmapped).toEqual([4]);
  });

  it('folds full-width letters and spaces', () => {
    expect(autoMapColumns({ columns: columns('ＣＵＳＴＯＭＥＲ　ＣＯＤＥ'), fields }).columns[0]!.target).toBe('customer_code');
  });

  it('prefers an exact match anywhere to a similar one earlier', () => {
    const report = autoMapColumns({ columns: columns('customer code', 'Customer code'), fields });
    expect(report.columns.map((c) => c.target)).toEqual([null, 'customer_code']);
  });

  it('knows the system fields in both languages; the read-only ones are recognised, not imported', () => {
    const report = autoMapColumns({ columns: columns('ID', '负责人', '创建人', 'Created at', '更新时间', 'owner'), fields });
    expect(report.columns.map((c) => [c.target, c.recognized ?? null, c.note ?? null])).toEqual([
      ['id', null, null],
      ['ownerId', null, null],
      [null, 'createdBy', 'not_importable'],
      [null, 'createdAt', 'not_importable'],
      [null, 'updatedAt', 'not_importable'],
      [null, null, 'duplicate'],
    ]);
    expect(report.unmapped).toEqual([2, 3, 4, 5]);
  });

  it('maps subform children as "Subform.Child" or by their own label; serials as match-only, computed fields not at all', () => {
    const report = autoMapColumns({ columns: columns('明细.产品', 'qty', '编号', '合计', '附件', ''), fields });
    expect(report.columns.map((c) => [c.target, c.importable, c.note ?? null])).toEqual([
      ['items.product', 'yes', null],
      ['items.qty', 'yes', null],
      ['no', 'match-only', null],
      [null, null, 'not_importable'],
      [null, null, 'not_importable'],
      [null, null, 'blank_header'],
    ]);
  });

  it('reports required fields no column fills, unless a default fills them', () => {
    const report = autoMapColumns({ columns: columns('明细.产品'), fields });
    expect(report.missingRequired).toEqual([
      { path: 'name', label: '客户名称' },
      { path: 'amount', label: '金额' },
      { path: 'items.qty', label: '明细.Qty' },
    ]);
    expect(autoMapColumns({ columns: columns('客户名称'), fields, fieldsWithDefaults: ['amount'] }).missingRequired).toEqual([]);
  });

  it('lists every target for the picker, system fields named in the chosen language', () => {
    const targets = autoMapColumns({ columns: [], fields, locale: 'zh-CN' }).targets;
    expect(targets.find((t) => t.path === 'ownerId')?.label).toBe('负责人');
    expect(targets.find((t) => t.path === 'items')?.importable).toBe('no');
  });
});

describe('checkMappingOrThrow', () => {
  const cols = columns('A', 'B', 'C');

  it('accepts a changed mapping and marks the user’s choices', () => {
    const report = checkMappingOrThrow({
      columns: cols,
      fields,
      mapping: [
        { column: 0, target: 'name' },
        { column: 1, target: 'amount' },
        { column: 2, target: null },
      ],
    });
    expect(report.columns.map((c) => [c.target, c.how])).toEqual([
      ['name', 'manual'],
      ['amount', 'manual'],
      [null, null],
    ]);
    expect(report.missingRequired).toEqual([]);
  });

  it('names every problem: unknown column or target, a target twice, a field that cannot be imported', () => {
    let error: unknown;
    try {
      checkMappingOrThrow({
        columns: cols,
        fields,
        mapping: [
          { column: 0, target: 'name' },
          { column: 1, target: 'name' },
          { column: 2, target: 'total' },
          { column: 9, target: 'nope' },
        ],
      });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'INVALID_MAPPING' });
    expect((error as { issues: { path: string; code: string }[] }).issues.map((i) => [i.path, i.code])).toEqual([
      ['/mapping/1/target', 'duplicate_target'],
      ['/mapping/2/target', 'not_importable'],
      ['/mapping/3/column', 'unknown_column'],
      ['/mapping/3/target', 'unknown_target'],
    ]);
  });

  it('refuses a target the user moved while its auto-mapped column still has it', () => {
    expect(() => checkMappingOrThrow({ columns: columns('客户名称', 'x'), fields, mapping: [{ column: 1, target: 'name' }] })).toThrow(
      /mapped from two columns/,
    );
  });
});
