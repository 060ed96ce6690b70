import { decodeCallResourceRequest, decodePluginContext, decodeQueryDataRequest, encodeCallResourceResponse, encodeCheckHealthResult, parseJsonData } from './decode';

const settings = {
  id: '7',
  uid: 'aws-prod',
  name: 'AWS prod',
  url: 'https://aps-workspaces.eu-west-1.amazonaws.com',
  user: '',
  database: '',
  basicAuthEnabled: false,
  basicAuthUser: '',
  jsonData: Buffer.from(JSON.stringify({ authType: 'keys', defaultRegion: 'eu-west-1' })),
  decryptedSecureJsonData: { accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG' },
  lastUpdatedMS: '1732300000123',
  apiVersion: 'v1',
};

describe('decodePluginContext', () => {
  it('decodes every field Grafana sends', () => {
    const ctx = decodePluginContext({
      orgId: '3',
      pluginId: 'sigil-awsapi-datasource',
      pluginVersion: '0.1.0',
      user: { login: 'ada', name: 'Ada', email: 'ada@example.com', role: 'Editor' },
      dataSourceInstanceSettings: settings,
      grafanaConfig: { AWS_AUTH_AllowedAuthProviders: 'default,keys', AWS_AUTH_AssumeRoleEnabled: 'true' },
      userAgent: 'Grafana/13.2.2',
    });
    expect(ctx).toEqual({
      orgId: 3,
      pluginId: 'sigil-awsapi-datasource',
      pluginVersion: '0.1.0',
      user: { login: 'ada', name: 'Ada', email: 'ada@example.com', role: 'Editor' },
      dataSourceInstanceSettings: {
        id: 7,
        uid: 'aws-prod',
        name: 'AWS prod',
        url: 'https://aps-workspaces.eu-west-1.amazonaws.com',
        user: '',
        database: '',
        basicAuthEnabled: false,
        basicAuthUser: '',
        jsonData: { authType: 'keys', defaultRegion: 'eu-west-1' },
        jsonDataRaw: '{"authType":"keys","defaultRegion":"eu-west-1"}',
        decryptedSecureJsonData: { accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG' },
        lastUpdatedMS: 1732300000123,
        apiVersion: 'v1',
      },
      grafanaConfig: { AWS_AUTH_AllowedAuthProviders: 'default,keys', AWS_AUTH_AssumeRoleEnabled: 'true' },
      userAgent: 'Grafana/13.2.2',
    });
  });

  it('gives zero values for absent or odd fields instead of throwing', () => {
    expect(decodePluginContext(undefined)).toEqual({
      orgId: 0, pluginId: '', pluginVersion: '', user: undefined, dataSourceInstanceSettings: undefined, grafanaConfig: {}, userAgent: '',
    });
    const odd = decodePluginContext({ orgId: 'x', grafanaConfig: { a: 1, b: 'ok' }, dataSourceInstanceSettings: { lastUpdatedMS: null } });
    expect(odd.orgId).toBe(0);
    expect(odd.grafanaConfig).toEqual({ b: 'ok' });
    expect(odd.dataSourceInstanceSettings?.jsonData).toEqual({});
    expect(odd.dataSourceInstanceSettings?.lastUpdatedMS).toBe(0);
  });
});

describe('parseJsonData', () => {
  it('keeps the raw text when jsonData is not a JSON object', () => {
    expect(parseJsonData(Buffer.from('{broken'))).toEqual({ jsonData: {}, jsonDataRaw: '{broken' });
    expect(parseJsonData(Buffer.from('[1]'))).toEqual({ jsonData: {}, jsonDataRaw: '[1]' });
    expect(parseJsonData(new Uint8Array(0))).toEqual({ jsonData: {}, jsonDataRaw: '' });
  });
});

describe('requests', () => {
  it('decodes queries with their time range, interval and raw JSON', () => {
    const req = decodeQueryDataRequest({
      headers: { 'X-Grafana-Org-Id': '1', http_Authorization: 'Bearer x' },
      queries: [
        { refId: 'A', queryType: 'echo', maxDataPoints: '500', intervalMS: '15000', timeRange: { fromEpochMS: '1000', toEpochMS: '2000' }, json: Buffer.from('{"a":1}') },
        {},
      ],
    });
    expect(req.headers).toEqual({ 'X-Grafana-Org-Id': '1', http_Authorization: 'Bearer x' });
    expect(req.queries[0]).toEqual({
      refId: 'A', queryType: 'echo', maxDataPoints: 500, intervalMs: 15000, timeRange: { fromMs: 1000, toMs: 2000 }, json: Buffer.from('{"a":1}'),
    });
    expect(req.queries[1]).toEqual({ refId: '', queryType: '', maxDataPoints: 0, intervalMs: 0, timeRange: { fromMs: 0, toMs: 0 }, json: new Uint8Array(0) });
  });

  it('decodes resource request headers as lists', () => {
    const req = decodeCallResourceRequest({ path: 'version', method: 'GET', url: '/version?x=1', headers: { Accept: { values: ['a', 'b'] }, Empty: {} }, body: Buffer.from('hi') });
    expect(req.headers).toEqual({ Accept: ['a', 'b'], Empty: [] });
    expect(Buffer.from(req.body).toString()).toBe('hi');
  });
});

describe('responses', () => {
  it('encodes health details as JSON bytes', () => {
    const msg = encodeCheckHealthResult({ status: 'OK', message: 'fine', jsonDetails: { version: '1' } });
    expect(msg.status).toBe('OK');
    expect(JSON.parse((msg.jsonDetails as Buffer).toString())).toEqual({ version: '1' });
  });

  it('encodes resource headers as StringLists', () => {
    const msg = encodeCallResourceResponse({ code: 201, headers: { 'Content-Type': ['text/plain'] }, body: Buffer.from('ok') });
    expect(msg).toEqual({ code: 201, headers: { 'Content-Type': { values: ['text/plain'] } }, body: Buffer.from('ok') });
  });
});
