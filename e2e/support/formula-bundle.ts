import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/**
 * Bundles e2e/support/formula-entry.ts (the rules package's formula code from source) for the
 * browser with Vite's build API into a temporary directory; returns the path of the script,
 * an IIFE that defines `globalThis.runFormulaCases`.
 */
export async function buildFormulaBundle(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'formula-bundle-'));
  const outDir = join(root, 'dist');
  const entry = fileURLToPath(new URL('./formula-entry.ts', import.meta.url));
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    build: {
      outDir,
      emptyOutDir: false,
      write: true,
      minify: true,
      target: 'es2022',
      lib: { entry, formats: ['iife'], name: 'formulaBundle', fileName: () => 'formula.js' },
    },
  });
  return join(outDir, 'formula.js');
}
