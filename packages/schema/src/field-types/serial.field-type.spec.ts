import { describe, expect, it } from 'vitest';
import { formatSerial, serialPeriod, type SerialSettings } from './serial.field-type';

const settings: SerialSettings = { prefix: 'QT-', datePart: 'YYYYMMDD', digits: 4, reset: 'never' };
const date = new Date('2026-11-23T10:00:00Z');

describe('formatSerial', () => {
  it('joins prefix, UTC date part and zero-padded counter', () => {
    expect(formatSerial({ settings, counter: 7, date })).toBe('QT-202611230007');
    expect(formatSerial({ settings: { ...settings, datePart: 'YYYYMM' }, counter: 7, date })).toBe('QT-2026110007');
    expect(formatSerial({ settings: { ...settings, datePart: 'YYYY' }, counter: 7, date })).toBe('QT-20260007');
    expect(formatSerial({ settings: { ...settings, prefix: '', datePart: '', digits: 6 }, counter: 42, date })).toBe('000042');
  });

  it('prints a counter wider than digits in full', () => {
    expect(formatSerial({ settings, counter: 123456, date })).toBe('QT-20261123123456');
  });

  it('uses the UTC date', () => {
    expect(formatSerial({ settings, counter: 1, date: new Date('2026-11-23T23:30:00-02:00') })).toBe('QT-202611240001');
  });
});

describe('serialPeriod', () => {
  it.each([
    ['never', ''],
    ['yearly', '2026'],
    ['monthly', '202611'],
    ['daily', '20261123'],
  ] as const)('%s resets give bucket %j', (reset, bucket) => {
    expect(serialPeriod({ settings: { reset }, date })).toBe(bucket);
  });

  it('pads months and days and uses UTC', () => {
    expect(serialPeriod({ settings: { reset: 'daily' }, date: new Date('2027-01-05T02:00:00+08:00') })).toBe('20270104');
  });
});
