import { describe, expect, it } from 'vitest';
import { i18n } from '../../i18n/i18n';
import { fileRefusal, filesOfValue, formatBytes, mimeAllowed, UploadProblem, uploadProblemText } from './upload';

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

  it('says an upload refusal in the member’s language: a file over the limit says to choose a smaller one', async () => {
    const tooLarge = new UploadProblem({
      type: 'about:blank',
      title: 'Request body too large',
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      detail: 'File too large',
    });
    const unknown = new UploadProblem({ type: 'about:blank', title: 'Odd', status: 400, code: 'SOMETHING_NEW' as never, detail: 'The server’s own words' });
    await i18n.changeLanguage('zh-CN');
    expect(uploadProblemText(tooLarge, i18n.t)).toBe('文件超过了服务器允许的大小，请选择更小的文件');
    await i18n.changeLanguage('en');
    expect(uploadProblemText(tooLarge, i18n.t)).toBe('it is larger than the server accepts; choose a smaller file');
    expect(uploadProblemText(unknown, i18n.t)).toBe('The server’s own words');
  });
});
