import { Readable } from 'node:stream';
import type { ByteSource } from '../types';

/** The first `n` bytes of a source (fewer when it is shorter) and a source that yields everything again. */
export async function peekBytes(args: { source: ByteSource; n: number }): Promise<{ head: Uint8Array; source: ByteSource }> {
  const iterator = args.source[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < args.n) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(taken).subarray(0, args.n);
  async function* replay(): AsyncGenerator<Uint8Array> {
    for (const chunk of taken) yield chunk;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const source: ByteSource = {
    [Symbol.asyncIterator]: () => {
      const gen = replay();
      // Closing early must reach the underlying stream (file handles).
      const close = gen.return.bind(gen);
      gen.return = async (value) => {
        await iterator.return?.();
        return close(value);
      };
      return gen;
    },
  };
  return { head, source };
}

/** A Node readable byte stream over a source (exceljs pipes a stream). */
export function toReadable(source: ByteSource): Readable {
  if (source instanceof Readable) return source;
  return Readable.from(source, { objectMode: false });
}
