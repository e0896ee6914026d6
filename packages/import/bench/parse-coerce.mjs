#!/usr/bin/env node
// Benchmark of the import engine: parse + coerce + check of 100 000 rows × 20 columns, from a
// CSV and from an .xlsx, each beside a baseline from the same run that does only the reading
// (papaparse's parser over the same text; exceljs's streaming reader over the same workbook).
//
//   node packages/import/bench/parse-coerce.mjs [--rows N] [--runs N] [--only csv|xlsx]
//
// Needs the built package (npm run build). Prints rows/s and the ratio; see docs/performance.md.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDecoder } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const { scanImport } = require(resolve(here, '../dist/index.js'));
const { normalizeFieldOrThrow } = require('@crm/schema');
const Papa = require('papaparse');
const ExcelJS = require('exceljs');

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = arg('rows', 100_000);
const RUNS = arg('runs', 3);
const at = process.argv.indexOf('--only');
const ONLY = at > 0 ? process.argv[at + 1] : undefined;

const options = [
  { value: 'hot', label: '热' },
  { value: 'warm', label: '温' },
  { value: 'cold', label: '冷' },
];
const f = (key, type, settings = {}) => normalizeFieldOrThrow({ field: { key, label: key, type, settings } });
const fields = [
  f('name', 'text'),
  f('city', 'text'),
  f('note', 'textarea'),
  f('amount', 'money'),
  f('qty', 'number'),
  f('rate', 'number', { precision: 2 }),
  f('signed', 'date'),
  f('due', 'date'),
  f('at', 'datetime'),
  f('active', 'switch'),
  f('level', 'select', { options }),
  f('tags', 'multiselect', { options }),
  f('email', 'email'),
  f('phone', 'phone'),
  f('site', 'url'),
  f('code', 'text'),
  f('stage', 'radio', { options }),
  f('score', 'number'),
  f('price', 'money'),
  f('remark', 'text'),
];

function cells(i) {
  const d = String((i % 28) + 1).padStart(2, '0');
  return [
    `客户${i}`,
    ['北京', '上海', '深圳'][i % 3],
    `第 ${i} 行，备注`,
    `${((i * 13) % 100000).toLocaleString('en-US')}.50`,
    String(i % 500),
    `${i % 100}.25`,
    `2026-03-${d}`,
    `2026/4/${Number(d)}`,
    `2026-03-${d} 10:${String(i % 60).padStart(2, '0')}`,
    i % 2 ? '是' : '否',
    ['热', '温', 'cold'][i % 3],
    i % 2 ? '热, 温' : '冷',
    `user${i}@example.com`,
    `138${String(i).padStart(8, '0')}`,
    `www.example${i % 10}.com`,
    `C-${i}`,
    ['hot', 'warm', 'cold'][i % 3],
    String(i % 97),
    `¥${i % 1000}.9`,
    `r${i}`,
  ];
}

function csvText() {
  const quote = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [fields.map((x) => x.key).join(',')];
  for (let i = 1; i <= ROWS; i++) lines.push(cells(i).map(quote).join(','));
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

async function xlsxFile(path) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('Data');
  ws.addRow(fields.map((x) => x.key)).commit();
  for (let i = 1; i <= ROWS; i++) ws.addRow(cells(i)).commit();
  ws.commit();
  await wb.commit();
}

const lookups = { members: async () => [], departments: async () => [], records: async () => [] };
const settings = {
  entityId: 'bench',
  fields,
  mapping: fields.map((x, column) => ({ column, target: x.key })),
  chunkSize: 1000,
  coerce: { timeZone: 'Asia/Shanghai' },
};

function memoryChunks(bytes) {
  return () =>
    (async function* () {
      for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
    })();
}

async function papaAlone(bytes) {
  const parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"', escapeChar: '"' });
  const decoder = new TextDecoder('utf-8');
  let partial = '';
  let rows = 0;
  for await (const chunk of memoryChunks(bytes)()) {
    const input = partial + decoder.decode(chunk, { stream: true });
    const result = parser.parse(input, 0, true);
    rows += result.data.length;
    partial = input.substring(result.meta.cursor);
  }
  rows += parser.parse(partial + decoder.decode(), 0, false).data.length;
  return rows - 1;
}

async function exceljsAlone(path) {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  });
  let rows = 0;
  for await (const sheet of reader) for await (const row of sheet) if (row.values.length) rows++;
  return rows - 1;
}

async function ours(open) {
  let first;
  const result = await scanImport({ open, settings, lookups, previewRows: 0, onErrors: (e) => void (first ??= e[0]) });
  if (result.errorRows) throw new Error(`${result.errorRows} rows failed: the bench data must be valid (${JSON.stringify(first)})`);
  return result.totalRows;
}

async function time(fn) {
  const times = [];
  let rows = 0;
  for (let r = 0; r < RUNS; r++) {
    const t = process.hrtime.bigint();
    rows = await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  times.sort((a, b) => a - b);
  const s = times[Math.floor(times.length / 2)];
  return { rows, seconds: s, rowsPerSecond: Math.round(rows / s) };
}

const dir = mkdtempSync(join(os.tmpdir(), 'crm-import-bench-'));
try {
  const results = {};
  if (ONLY !== 'xlsx') {
    const csv = csvText();
    results.csvBaseline = await time(() => papaAlone(csv));
    results.csv = await time(() => ours(memoryChunks(csv)));
  }
  if (ONLY !== 'csv') {
    const xlsx = join(dir, 'bench.xlsx');
    await xlsxFile(xlsx);
    results.xlsxBaseline = await time(() => exceljsAlone(xlsx));
    results.xlsx = await time(() => ours(() => createReadStream(xlsx)));
  }
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `\nImport parse + coerce, ${ROWS} rows × ${fields.length} columns, median of ${RUNS} (${os.cpus().length} cores, ${os.cpus()[0].model}, load ${load}, ${new Date().toISOString().slice(0, 10)})`,
  );
  console.log('| what | rows/s | baseline (reading only) rows/s | ours / baseline |');
  console.log('|---|---|---|---|');
  for (const kind of ['csv', 'xlsx']) {
    if (!results[kind]) continue;
    const o = results[kind];
    const b = results[`${kind}Baseline`];
    console.log(`| ${kind}: read + coerce + check | ${o.rowsPerSecond} | ${b.rowsPerSecond} | ${(o.rowsPerSecond / b.rowsPerSecond).toFixed(2)} |`);
  }
  console.log(JSON.stringify(results));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
