import { arityProblemOf, keyProblem, positionAt, recordSpans, type FormulaAst, type FormulaNode } from './ast';
import { FormulaError, FormulaErrorCode } from './errors';
import { isFormulaFunctionName } from './functions';
import { parseError, tokenizeOrThrow, type Token } from './lexer';
import { FORMULA_LIMITS } from './limits';
import { OPERATOR_DEFINITIONS, type FormulaOperator } from './operators';

/** Resolves a field label written in braces to its key; `scope.subform` is set for a column after `{Subform}.`. */
export type ResolveLabel = (label: string, scope?: { subform: string }) => string | undefined;

export interface ParseFormulaInput {
  text: string;
  /** Needed for `{label}` references; the AST stores keys. */
  resolveLabel?: ResolveLabel;
}

const SYMBOL_TO_OPERATOR: Readonly<Record<string, FormulaOperator>> = Object.fromEntries(
  Object.values(OPERATOR_DEFINITIONS).map((definition) => [definition.symbol, definition.op]),
);
const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);
/** Parentheses, calls and unary minus nested deeper than this are refused before the AST depth is. */
const MAX_NESTING = FORMULA_LIMITS.maxDepth * 4;

interface Parsed {
  ast: FormulaAst;
  start: number;
  end: number;
}

/**
 * Parses spreadsheet-like formula text to its json-logic AST (see README "Formulas").
 * Throws FormulaError with the position: FORMULA_PARSE, FORMULA_UNKNOWN_FUNCTION, FORMULA_ARITY,
 * FORMULA_UNKNOWN_FIELD (a label that does not resolve), FORMULA_FORBIDDEN, FORMULA_TOO_COMPLEX.
 */
export function parseFormulaOrThrow({ text, resolveLabel }: ParseFormulaInput): FormulaAst {
  if (typeof text !== 'string') throw new FormulaError(FormulaErrorCode.FORMULA_PARSE, 'A formula must be text');
  if (text.length > FORMULA_LIMITS.maxLength) {
    throw new FormulaError(FormulaErrorCode.FORMULA_TOO_COMPLEX, `A formula may have at most ${FORMULA_LIMITS.maxLength} characters`, {
      position: positionAt(text, FORMULA_LIMITS.maxLength, text.length),
    });
  }
  return new Parser(text, tokenizeOrThrow(text), resolveLabel).parseFormula();
}

class Parser {
  private index = 0;
  private nesting = 0;
  private nodes = 0;
  private readonly depths = new WeakMap<object, number>();

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly resolveLabel: ResolveLabel | undefined,
  ) {}

  parseFormula(): FormulaAst {
    if (this.peek().kind === 'end') throw this.error(this.peek(), 'The formula is empty');
    const result = this.parseComparison();
    const next = this.peek();
    if (next.kind !== 'end') throw this.error(next, `Unexpected ${describe(next)}: expected an operator or the end of the formula`);
    return result.ast;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private error(token: { start: number; end: number }, message: string, code: FormulaErrorCode = FormulaErrorCode.FORMULA_PARSE): FormulaError {
    if (code === FormulaErrorCode.FORMULA_PARSE) return parseError(this.text, token.start, Math.max(token.end, token.start + 1), message);
    return new FormulaError(code, message, { position: positionAt(this.text, token.start, token.end) });
  }

  private isOperator(token: Token, symbols: readonly string[] | ReadonlySet<string>): boolean {
    if (token.kind !== 'operator') return false;
    return Array.isArray(symbols) ? symbols.includes(token.value as string) : (symbols as ReadonlySet<string>).has(token.value as string);
  }

  /** Counts a leaf (literal) towards the node limit. */
  private leaf(ast: FormulaAst, token: { start: number; end: number }): Parsed {
    this.count(token);
    return { ast, start: token.start, end: token.end };
  }

  private count(at: { start: number; end: number }): void {
    this.nodes += 1;
    if (this.nodes > FORMULA_LIMITS.maxNodes) {
      throw this.error(at, `A formula may have at most ${FORMULA_LIMITS.maxNodes} parts`, FormulaErrorCode.FORMULA_TOO_COMPLEX);
    }
  }

  /** Builds an operation node, checking depth and recording where it and its arguments are. */
  private node(op: string, args: Parsed[], start: number, end: number): Parsed {
    const ast = { [op]: args.map((arg) => arg.ast) } as FormulaNode;
    const depth = 1 + Math.max(0, ...args.map((arg) => (typeof arg.ast === 'object' && arg.ast !== null ? (this.depths.get(arg.ast) ?? 0) : 0)));
    if (depth > FORMULA_LIMITS.maxDepth) {
      throw this.error({ start, end }, `Formulas may be nested at most ${FORMULA_LIMITS.maxDepth} levels deep`, FormulaErrorCode.FORMULA_TOO_COMPLEX);
    }
    this.count({ start, end });
    this.depths.set(ast, depth);
    recordSpans(ast, { text: this.text, self: { start, end }, args: args.map(({ start: s, end: e }) => ({ start: s, end: e })) });
    return { ast, start, end };
  }

  private enter(token: Token): void {
    this.nesting += 1;
    if (this.nesting > MAX_NESTING) throw this.error(token, 'The formula is nested too deeply', FormulaErrorCode.FORMULA_TOO_COMPLEX);
  }

  private parseComparison(): Parsed {
    const left = this.parseConcatenation();
    const token = this.peek();
    if (!this.isOperator(token, COMPARISONS)) return left;
    this.next();
    const right = this.parseConcatenation();
    const after = this.peek();
    if (this.isOperator(after, COMPARISONS)) {
      throw this.error(after, 'Comparisons cannot be chained: write AND(a < b, b < c)');
    }
    return this.node(SYMBOL_TO_OPERATOR[token.value as string]!, [left, right], left.start, right.end);
  }

  private parseConcatenation(): Parsed {
    return this.parseChain(['&'], () => this.parseAdditive());
  }

  private parseAdditive(): Parsed {
    return this.parseChain(['+', '-'], () => this.parseMultiplicative());
  }

  private parseMultiplicative(): Parsed {
    return this.parseChain(['*', '/'], () => this.parseUnary());
  }

  /**
   * Left-associative chain of operators of one precedence. Variadic operators (+ * &) collect
   * a run of themselves into one argument list; parentheses keep their own node.
   */
  private parseChain(symbols: readonly string[], operand: () => Parsed): Parsed {
    let left = operand();
    let chain: { op: string; args: Parsed[] } | undefined;
    while (this.isOperator(this.peek(), symbols)) {
      const op = SYMBOL_TO_OPERATOR[this.next().value as string]!;
      const right = operand();
      if (chain !== undefined && chain.op === op) {
        chain.args.push(right);
      } else {
        if (chain !== undefined) left = this.node(chain.op, chain.args, left.start, chain.args[chain.args.length - 1]!.end);
        chain = { op, args: [left, right] };
        if (!OPERATOR_DEFINITIONS[op as FormulaOperator].variadic) {
          left = this.node(op, chain.args, left.start, right.end);
          chain = undefined;
        }
      }
    }
    if (chain !== undefined) left = this.node(chain.op, chain.args, left.start, chain.args[chain.args.length - 1]!.end);
    return left;
  }

  private parseUnary(): Parsed {
    const token = this.peek();
    if (!this.isOperator(token, ['-'])) return this.parsePrimary();
    this.next();
    const operand = this.peek();
    // A minus written right before a number is part of the number: -5 is the literal -5.
    if (operand.kind === 'number') {
      this.next();
      return this.leaf(-(operand.value as number) + 0, { start: token.start, end: operand.end });
    }
    this.enter(token);
    const inner = this.parseUnary();
    this.nesting -= 1;
    return this.node('-', [inner], token.start, inner.end);
  }

  private parsePrimary(): Parsed {
    const token = this.next();
    switch (token.kind) {
      case 'number':
      case 'string':
        return this.leaf(token.value, token);
      case '(': {
        this.enter(token);
        const inner = this.parseComparison();
        this.nesting -= 1;
        const close = this.next();
        if (close.kind !== ')')
          throw this.error(close, `Expected ")" to close the "(" at column ${positionAt(this.text, token.start).column}, found ${describe(close)}`);
        return { ast: inner.ast, start: token.start, end: close.end };
      }
      case 'identifier': {
        const name = token.value as string;
        if (this.peek().kind === '(') return this.parseCall(token);
        const keyword = name.toLowerCase();
        if (keyword === 'true' || keyword === 'false') return this.leaf(keyword === 'true', token);
        if (keyword === 'null') return this.leaf(null, token);
        return this.parseReference(token);
      }
      case 'label':
        return this.parseReference(token);
      case 'end':
        throw this.error(token, 'The formula ends too early: expected a value');
      default:
        throw this.error(token, `Unexpected ${describe(token)}: expected a value`);
    }
  }

  private parseCall(nameToken: Token): Parsed {
    const name = (nameToken.value as string).toUpperCase();
    if (!isFormulaFunctionName(name)) {
      throw this.error(nameToken, `Unknown function "${nameToken.value as string}"`, FormulaErrorCode.FORMULA_UNKNOWN_FUNCTION);
    }
    const open = this.next();
    this.enter(open);
    const args: Parsed[] = [];
    if (this.peek().kind !== ')') {
      for (;;) {
        args.push(this.parseComparison());
        const separator = this.peek();
        if (separator.kind === ',') {
          this.next();
          continue;
        }
        if (separator.kind === ')') break;
        throw this.error(separator, `Expected "," or ")" in the arguments of ${name}, found ${describe(separator)}`);
      }
    }
    const close = this.next();
    this.nesting -= 1;
    const problem = arityProblemOf(name, args.length);
    if (problem) throw this.error({ start: nameToken.start, end: close.end }, problem, FormulaErrorCode.FORMULA_ARITY);
    return this.node(name, args, nameToken.start, close.end);
  }

  private parseReference(first: Token): Parsed {
    const key = this.keyOf(first, undefined);
    let end = first.end;
    let path = key;
    if (this.peek().kind === '.') {
      this.next();
      const column = this.next();
      if (column.kind !== 'identifier' && column.kind !== 'label') {
        throw this.error(column, `Expected a subform column after "${key}.", found ${describe(column)}`);
      }
      path = `${key}.${this.keyOf(column, key)}`;
      end = column.end;
    }
    const ast = { var: path };
    this.count({ start: first.start, end });
    recordSpans(ast, { text: this.text, self: { start: first.start, end }, args: [] });
    return { ast, start: first.start, end };
  }

  private keyOf(token: Token, subform: string | undefined): string {
    let key = token.value as string;
    if (token.kind === 'label') {
      if (this.resolveLabel === undefined) {
        throw this.error(token, `Cannot look up the field {${key}}: no field labels are known here`, FormulaErrorCode.FORMULA_UNKNOWN_FIELD);
      }
      const resolved = subform === undefined ? this.resolveLabel(key) : this.resolveLabel(key, { subform });
      if (resolved === undefined) {
        const where = subform === undefined ? '' : ` in ${subform}`;
        throw this.error(token, `No field is labelled "${key}"${where}`, FormulaErrorCode.FORMULA_UNKNOWN_FIELD);
      }
      key = resolved;
    }
    const problem = keyProblem(key);
    if (problem) throw this.error(token, problem.message, problem.code);
    return key;
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the formula';
    case 'number':
      return `the number ${token.value}`;
    case 'string':
      return 'a text';
    case 'identifier':
      return `"${token.value}"`;
    case 'label':
      return `{${token.value}}`;
    default:
      return `"${token.value}"`;
  }
}
