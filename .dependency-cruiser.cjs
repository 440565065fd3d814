/**
 * Architecture rules, checked in CI (`npm run arch`):
 *  - no import cycles anywhere;
 *  - src/core is pure: no adapters, no oclif/UI, no node I/O modules; it may
 *    use src/ports, but only as types (the interfaces it is handed);
 *  - src/ports holds interfaces only: it imports nothing but other ports;
 *  - commands never import an adapter plugin (they go through providers);
 *  - plugins import only src/ports from relia (types), never core or cli;
 *  - the AWS and Kubernetes SDKs are imported only by plugin adapters, and a
 *    provider hook module imports no SDK (adapters load inside create()).
 */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'src/core may import only src/core and pure libraries.',
      from: { path: '^src/core/' },
      to: {
        pathNot: '^src/core/',
        path: ['^src/(cli|ui)/', '^plugins/', '^commands/', 'node_modules/(@oclif|ink|react|@inquirer|execa|ioredis|undici|@aws-sdk|@kubernetes)/'],
      },
    },
    {
      name: 'core-sees-port-types-only',
      severity: 'error',
      comment: 'src/core is handed port implementations; it imports only their types.',
      from: { path: '^src/core/' },
      to: { path: '^src/ports/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'core-no-node-io',
      severity: 'error',
      from: { path: '^src/core/' },
      comment: 'src/core imports no node builtin at all (fs, crypto, events, stream, timers, …), static or dynamic.',
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'ports-are-interfaces',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { pathNot: '^src/ports/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'commands-use-providers',
      severity: 'error',
      comment: 'Commands reach adapters through the relia:providers hook only.',
      from: { path: '^commands/' },
      to: { path: ['^plugins/', 'node_modules/(ioredis|undici|@aws-sdk|@kubernetes)/'] },
    },
    {
      name: 'plugins-see-ports-only',
      severity: 'error',
      from: { path: '^plugins/[^/]+/src/' },
      to: { path: '^(src/(core|cli|ui)|commands)/' },
    },
    {
      name: 'plugins-see-port-types-only',
      severity: 'error',
      comment: 'A plugin gets its settings and error constructors at run time (PluginKit); from relia it imports only port types.',
      from: { path: '^plugins/[^/]+/src/' },
      to: { path: '^src/ports/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cloud-sdks-only-in-plugins',
      severity: 'error',
      comment: 'The AWS and Kubernetes SDKs load only inside a plugin adapter (lazily, from create()), never from relia itself.',
      from: { path: '^(src|commands)/' },
      to: { path: 'node_modules/(@aws-sdk|@smithy|@kubernetes)/' },
    },
    {
      name: 'sdks-not-in-provider-hooks',
      severity: 'error',
      comment: 'Provider hook modules load on every command: they import adapters only dynamically, inside create().',
      from: { path: '^plugins/[^/]+/src/hooks/' },
      to: { path: ['node_modules/(@aws-sdk|@smithy|@kubernetes|ioredis|undici)/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'provider-hooks-load-adapters-lazily',
      severity: 'error',
      comment: 'A provider hook reaches its adapter only through import() inside create().',
      from: { path: '^plugins/[^/]+/src/hooks/' },
      to: { path: '^plugins/[^/]+/src/(?!hooks/)', dependencyTypesNot: ['type-only', 'dynamic-import'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Only relia's own build output: a package's dist/ under node_modules must stay in the graph (the SDK rules match it).
    exclude: { path: '^(dist|coverage)/|^plugins/[^/]+/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
