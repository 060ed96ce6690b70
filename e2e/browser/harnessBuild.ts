// Builds the browser-test harness with webpack: the editors with React and @grafana/* bundled in (no Grafana
// host provides them here), compiled by swc-loader as in the plugin build, into e2e/.work/browser/.
import { join, resolve } from 'node:path';
import webpack from 'webpack';
import CopyWebpackPlugin from 'copy-webpack-plugin';

const HERE = __dirname;
export const HARNESS_OUT = resolve(HERE, '../.work/browser');

export function harnessConfig(): webpack.Configuration {
  return {
    mode: 'development',
    devtool: false,
    context: HERE,
    entry: { harness: './harness.tsx', amdHost: './amdHost.tsx', dashboardHarness: './dashboardHarness.tsx' },
    output: { path: HARNESS_OUT, filename: '[name].js', clean: true },
    module: {
      rules: [
        {
          test: /\.[tj]sx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: { target: 'es2020', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } },
            },
          },
        },
        // Stylesheets some @grafana/ui dependencies import; the harness does not need them.
        { test: /\.css$/, type: 'asset/source' },
      ],
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
      // The AMD host bundles all of @grafana/ui, whose geo table cell imports OpenLayers, a peer dependency that
      // Grafana itself supplies; the editors never render a map, so an empty module stands in.
      alias: { ol: false },
    },
    performance: { hints: false },
    cache: { type: 'filesystem', cacheDirectory: resolve(HERE, '../.work/webpack-cache') },
    plugins: [new CopyWebpackPlugin({ patterns: [{ from: join(HERE, 'index.html'), to: '.' }, { from: join(HERE, 'amd.html'), to: '.' }, { from: join(HERE, 'dashboard.html'), to: '.' }] })],
  };
}

export function buildHarness(): Promise<void> {
  return new Promise((done, fail) => {
    webpack(harnessConfig(), (err, stats) => {
      if (err) return fail(err);
      if (stats?.hasErrors()) return fail(new Error(stats.toString({ all: false, errors: true })));
      done();
    });
  });
}
