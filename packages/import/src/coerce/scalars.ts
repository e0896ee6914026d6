import { HTTP_URL_PATTERN, PHONE_PATTERN } from '@crm/schema';
import { cellText, matchKey } from '../text';
import type { Cell } from '../types';
import { type Coerced, cellString, fail, ok } from './result';

/** A cell as text for a text field: trimmed; numbers, dates and booleans as a person reads them. */
export function textOf(cell: Cell): string {
  return typeof cell === 'string' ? cellString(cell) : cellText(cell).trim();
}

/** Single-line text: trimmed, at most `maxLength` characters (counted as the API counts them). */
export function coerceText(cell: Cell, maxLength: number): Coerced {
  const text = textOf(cell);
  if (text === '') return ok(null);
  // Code points never outnumber UTF-16 units: only a text longer than the limit in units is counted (no array per cell).
  return text.length > maxLength && [...text].length > maxLength ? fail('too_long', { max: String(maxLength) }) : ok(text);
}

/** Multi-line text: line breaks kept (CRLF as LF), ends trimmed. */
export function coerceTextarea(cell: Cell, maxLength: number): Coerced {
  return coerceText(typeof cell === 'string' ? cell.replace(/\r\n?/g, '\n') : cell, maxLength);
}

const NON_ASCII = /[\u0080-\uffff]/;
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** An email address; a `mailto:` link's address is taken; full-width characters folded. */
export function coerceEmail(cell: Cell): Coerced {
  const raw = textOf(cell);
  // NFKC changes nothing in ASCII text (most addresses).
  const text = (NON_ASCII.test(raw) ? raw.normalize('NFKC') : raw).replace(/^mailto:/i, '');
  if (text === '') return ok(null);
  return EMAIL.test(text) && text.length <= 255 ? ok(text) : fail('invalid_email');
}

const PHONE = new RegExp(PHONE_PATTERN);

/** A phone number: digits, spaces, dashes and a leading +; brackets and dots people write are dropped. */
export function coercePhone(cell: Cell): Coerced {
  const text = textOf(cell).normalize('NFKC');
  if (text === '') return ok(null);
  if (PHONE.test(text)) return ok(text);
  const plain = text
    .replace(/[().\u3000/]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return PHONE.test(plain) ? ok(plain) : fail('invalid_phone');
}

const HTTP_URL = new RegExp(HTTP_URL_PATTERN);
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const BARE_HOST = /^[^\s/?#:@]+\.[a-z]{2,}(?:[/?#:]\S*)?$/i;

/** A web link: http(s) only; a bare host such as www.example.com gets https://. */
export function coerceUrl(cell: Cell): Coerced {
  const text = textOf(cell);
  if (text === '') return ok(null);
  const url = !HAS_SCHEME.test(text) && BARE_HOST.test(text) ? `https://${text}` : text;
  if (!HTTP_URL.test(url) || /\s/.test(url) || url.length > 2000) return fail('invalid_url');
  try {
    new URL(url);
  } catch {
    return fail('invalid_url');
  }
  return ok(url);
}

const TRUE_WORDS = new Set(['是', '真', '对', '有', '√', '✓', '✔', '☑', 'yes', 'y', 'true', 't', '1', 'on', '开', '开启', '启用', '已启用', 'checked']);
const FALSE_WORDS = new Set(['否', '假', '错', '无', '×', '✗', '✘', '☐', 'no', 'n', 'false', 'f', '0', 'off', '关', '关闭', '停用', '已停用', 'unchecked']);

/** The words a cell may hold exactly as written (their matchKey is themselves): known without folding the cell. */
const TRUE_AS_IS = new Set([...TRUE_WORDS].filter((w) => matchKey(w) === w));
const FALSE_AS_IS = new Set([...FALSE_WORDS].filter((w) => matchKey(w) === w));

/** On/off from 是/否, yes/no, true/false, 1/0, ✓/✗ and the like (any case and width). */
export function coerceSwitch(cell: Cell): Coerced {
  if (typeof cell === 'boolean') return ok(cell);
  if (typeof cell === 'string' && TRUE_AS_IS.has(cell)) return ok(true);
  if (typeof cell === 'string' && FALSE_AS_IS.has(cell)) return ok(false);
  if (typeof cell === 'number') return cell === 1 ? ok(true) : cell === 0 ? ok(false) : fail('invalid_switch');
  const key = matchKey(textOf(cell));
  if (key === '') return ok(null);
  if (TRUE_WORDS.has(key)) return ok(true);
  if (FALSE_WORDS.has(key)) return ok(false);
  return fail('invalid_switch');
}
