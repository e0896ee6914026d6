// The API's modules in layers (docs/architecture.md, "Modules in layers"): a module imports only
// modules of a lower layer (tools/api-layers.cjs); nothing imports in a cycle. `npm run lint`
// runs this; a violation fails it.
const { LAYERS } = require('./tools/api-layers.cjs');

const M = 'apps/api/src/modules';
const layerOf = new Map(LAYERS.flatMap((mods, i) => mods.map((m) => [m, i])));

// For each module: every module of its own layer (but itself) or a higher one is off limits.
const upward = [...layerOf].map(([mod, layer]) => {
  const above = [...layerOf].filter(([m, l]) => m !== mod && l >= layer).map(([m]) => m);
  return {
    name: `layer:${mod}`,
    comment: `${mod} (layer ${layer + 1}) may import only lower layers; not ${above.join(', ')}`,
    severity: 'error',
    from: { path: `^${M}/${mod}/` },
    to: { path: `^${M}/(${above.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle, between modules or within one',
      severity: 'error',
      from: { path: '^apps/api/src/' },
      to: { circular: true },
    },
    {
      name: 'base-imports-no-module',
      comment: 'common/ and database/ are the bottom layer: they import no module',
      severity: 'error',
      from: { path: '^apps/api/src/(common|database)/' },
      to: { path: `^${M}/` },
    },
    {
      name: 'modules-do-not-import-the-app',
      comment: 'Modules never import the entry points (app, kernel, server, main)',
      severity: 'error',
      from: { path: `^${M}/` },
      to: { path: '^apps/api/src/(app\\.module|kernel\\.module|server|main)\\.ts$' },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'apps/api/tsconfig.json' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
