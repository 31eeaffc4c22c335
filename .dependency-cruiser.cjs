/**
 * The dependency rule of src/ (docs/design.md): folders in one order, bottom to top, and a folder
 * imports only from folders before it (or itself). Inside search/ the same holds between its
 * parts, and code outside search/ reaches it only through search/index.ts. No import cycles.
 * Checked by `npm run depcheck`, part of `npm test`.
 */
const LAYERS = [
  ['errors', '^src/(errors|version|format)\\.ts$'],
  ['io', '^src/io/'],
  ['geometry', '^src/geometry/'],
  ['layers', '^src/layers/'],
  ['validate', '^src/validate/'],
  ['align', '^src/align/'],
  ['plan', '^src/plan/'],
  ['search', '^src/search/'],
  ['explore', '^src/explore/'],
  ['evidence', '^src/evidence/'],
  ['scenario', '^src/scenario/'],
  ['pipeline', '^src/pipeline/'],
  ['report', '^src/report/'],
  ['check', '^src/check/'],
  ['workshop', '^src/workshop/'],
  ['cli', '^src/cli/'],
  ['index', '^src/index\\.ts$'],
];

/** Inside search/: the shared helpers, then the heuristic, the exact search, the bounds, the threads, the runner. */
const SEARCH_PARTS = [
  ['search-shared', '^src/search/(race|gap|paths|random)\\.ts$'],
  ['search-enumerate', '^src/search/enumerate/'],
  ['search-heuristic', '^src/search/heuristic/'],
  ['search-exact', '^src/search/exact/'],
  ['search-bounds', '^src/search/bounds/'],
  ['search-threads', '^src/search/threads/'],
  ['search-runner', '^src/search/(optimise|index)\\.ts$'],
];

const above = (list, i) => list.slice(i + 1).map(([, path]) => path);

module.exports = {
  forbidden: [
    ...LAYERS.slice(0, -1).map(([name, path], i) => ({
      name: `${name}-imports-higher`,
      severity: 'error',
      comment: `${name} may import only from folders below it: ${LAYERS.slice(0, i).map(([n]) => n).join(', ') || 'none'} (docs/design.md)`,
      from: { path },
      to: { path: above(LAYERS, i) },
    })),
    ...SEARCH_PARTS.slice(0, -1).map(([name, path], i) => ({
      name: `${name}-imports-higher`,
      severity: 'error',
      comment: `inside search/, ${name} may import only from the parts below it (docs/design.md)`,
      from: { path },
      to: { path: above(SEARCH_PARTS, i) },
    })),
    {
      name: 'search-only-through-index',
      severity: 'error',
      comment: 'code outside search/ imports the search through search/index.ts only (docs/design.md)',
      from: { path: '^src/', pathNot: '^src/search/' },
      to: { path: '^src/search/', pathNot: '^src/search/index\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no import cycles: each module can be read after the ones it imports',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from a higher layer is a dependency on it all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
