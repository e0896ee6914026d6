import { describe, expect, it } from 'vitest';
import { fileRefusal, filesOfValue, formatBytes, mimeAllowed } from './upload';

describe('upload checks', () => {
  it('refuses a file past the field maximum or of a type it does not take', () => {
    expect(fileRefusal({ file: { type: 'image/png' }, count: 9, maxFiles: 9 })).toEqual({ key: 'tooMany', max: 9 });
    expect(fileRefusal({ file: { type: 'application/pdf' }, count: 0, maxFiles: 9, accept: ['image/*'] })).toEqual({ key: 'badType' });
    expect(fileRefusal({ file: { type: 'image/webp' }, count: 0, maxFiles: 9, accept: ['image/*'] })).toBeNull();
  });

  it('matches type patterns like the server', () => {
    expect(mimeAllowed('image/png', undefined)).toBe(true);
    expect(mimeAllowed('IMAGE/PNG', ['image/*'])).toBe(true);
    expect(mimeAllowed('imagex/png', ['image/*'])).toBe(false);
    expect(mimeAllowed('text/csv', ['*/*'])).toBe(true);
    expect(mimeAllowed('text/csv', ['application/pdf'])).toBe(false);
  });

  it('reads stored files and bare ids, skipping junk', () => {
    expect(filesOfValue([{ id: 'f1', name: 'a.pdf', size: 3, mime: 'application/pdf' }, 'f2', null, 3])).toEqual([
      { id: 'f1', name: 'a.pdf', size: 3, mime: 'application/pdf' },
      { id: 'f2', name: 'f2', size: 0, mime: '' },
    ]);
    expect(filesOfValue(undefined)).toEqual([]);
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
