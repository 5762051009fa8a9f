/**
 * Layer rules from shared/design.md (Contracts between parts → Layers).
 * model ← reconcile, mappers ← connectors, store ← queue ← web, cli.
 */
const layer = (name) => `^src/${name}/`;
const forbid = (name, from, to, comment) => ({
  name,
  severity: 'error',
  comment,
  from: { path: from },
  to: { path: to },
});
module.exports = {
  forbidden: [
    forbid('model-imports-nothing-of-ours', layer('model'), '^src/(?!model/)', 'model imports nothing of ours'),
    forbid('reconcile-only-model', layer('reconcile'), '^src/(?!(model|reconcile)/)', 'reconcile imports only model'),
    forbid('mappers-only-model', layer('mappers'), '^src/(?!(model|mappers)/)', 'mappers import only model'),
    forbid('connectors-not-upward', layer('connectors'), '^src/(queue|web|cli|store|reconcile)/', 'connectors import model, mappers and config only; persistence is handed in'),
    forbid('store-not-upward', layer('store'), '^src/(queue|web|cli|connectors|reconcile|mappers)/', 'store imports model (and config) only'),
    forbid('config-low', layer('config'), '^src/(?!(model|config)/)', 'config is data validated against the model'),
    forbid('queue-not-upward', layer('queue'), '^src/(web|cli)/', 'queue never imports web or cli'),
    forbid('export-only-model', layer('export'), '^src/(?!(model|export)/)', 'report exports (CSV/XLSX) take model data only'),
    forbid('web-not-cli', layer('web'), '^src/cli/', 'web never imports cli'),
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
