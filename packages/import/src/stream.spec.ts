import ExcelJS from 'exceljs';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanImport } from './plan/scan';
import { openTable } from './read/table';
import { FakeDirectory, field } from './testing/fixtures';

// Memory stays flat however long the file: the live heap (measured right after a full
// collection; vitest.config.mts runs this package with --expose-gc) is sampled while reading,
// and must not grow with the rows (a whole-file parse of 1 000 000 rows would hold hundreds of
// MB). Without --expose-gc the samples include garbage and only the generous bound holds.

const MB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'crm-import-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CSV of `rows` rows made on the fly, never held whole. */
function generatedCsv(rows: number): () => AsyncIterable<Uint8Array> {
  return () =>
    (async function* () {
      yield Buffer.from('名称,金额,签约日期,备注\n');
      let chunk = '';
      for (let i = 1; i <= rows; i++) {
        chunk += `客户${i},"${(i % 100000).toLocaleString('en-US')}.50",2026-03-${String((i % 28) + 1).padStart(2, '0')},"第 ${i} 行, 有逗号"\n`;
        if (chunk.length > 60_000) {
          yield Buffer.from(chunk);
          chunk = '';
        }
      }
      yield Buffer.from(chunk);
    })();
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapWatch() {
  const samples: number[] = [];
  return {
    sample: () => {
      gc?.();
      samples.push(process.memoryUsage().heapUsed);
    },
    /**
     * Growth of what stays live: the lowest sample of the last third over the lowest of the
     * first third (the lows are where the collector has just run; the highs are garbage).
     */
    growth: () => {
      const third = Math.max(1, Math.floor(samples.length / 3));
      return Math.min(...samples.slice(-third)) - Math.min(...samples.slice(0, third));
    },
    peak: () => Math.max(...samples),
    samples,
  };
}

describe('streaming', () => {
  it('reads a 1 000 000-row CSV with flat memory', async () => {
    const reader = await openTable({ file: generatedCsv(1_000_000)(), options: { chunkSize: 1000 } });
    const heap = heapWatch();
    let rows = 0;
    let last: unknown[] = [];
    for await (const chunk of reader.chunks()) {
      rows += chunk.length;
      last = chunk[chunk.length - 1]!.cells;
      if (rows % 50_000 === 0) heap.sample();
    }
    expect(rows).toBe(1_000_000);
    expect(last).toEqual(['客户1000000', '0.50', '2026-03-09', '第 1000000 行, 有逗号']);
    expect(heap.samples).toHaveLength(20);
    expect(heap.growth()).toBeLessThan((gc ? 16 : 64) * MB);
    expect(heap.peak()).toBeLessThan(400 * MB);
  }, 120_000);

  it('scans (converts and checks) 200 000 rows with flat memory', async () => {
    const fields = [
      field('name', 'text', {}, { label: '名称' }),
      field('amount', 'money', {}, { label: '金额' }),
      field('signed', 'date', {}, { label: '签约日期' }),
      field('note', 'text', {}, { label: '备注' }),
    ];
    const heap = heapWatch();
    const result = await scanImport({
      open: generatedCsv(200_000),
      settings: { entityId: 'e', fields, mapping: [0, 1, 2, 3].map((i) => ({ column: i, target: fields[i]!.key })), chunkSize: 1000 },
      lookups: new FakeDirectory(),
      onProgress: ({ rows }) => void (rows % 10_000 === 0 && heap.sample()),
    });
    expect(result).toMatchObject({ totalRows: 200_000, validRows: 200_000, errorRows: 0 });
    expect(heap.growth()).toBeLessThan((gc ? 16 : 64) * MB);
    expect(heap.peak()).toBeLessThan(400 * MB);
  }, 120_000);

  it('reads a 200 000-row .xlsx with flat memory once its shared strings are in', async () => {
    const path = join(dir, 'big.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
    const sheet = workbook.addWorksheet('数据');
    sheet.addRow(['名称', '城市', '金额', '日期']).commit();
    const cities = ['北京', '上海', '广州', '深圳', '杭州'];
    for (let i = 1; i <= 200_000; i++) {
      const row = sheet.addRow([`客户${i % 500}`, cities[i % 5], i / 100, 46000 + (i % 1000)]);
      row.getCell(4).numFmt = 'yyyy-mm-dd';
      row.commit();
    }
    sheet.commit();
    await workbook.commit();
    const reader = await openTable({ file: createReadStream(path), options: { chunkSize: 1000 } });
    const heap = heapWatch();
    let rows = 0;
    for await (const chunk of reader.chunks()) {
      rows += chunk.length;
      if (rows % 10_000 === 0) heap.sample();
    }
    expect(rows).toBe(200_000);
    expect(heap.growth()).toBeLessThan((gc ? 16 : 64) * MB);
    expect(heap.peak()).toBeLessThan(400 * MB);
  }, 180_000);
});
