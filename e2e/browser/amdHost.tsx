// The plugin's real build output, dist/module.js, loaded the way Grafana loads a plugin: an AMD module whose
// dependencies (React, @grafana/*) the host hands in. This page plays the host: it bundles those packages,
// defines `define`, loads /dist/module.js, then mounts the exported plugin's ConfigEditor and QueryEditor with
// a DataSource built from the exported class, as Grafana's settings page and panel editor do. The page is built
// with the packages of the current Grafana or of an older one (harnessBuild.ts, GRAFANA_HOST says which).
import * as React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import { of } from 'rxjs';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import type { DataSourceApi, DataSourceInstanceSettings, DataSourcePlugin, DataSourcePluginMeta } from '@grafana/data';
import type { BackendSrv, TemplateSrv } from '@grafana/runtime';
import { editorSettings } from '../../src/components/__tests__/settingsFixture';
import type { SigilJsonData } from '../../src/shared/settings';

const MODULE_URL = '/dist/module.js';

/** Which Grafana this page plays, set at build time by harnessBuild.ts. */
declare const GRAFANA_HOST: { grafana: string; react: string; sharesJsxRuntime: boolean };

/** What Grafana's loader provides to plugins, by the names plugins import them with. */
const HOST_MODULES: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  module: { uri: MODULE_URL },
  // Shared by Grafana only from 12.3 (and 11.6.11, 12.0.10, 12.1.7, 12.2.5).
  ...(GRAFANA_HOST.sharesJsxRuntime ? { 'react/jsx-runtime': jsxRuntime } : {}),
};
const started = performance.now();

/** What the page reports on `window.amd`, read by e2e/plugin-module.e2e.test.ts. */
export interface AmdState {
  host: typeof GRAFANA_HOST;
  /** Milliseconds from adding module.js to the page until both editors have mounted. */
  mountMs?: number;
  deps: string[];
  missing: string[];
  exports: string[];
  error?: string;
  mounted: boolean;
  options?: { jsonData: SigilJsonData };
  query?: Record<string, unknown>;
}

declare global {
  interface Window {
    amd: AmdState;
    define: ((deps: string[], factory: (...modules: unknown[]) => unknown) => void) & { amd?: object };
  }
}

window.amd = { host: GRAFANA_HOST, deps: [], missing: [], exports: [], mounted: false };

grafanaRuntime.config.awsAllowedAuthProviders = ['default', 'keys', 'credentials'];
grafanaRuntime.config.awsAssumeRoleEnabled = true;
grafanaRuntime.setBackendSrv({ fetch: () => of({ data: {}, status: 200 }) } as unknown as BackendSrv);
grafanaRuntime.setTemplateSrv({ replace: (text: string) => text } as unknown as TemplateSrv);

type AnyPlugin = DataSourcePlugin<DataSourceApi>;

function mount(plugin: AnyPlugin): void {
  const { ConfigEditor, QueryEditor } = plugin.components;
  if (!ConfigEditor || !QueryEditor) throw new Error('the plugin exports no ConfigEditor or QueryEditor');
  const instanceSettings = {
    id: 1,
    uid: 'sigil-amd',
    type: 'sigil-awsapi-datasource',
    name: 'Sigil',
    access: 'proxy',
    readOnly: false,
    jsonData: {},
    meta: { id: 'sigil-awsapi-datasource' } as DataSourcePluginMeta,
  } as unknown as DataSourceInstanceSettings;
  const datasource = new plugin.DataSourceClass(instanceSettings);

  const Host = () => {
    const [options, setOptions] = React.useState(editorSettings({ uid: 'sigil-amd' }));
    // A new query in a panel: Grafana fills it from the data source's default query.
    const [query, setQuery] = React.useState({
      refId: 'A',
      ...(datasource.getDefaultQuery?.(grafanaData.CoreApp.PanelEditor) ?? {}),
    });
    React.useEffect(() => {
      window.amd.options = options;
      window.amd.query = query;
      if (!window.amd.mounted) window.amd.mountMs = performance.now() - started;
      window.amd.mounted = true;
    }, [options, query]);
    return (
      <grafanaUi.ThemeContext.Provider value={grafanaData.createTheme()}>
        <section aria-label="Data source settings">
          <ConfigEditor options={options as never} onOptionsChange={(o) => setOptions(o as typeof options)} />
        </section>
        <section aria-label="Query">
          <QueryEditor
            datasource={datasource}
            query={query}
            onChange={(q) => setQuery(q as typeof query)}
            onRunQuery={() => undefined}
          />
        </section>
      </grafanaUi.ThemeContext.Provider>
    );
  };
  createRoot(document.getElementById('root') as HTMLElement).render(<Host />);
}

window.define = (deps, factory) => {
  window.amd.deps = deps;
  window.amd.missing = deps.filter((d) => !(d in HOST_MODULES));
  try {
    const exported = factory(...deps.map((d) => HOST_MODULES[d])) as Record<string, unknown>;
    window.amd.exports = Object.keys(exported ?? {});
    mount(exported.plugin as AnyPlugin);
  } catch (e) {
    window.amd.error = String((e as Error)?.stack ?? e);
  }
};
window.define.amd = {};

const script = document.createElement('script');
script.src = MODULE_URL;
script.onerror = () => {
  window.amd.error = `${MODULE_URL} did not load`;
};
document.head.appendChild(script);
