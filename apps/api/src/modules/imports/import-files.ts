import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { OpenFile, RowError } from '@crm/import';

/**
 * Where an import's bytes live: DATA_DIR/imports/<workspace>/<id>/ holds `source` (the uploaded
 * file, read again by every pass), `errors.ndjson` (row errors as the job finds them, one JSON
 * array per batch, in row order) and `error-file` (the original file with an error column,
 * written when the job ends). Nothing of a file is held in memory.
 */
export class ImportFiles {
  constructor(private readonly dataDir: string) {}

  dirOf(storageDir: string): string {
    return join(this.dataDir, 'imports', storageDir);
  }

  /** Moves an upload (multer's temporary file) into place. */
  async adopt(storageDir: string, tempPath: string): Promise<void> {
    await mkdir(this.dirOf(storageDir), { recursive: true });
    await rename(tempPath, this.source(storageDir)).catch(async () => {
      // another device (tmp on its own file system): copy, then remove
      await new Promise<void>((resolve, reject) =>
        createReadStream(tempPath)
          .pipe(createWriteStream(this.source(storageDir)))
          .on('finish', resolve)
          .on('error', reject),
      );
      await rm(tempPath, { force: true });
    });
  }

  source(storageDir: string): string {
    return join(this.dirOf(storageDir), 'source');
  }

  errorFile(storageDir: string): string {
    return join(this.dirOf(storageDir), 'error-file');
  }

  errorsPath(storageDir: string): string {
    return join(this.dirOf(storageDir), 'errors.ndjson');
  }

  opener(storageDir: string): OpenFile {
    const path = this.source(storageDir);
    return () => createReadStream(path, { highWaterMark: 256 * 1024 });
  }

  /** Starts the row-error log again (a new run). */
  async resetErrors(storageDir: string): Promise<void> {
    await writeFile(this.errorsPath(storageDir), '');
  }

  /** Row errors in row order, one batch per line, streamed back. */
  async *errors(storageDir: string, upToRow = Infinity): AsyncGenerator<RowError[]> {
    const lines = createInterface({ input: createReadStream(this.errorsPath(storageDir)), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line) continue;
      const batch = (JSON.parse(line) as RowError[]).filter((e) => e.row <= upToRow);
      if (batch.length) yield batch;
    }
  }

  /** Keeps only the errors of rows up to `row` (a resumed run writes the rest again). */
  async truncateErrors(storageDir: string, row: number): Promise<void> {
    const tmp = `${this.errorsPath(storageDir)}.tmp`;
    const out = createWriteStream(tmp);
    for await (const batch of this.errors(storageDir, row)) out.write(`${JSON.stringify(batch)}\n`);
    await new Promise<void>((resolve, reject) => out.end(() => resolve()).on('error', reject));
    await rename(tmp, this.errorsPath(storageDir));
  }

  async remove(storageDir: string): Promise<void> {
    await rm(this.dirOf(storageDir), { recursive: true, force: true });
  }
}

/** Appends row errors to the log, one line per batch, in order. */
export class ErrorLog {
  private readonly out: NodeJS.WritableStream;

  constructor(path: string) {
    this.out = createWriteStream(path, { flags: 'a' });
  }

  write(errors: readonly RowError[]): Promise<void> {
    if (!errors.length) return Promise.resolve();
    return new Promise((resolve, reject) => this.out.write(`${JSON.stringify(errors)}\n`, (err) => (err ? reject(err) : resolve())));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(() => resolve()));
  }
}
