// Builds the browser-test harness with webpack: the editors with React and @grafana/* bundled in (no Grafana
// host provides them here), compiled by swc-loader as in the plugin build, into e2e/.work/browser/. The AMD
// host alone can also be built with the packages of an older Grafana (e2e/browser/compat/<name>/), to load
// dist/module.js as that Grafana would.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import webpack from 'webpack';
import CopyWebpackPlugin from 'copy-webpack-plugin';

const HERE = __dirname;
export const HARNESS_OUT = resolve(HERE, '../.work/browser');

/** A Grafana whose shared packages the AMD host plays: the current ones (root node_modules) or a compat set. */
export interface GrafanaHost {
  /** Grafana version of its @grafana/* packages. */
  version: string;
  /** Folder whose node_modules hold @grafana/data, ui, runtime, react and react-dom; undefined: the root's. */
  compatDir?: string;
  /** Whether that Grafana shares react/jsx-runtime with plugins (12.3+, and backports from 11.6.11). */
  sharesJsxRuntime: boolean;
}

const ROOT_MODULES = resolve(HERE, '../../node_modules');

function packageVersion(modules: string, name: string): string {
  return (JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')) as { version: string }).version;
}

export const CURRENT_GRAFANA: GrafanaHost = {
  version: packageVersion(ROOT_MODULES, '@grafana/data'),
  sharesJsxRuntime: true,
};
export const OLDEST_GRAFANA: GrafanaHost = {
  version: '11.0.0',
  compatDir: join(HERE, 'compat/grafana-11'),
  sharesJsxRuntime: false,
};

/** Installs a compat package set from its lockfile (npm registry) when it is not there yet. */
export function ensureCompatPackages(host: GrafanaHost): void {
  if (!host.compatDir || existsSync(join(host.compatDir, 'node_modules/@grafana/ui/package.json'))) return;
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: host.compatDir, stdio: 'inherit' });
}

export function amdHostOut(host: GrafanaHost): string {
  return host.compatDir ? resolve(HERE, `../.work/browser-grafana-${host.version}`) : HARNESS_OUT;
}

const swcRule: webpack.RuleSetRule = {
  test: /\.[tj]sx?$/,
  exclude: /node_modules/,
  use: {
    loader: 'swc-loader',
    options: {
      jsc: {
        target: 'es2020',
        parser: { syntax: 'typescript', tsx: true },
        transform: { react: { runtime: 'automatic' } },
      },
    },
  },
};

/** The AMD host page alone, with the shared packages of an older Grafana. */
export function compatAmdHostConfig(host: GrafanaHost): webpack.Configuration {
  const modules = join(host.compatDir as string, 'node_modules');
  const pin = (name: string) => join(modules, name);
  const react = packageVersion(modules, 'react');
  return {
    mode: 'development',
    devtool: false,
    context: HERE,
    entry: { amdHost: './amdHost.tsx' },
    output: { path: amdHostOut(host), filename: '[name].js', clean: true },
    module: { rules: [swcRule, { test: /\.css$/, type: 'asset/source' }] },
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
      // Every import of these, from the host page or from inside the old packages, gets the old copy.
      alias: {
        ol: false,
        react: pin('react'),
        'react-dom': pin('react-dom'),
        '@grafana/data': pin('@grafana/data'),
        '@grafana/ui': pin('@grafana/ui'),
        '@grafana/runtime': pin('@grafana/runtime'),
        '@grafana/schema': pin('@grafana/schema'),
        '@grafana/e2e-selectors': pin('@grafana/e2e-selectors'),
        rxjs: pin('rxjs'),
      },
      modules: [modules, 'node_modules'],
    },
    performance: { hints: false },
    cache: { type: 'filesystem', cacheDirectory: resolve(HERE, `../.work/webpack-cache-grafana-${host.version}`) },
    plugins: [
      new webpack.DefinePlugin({
        GRAFANA_HOST: JSON.stringify({ grafana: host.version, react, sharesJsxRuntime: host.sharesJsxRuntime }),
      }),
      new CopyWebpackPlugin({ patterns: [{ from: join(HERE, 'amd.html'), to: '.' }] }),
    ],
  };
}

export function buildCompatAmdHost(host: GrafanaHost): Promise<void> {
  ensureCompatPackages(host);
  return run(compatAmdHostConfig(host));
}

export function harnessConfig(): webpack.Configuration {
  return {
    mode: 'development',
    devtool: false,
    context: HERE,
    entry: { harness: './harness.tsx', amdHost: './amdHost.tsx', dashboardHarness: './dashboardHarness.tsx' },
    output: { path: HARNESS_OUT, filename: '[name].js', clean: true },
    module: {
      rules: [
        swcRule,
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
    plugins: [
      new webpack.DefinePlugin({
        GRAFANA_HOST: JSON.stringify({
          grafana: CURRENT_GRAFANA.version,
          react: packageVersion(ROOT_MODULES, 'react'),
          sharesJsxRuntime: CURRENT_GRAFANA.sharesJsxRuntime,
        }),
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: join(HERE, 'index.html'), to: '.' },
          { from: join(HERE, 'amd.html'), to: '.' },
          { from: join(HERE, 'dashboard.html'), to: '.' },
        ],
      }),
    ],
  };
}

export function buildHarness(): Promise<void> {
  return run(harnessConfig());
}

function run(config: webpack.Configuration): Promise<void> {
  return new Promise((done, fail) => {
    webpack(config, (err, stats) => {
      if (err) return fail(err);
      if (stats?.hasErrors()) return fail(new Error(stats.toString({ all: false, errors: true })));
      done();
    });
  });
}
