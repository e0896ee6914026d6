/** Separators between the values of a multi-valued cell: , ， ; ； 、 and line breaks. */
const SEPARATOR = /([,，;；、]|\r\n|\r|\n)/;

/** Most values one cell may hold (the API's list limit). */
export const MAX_TOKENS = 1000;

/**
 * The values of a multi-valued cell. With `isKnown`, neighbouring pieces are joined back when
 * together they name a known value, so an option called "Red, dark" still matches as one
 * (longest known run of up to `maxRun` pieces first); pieces are trimmed and empty ones dropped.
 */
function piecesOf(text: string): { pieces: string[]; seps: string[] } {
  const parts = text.split(SEPARATOR);
  const pieces: string[] = [];
  const seps: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    pieces.push(parts[i]!);
    seps.push(parts[i + 1] ?? '');
  }
  return { pieces, seps };
}

/** Every run of up to `maxRun` neighbouring pieces, as splitValues would join them (the names to look up for a cell). */
export function valueRuns(text: string, maxRun: number): string[] {
  const { pieces, seps } = piecesOf(text);
  const out = new Set<string>();
  for (let i = 0; i < pieces.length; i++) {
    let joined = pieces[i]!;
    for (let j = i; j < Math.min(pieces.length, i + maxRun); j++) {
      if (j > i) joined += seps[j - 1]! + pieces[j]!;
      if (joined.trim() !== '') out.add(joined.trim());
    }
  }
  return [...out];
}

export function splitValues(text: string, isKnown?: (candidate: string) => boolean, maxRun = 10): string[] {
  const { pieces, seps } = piecesOf(text);
  const out: string[] = [];
  for (let i = 0; i < pieces.length;) {
    let end = i;
    if (isKnown) {
      for (let j = Math.min(pieces.length - 1, i + maxRun - 1); j > i; j--) {
        let joined = pieces[i]!;
        for (let k = i + 1; k <= j; k++) joined += seps[k - 1]! + pieces[k]!;
        if (isKnown(joined.trim())) {
          end = j;
          break;
        }
      }
    }
    let value = pieces[i]!;
    for (let k = i + 1; k <= end; k++) value += seps[k - 1]! + pieces[k]!;
    value = value.trim();
    if (value !== '') out.push(value);
    i = end + 1;
  }
  return out;
}

const NAME_AND_EMAIL = /^(.*?)\s*[<(（[]\s*([^\s<>()（）[\]]+@[^\s<>()（）[\]]+)\s*[>)）\]]$/;

/** How a member is written: an email, a name, or "Name <email>" / "Name (email)" (the email decides). */
export function memberToken(text: string): { email: string } | { name: string } {
  const folded = text.normalize('NFKC').trim();
  const both = NAME_AND_EMAIL.exec(folded);
  if (both) return { email: both[2]! };
  return folded.includes('@') && !/\s/.test(folded) ? { email: folded } : { name: folded };
}

/** A department written as a path from the top (总部/销售部/华东) or a name; '/', '／', '>' and '＞' separate levels. */
export function departmentPath(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/\s*[/>]\s*/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
