import { openTable, type TableOptions } from '../read/table';
import type { OpenFile, SourceRow } from '../types';
import { type AssembleContext, draftRow, type UnmatchedSink } from './assemble';
import { type RowOutcome, RowChecker } from './checks';
import type { CompiledImport } from './compile';
import { KeyIndex } from './key-index';
import { type ImportLookups, Resolver, valueKey } from './lookups';
import { parseCell, parseChunk } from './parse';

/**
 * Converts chunks of rows into checked record bodies: parse every cell, look up every name the
 * chunk holds (one call per kind), then build and check each row. One engine per pass.
 */
export class ImportEngine {
  readonly resolver: Resolver;
  private readonly checker: RowChecker;
  private readonly ctx: AssembleContext;

  constructor(args: { compiled: CompiledImport; lookups: ImportLookups; inFile?: KeyIndex; unmatched?: UnmatchedSink }) {
    this.resolver = new Resolver(args.lookups);
    this.checker = new RowChecker(args.compiled);
    this.ctx = { compiled: args.compiled, resolver: this.resolver, inFile: args.inFile, unmatched: args.unmatched };
  }

  async process(rows: SourceRow[]): Promise<RowOutcome[]> {
    this.resolver.beginChunk();
    const parsed = parseChunk({ compiled: this.ctx.compiled, rows, resolver: this.resolver, checkStored: true });
    await this.resolver.flush();
    return parsed.map((p) => this.checker.check(this.ctx, draftRow(this.ctx, p)));
  }
}

/**
 * The values of the column other rows' relations may name (a pre-pass over the file), so a
 * row can point at a company further down; null when no relation targets this entity.
 */
export async function inFileKeys(args: { open: OpenFile; table?: TableOptions; compiled: CompiledImport }): Promise<KeyIndex | undefined> {
  const key = args.compiled.inFileKey;
  if (!key) return undefined;
  const index = new KeyIndex();
  const reader = await openTable({ file: args.open(), options: args.table });
  try {
    for await (const chunk of reader.chunks()) {
      for (const row of chunk) {
        const parsed = parseCell(key.plan, row.cells[key.plan.column.index] ?? null, args.compiled.coerce);
        if (parsed.t === 'value') index.add(valueKey(parsed.value as string | number), row.rowNumber);
      }
    }
  } finally {
    await reader.close();
  }
  return index;
}
