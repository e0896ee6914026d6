import { positionAt } from './ast';
import { FormulaError, FormulaErrorCode } from './errors';

export type TokenKind = 'number' | 'string' | 'identifier' | 'label' | 'operator' | '(' | ')' | ',' | '.' | 'end';

export interface Token {
  kind: TokenKind;
  /** Number value, unescaped string or label, identifier, or canonical operator symbol. */
  value: string | number;
  start: number;
  end: number;
}

/** Comparison operators also accepted in programmers' spelling. */
const OPERATOR_ALIASES: Readonly<Record<string, string>> = { '==': '=', '!=': '<>' };
const OPERATORS = ['<>', '<=', '>=', '==', '!=', '+', '-', '*', '/', '&', '=', '<', '>'];
/** Full-width punctuation an input method slips in, with what was meant. */
const FULL_WIDTH: Readonly<Record<string, string>> = { '（': '(', '）': ')', '，': ',', '“': '"', '”': '"', '；': ',', '＝': '=', '＋': '+', '－': '-' };
const MAX_LABEL_LENGTH = 200;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseError(text: string, start: number, end: number, message: string): FormulaError {
  return new FormulaError(FormulaErrorCode.FORMULA_PARSE, message, { position: positionAt(text, start, end) });
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isIdentifierStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentifierPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Splits formula text into tokens; FORMULA_PARSE with the position on the first bad character. */
export function tokenizeOrThrow(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1]))) {
      i = scanNumber(text, i);
      const value = Number(text.slice(start, i));
      if (!Number.isFinite(value)) throw parseError(text, start, i, 'This number is too large');
      tokens.push({ kind: 'number', value, start, end: i });
    } else if (c === '"') {
      const { value, end } = scanString(text, i);
      tokens.push({ kind: 'string', value, start, end });
      i = end;
    } else if (c === '{') {
      const { value, end } = scanLabel(text, i);
      tokens.push({ kind: 'label', value, start, end });
      i = end;
    } else if (isIdentifierStart(c)) {
      while (isIdentifierPart(text[i])) i += 1;
      tokens.push({ kind: 'identifier', value: text.slice(start, i), start, end: i });
    } else if (c === '(' || c === ')' || c === ',' || c === '.') {
      tokens.push({ kind: c, value: c, start, end: i + 1 });
      i += 1;
    } else {
      const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
      if (op === undefined) throw parseError(text, start, start + 1, unexpectedCharacter(text, i));
      tokens.push({ kind: 'operator', value: OPERATOR_ALIASES[op] ?? op, start, end: i + op.length });
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', value: '', start: text.length, end: text.length });
  return tokens;
}

function scanNumber(text: string, from: number): number {
  let i = from;
  while (isDigit(text[i])) i += 1;
  if (text[i] === '.') {
    i += 1;
    if (!isDigit(text[i])) throw parseError(text, from, i, 'A decimal point must be followed by digits');
    while (isDigit(text[i])) i += 1;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j += 1;
    if (!isDigit(text[j])) throw parseError(text, from, j, 'An exponent must have digits, e.g. 1e6');
    while (isDigit(text[j])) j += 1;
    i = j;
  }
  if (isIdentifierPart(text[i])) throw parseError(text, from, i + 1, 'A number must not run into letters');
  return i;
}

function scanString(text: string, from: number): { value: string; end: number } {
  let value = '';
  let i = from + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw parseError(text, i, i + 2, 'Write \\u with four hexadecimal digits, e.g. \\u00e9');
      value += String.fromCharCode(parseInt(hex, 16));
      i += 6;
    } else if (next !== undefined && Object.hasOwn(ESCAPES, next)) {
      value += ESCAPES[next]!;
      i += 2;
    } else {
      throw parseError(text, i, i + 2, 'Unknown escape: use \\" \\\\ \\n \\t \\r or \\uXXXX');
    }
  }
  throw parseError(text, from, from + 1, 'This text has no closing "');
}

function scanLabel(text: string, from: number): { value: string; end: number } {
  let value = '';
  let i = from + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '}') {
      if (value.length === 0) throw parseError(text, from, i + 1, 'A field label in braces must not be empty');
      return { value, end: i + 1 };
    }
    if (c === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
    } else {
      value += c;
      i += 1;
    }
    if (value.length > MAX_LABEL_LENGTH) throw parseError(text, from, i, `A field label may have at most ${MAX_LABEL_LENGTH} characters`);
  }
  throw parseError(text, from, from + 1, 'This field label has no closing }');
}

function unexpectedCharacter(text: string, i: number): string {
  const char = String.fromCodePoint(text.codePointAt(i)!);
  const meant = FULL_WIDTH[char];
  if (meant !== undefined) return `Full-width "${char}": write "${meant}" instead`;
  if (/\p{L}/u.test(char)) return `Unexpected "${char}": write a field label in braces, e.g. {客户名称}`;
  if (char === "'") return 'Write text in double quotes: "…"';
  return `Unexpected character "${char}"`;
}
