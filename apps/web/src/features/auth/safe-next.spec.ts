import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('safeNext', () => {
  it('keeps a same-site path with its query', () => {
    expect(safeNext('/apps/1/entities/2/records/3?x=1')).toBe('/apps/1/entities/2/records/3?x=1');
  });

  it('sends anything that could leave the site home', () => {
    for (const next of [null, '', 'https://evil.example', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)'])
      expect(safeNext(next), String(next)).toBe('/');
  });
});
