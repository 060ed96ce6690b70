// Browser-test harness: mounts the real ConfigEditor and QueryEditor with a fake Grafana around them (boot
// config with the server's [aws] options, a backend service answering the preview's resource call, a template
// service), and exposes the editors' current settings and query on `window.sigil` for the test to read.
// URL parameters: providers=default,keys  assumeRole=true|false  theme=light|dark  view=config|query|both
import { useState } from 'react';
import { of } from 'rxjs';
import { getDefaultTimeRange } from '@grafana/data';
import {
  config,
  setBackendSrv,
  setTemplateSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type TemplateSrv,
} from '@grafana/runtime';
import { ConfigEditor } from '../../src/components/ConfigEditor';
import { QueryEditor } from '../../src/components/QueryEditor';
import type { SigilSettings } from '../../src/components/config/optionsUpdate';
import { editorSettings } from '../../src/components/__tests__/settingsFixture';
import type { SigilQuery } from '../../src/shared/query';
import { harnessDataSource, mountHarness, params } from './mount';

interface HarnessState {
  options: SigilSettings;
  query: SigilQuery;
  /** Resource calls the editors made through the backend service. */
  requests: Array<{ url: string; method?: string; data: unknown }>;
  runs: number;
}

declare global {
  interface Window {
    sigil: HarnessState;
  }
}

const providers = params.get('providers');
config.awsAllowedAuthProviders = providers ? providers.split(',') : ['default', 'keys', 'credentials'];
config.awsAssumeRoleEnabled = params.get('assumeRole') !== 'false';
const view = params.get('view') ?? 'both';

const storedKeys = params.get('stored') === 'keys';
const initialOptions: SigilSettings = editorSettings({
  uid: 'sigil-e2e',
  jsonData: storedKeys ? { authType: 'keys', defaultRegion: 'eu-west-1' } : {},
  secureJsonFields: storedKeys ? { accessKey: true, secretKey: true } : {},
});

window.sigil = { options: initialOptions, query: { refId: 'A' }, requests: [], runs: 0 };

// The preview's resource call: answer like the backend's `request` route, echoing what was asked.
const backendSrv = {
  fetch: (req: BackendSrvRequest) => {
    window.sigil.requests.push({ url: req.url, method: req.method, data: req.data });
    const { query } = req.data as { query: SigilQuery };
    const body =
      '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/e2e</Arn>' +
      '</GetCallerIdentityResult></GetCallerIdentityResponse>';
    const request = { method: query.method ?? 'GET', url: query.url ?? '' };
    const data = {
      request,
      status: 200,
      headers: { 'Content-Type': ['text/xml'] },
      body,
      truncated: false,
      bytes: body.length,
    };
    return of({ data, status: 200, ok: true });
  },
} as unknown as BackendSrv;
setBackendSrv(backendSrv);
setTemplateSrv({ replace: (text: string) => text.replace(/\$region/g, 'eu-west-1') } as unknown as TemplateSrv);

const datasource = harnessDataSource('eu-west-1');

function Harness() {
  const [options, setOptions] = useState(initialOptions);
  const [query, setQuery] = useState<SigilQuery>({ refId: 'A' });
  return (
    <>
      {view !== 'query' && (
        <section id="config-editor" aria-label="Data source settings">
          <ConfigEditor
            options={options}
            onOptionsChange={(o) => {
              window.sigil.options = o;
              setOptions(o);
            }}
          />
        </section>
      )}
      {view !== 'config' && (
        <section id="query-editor" aria-label="Query" style={{ marginTop: 24 }}>
          <QueryEditor
            datasource={datasource}
            range={getDefaultTimeRange()}
            query={query}
            onChange={(q) => {
              window.sigil.query = q;
              setQuery(q);
            }}
            onRunQuery={() => {
              window.sigil.runs += 1;
            }}
          />
        </section>
      )}
    </>
  );
}

mountHarness(<Harness />);
