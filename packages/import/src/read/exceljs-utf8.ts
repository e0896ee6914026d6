import { createRequire } from 'node:module';

/**
 * exceljs's streaming reader decodes each inflated chunk of the sheet XML on its own
 * (lib/utils/parse-sax.js), so a character whose UTF-8 bytes straddle two 16 KB chunks
 * becomes U+FFFD: about one Chinese cell in two thousand is garbled (exceljs issues #2063,
 * #2084, #2316; fixes #1665, #2213 unmerged). Giving each XML entry of the zip a UTF-8
 * encoding makes the entry stream emit whole characters, which the parser passes through. The
 * reader looks `unzipper.Parse` up on each read, so it is wrapped here, once.
 */
export function fixExceljsUtf8(): void {
  const fromExceljs = createRequire(require.resolve('exceljs/package.json'));
  const unzipper = fromExceljs('unzipper') as { Parse: (opts: unknown) => NodeJS.ReadWriteStream; __crmUtf8?: true };
  if (unzipper.__crmUtf8) return;
  const parse = unzipper.Parse;
  unzipper.Parse = function utf8Parse(opts: unknown) {
    const zip = parse(opts) as NodeJS.ReadWriteStream & { push: (chunk: unknown) => boolean };
    const push = zip.push.bind(zip);
    zip.push = (entry: unknown) => {
      const e = entry as { path?: string; setEncoding?: (enc: string) => void } | null;
      if (e && typeof e.path === 'string' && /\.(xml|rels)$/i.test(e.path)) e.setEncoding?.('utf8');
      return push(entry);
    };
    return zip;
  };
  unzipper.__crmUtf8 = true;
}
