// Frontend build, following Grafana's create-plugin conventions: src/module.ts -> dist/module.js as an AMD
// module that Grafana's loader (SystemJS) resolves, with Grafana's shared dependencies left external so the
// plugin uses the host's React and @grafana/* instances. dist/ is also where scripts/build-backend.mjs puts the
// backend executables (and lib/, their Linux runtime), so cleaning keeps them.
const path = require('path');
const webpack = require('webpack');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const pkg = require('./package.json');
const pluginJson = require('./src/plugin.json');

const SRC = path.resolve(__dirname, 'src');
const DIST = path.resolve(__dirname, 'dist');

// What Grafana's plugin loader shares with plugins (public/app/features/plugins/loader/sharedDependencies.ts).
// @grafana/schema is not shared: it is imported for types only and would be bundled otherwise.
const GRAFANA_SHARED = [
  // AMD's magic `module` gives the plugin its own URL at runtime (see src/publicPath.ts).
  { 'amd-module': 'module' },
  'lodash',
  'jquery',
  'moment',
  'slate',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'prismjs',
  'slate-plain-serializer',
  '@grafana/slate-react',
  'react',
  'react-dom',
  'react-redux',
  'redux',
  'rxjs',
  'rxjs/operators',
  'i18next',
  'react-router',
  'd3',
  'angular',
  /^@grafana\/ui/i,
  /^@grafana\/runtime/i,
  /^@grafana\/data/i,
];

/** Replace the create-plugin placeholders in copied text files. */
function fillPlaceholders(content) {
  return content
    .toString()
    .replace(/%VERSION%/g, pkg.version)
    .replace(/%TODAY%/g, new Date().toISOString().substring(0, 10))
    .replace(/%PLUGIN_ID%/g, pluginJson.id);
}

function swcRule(target) {
  return {
    test: /\.[tj]sx?$/,
    exclude: /node_modules/,
    use: {
      loader: 'swc-loader',
      options: {
        jsc: {
          target,
          parser: { syntax: 'typescript', tsx: true },
          // Classic JSX (React.createElement, React provided below): Grafana shares react/jsx-runtime with
          // plugins only since 12.3.0 and a few backports (11.6.11, 12.0.10, 12.1.7, 12.2.5); createElement
          // works with the React of every Grafana from 11.0 on, 18 and 19 alike.
          transform: { react: { runtime: 'classic', pragma: 'React.createElement', pragmaFrag: 'React.Fragment' } },
        },
      },
    },
  };
}

module.exports = (_env, argv) => {
  const production = (argv && argv.mode) !== 'development';
  return {
    mode: production ? 'production' : 'development',
    context: SRC,
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: { module: './module.ts' },
    externals: GRAFANA_SHARED,
    module: { rules: [swcRule('es2020')] },
    output: {
      // Keep the backend executables (gpx_sigil_<os>_<arch>[.exe]) that build-backend.mjs writes here.
      clean: { keep: /(^|[\\/])gpx_[^\\/]*$|^lib([\\/]|$)/ },
      filename: '[name].js',
      library: { type: 'amd' },
      path: DIST,
      publicPath: `public/plugins/${pluginJson.id}/`,
      uniqueName: pluginJson.id,
    },
    plugins: [
      new webpack.ProvidePlugin({ React: 'react' }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'plugin.json', to: '.', transform: fillPlaceholders },
          { from: '../README.md', to: '.', transform: fillPlaceholders, noErrorOnMissing: true },
          { from: '../LICENSE', to: '.', noErrorOnMissing: true },
          { from: '../CHANGELOG.md', to: '.', noErrorOnMissing: true },
          { from: 'img/**/*', to: '.' },
        ],
      }),
    ],
    resolve: { extensions: ['.ts', '.tsx', '.js', '.jsx'] },
    performance: { hints: false },
  };
};
