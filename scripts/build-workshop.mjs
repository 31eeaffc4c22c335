// Bundles the workshop page's script (src/workshop/client/ and the library code it runs) into
// dist/workshop/bundle.js, which `footprint workshop` inlines into workshop.html. Built here, at
// `npm run build`, so the package ships it and users need no bundler at run time.
import { build } from 'esbuild';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Modules the page pulls in only for code it never calls (file readers beside the aggregation):
// Node built-ins become an empty module, and a call into one fails loudly.
const nodeBuiltinsStub = {
  name: 'node-builtins-stub',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => (isBuiltin(args.path) ? { path: args.path, namespace: 'node-stub' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => ({
      // CommonJS, so any named import resolves; a function, so `class X extends Transform` still loads.
      contents: `const fail = function () { throw new Error(${JSON.stringify('')} + ${JSON.stringify(args.path)} + ' is not available in the workshop page'); };
module.exports = new Proxy(fail, { get: (target, key) => (key === 'prototype' ? target.prototype : key === '__esModule' ? false : fail) });`,
      loader: 'js',
    }));
  },
};

// The page calls a few pure functions of modules that also read files (evidence tables, CSV); the
// packages behind those readers set up encoders at load time. None of them is needed in the page, so
// packages are declared free of side effects and esbuild drops every one the page does not call.
const packagesWithoutSideEffects = {
  name: 'packages-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || isBuiltin(args.path)) return undefined;
      const result = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
      return result.errors.length > 0 ? undefined : { ...result, sideEffects: false };
    });
  },
};

await build({
  entryPoints: [`${root}src/workshop/client/index.ts`],
  outfile: `${root}dist/workshop/bundle.js`,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  legalComments: 'none',
  plugins: [nodeBuiltinsStub, packagesWithoutSideEffects],
  logLevel: 'warning',
});
