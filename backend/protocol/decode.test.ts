import { createRedactor } from '../redaction';
import {
  decodeCallResourceRequest,
  decodePluginContext,
  decodeQueryDataRequest,
  encodeCallResourceResponse,
  encodeCheckHealthResult,
  parseJsonData,
} from './decode';

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
      orgId: 0,
      pluginId: '',
      pluginVersion: '',
      user: undefined,
      dataSourceInstanceSettings: undefined,
      grafanaConfig: {},
      userAgent: '',
    });
    const odd = decodePluginContext({
      orgId: 'x',
      grafanaConfig: { a: 1, b: 'ok' },
      dataSourceInstanceSettings: { lastUpdatedMS: null },
    });
    expect(odd.orgId).toBe(0);
    expect(odd.grafanaConfig).toEqual({ b: 'ok' });
    expect(odd.dataSourceInstanceSettings?.jsonData).toEqual({});
    expect(odd.dataSourceInstanceSettings?.lastUpdatedMS).toBe(0);
  });
});

describe('parseJsonData', () => {
  it('reads {} (what Grafana stores for a data source saved without settings) as "nothing set"', () => {
    expect(parseJsonData(Buffer.from('{}'))).toEqual({ jsonData: {}, jsonDataRaw: '{}' });
  });

  it.each([
    ['', /jsonData is empty/],
    ['null', /jsonData is null, not a JSON object/],
    ['{broken', /jsonData is not valid JSON/],
    ['   ', /jsonData is empty/],
    ['[1]', /jsonData is an array, not a JSON object/],
    ['"text"', /jsonData is a string, not a JSON object/],
    ['42', /jsonData is a number, not a JSON object/],
    ['true', /jsonData is a boolean, not a JSON object/],
    ['{"__proto__":{"endpoint":"https://evil.example"}}', /key named "__proto__"/],
    ['{"a":{"constructor":{"prototype":{"endpoint":"x"}}}}', /key named "(constructor|prototype)"/],
  ])('fails closed on jsonData %s, keeping the raw text', (raw, problem) => {
    const r = parseJsonData(Buffer.from(raw));
    expect(r.jsonData).toEqual({});
    expect(r.jsonDataRaw).toBe(raw);
    expect(r.jsonDataProblem).toMatch(problem);
    expect(({} as Record<string, unknown>).endpoint).toBeUndefined();
  });

  it('gives a null-prototype object: only stored keys can be read', () => {
    const { jsonData } = parseJsonData(Buffer.from('{"defaultRegion":"eu-west-1"}'));
    expect(Object.getPrototypeOf(jsonData)).toBeNull();
    expect(jsonData.toString).toBeUndefined();
    expect(jsonData.defaultRegion).toBe('eu-west-1');
  });
});

describe('requests', () => {
  it('decodes queries with their time range, interval and raw JSON', () => {
    const req = decodeQueryDataRequest({
      headers: { 'X-Grafana-Org-Id': '1', http_Authorization: 'Bearer x' },
      queries: [
        {
          refId: 'A',
          queryType: 'echo',
          maxDataPoints: '500',
          intervalMS: '15000',
          timeRange: { fromEpochMS: '1000', toEpochMS: '2000' },
          json: Buffer.from('{"a":1}'),
        },
        {},
      ],
    });
    expect(req.headers).toEqual({ 'X-Grafana-Org-Id': '1', http_Authorization: 'Bearer x' });
    expect(req.queries[0]).toEqual({
      refId: 'A',
      queryType: 'echo',
      maxDataPoints: 500,
      intervalMs: 15000,
      timeRange: { fromMs: 1000, toMs: 2000 },
      json: Buffer.from('{"a":1}'),
    });
    expect(req.queries[1]).toEqual({
      refId: '',
      queryType: '',
      maxDataPoints: 0,
      intervalMs: 0,
      timeRange: { fromMs: 0, toMs: 0 },
      json: new Uint8Array(0),
    });
  });

  it('decodes resource request headers as lists', () => {
    const req = decodeCallResourceRequest({
      path: 'version',
      method: 'GET',
      url: '/version?x=1',
      headers: { Accept: { values: ['a', 'b'] }, Empty: {} },
      body: Buffer.from('hi'),
    });
    expect(req.headers).toEqual({ Accept: ['a', 'b'], Empty: [] });
    expect(Buffer.from(req.body).toString()).toBe('hi');
  });
});

describe('responses', () => {
  it('encodes health details as JSON bytes', () => {
    const msg = encodeCheckHealthResult(
      { status: 'OK', message: 'fine', jsonDetails: { version: '1' } },
      createRedactor(),
    );
    expect(msg.status).toBe('OK');
    expect(JSON.parse((msg.jsonDetails as Buffer).toString())).toEqual({ version: '1' });
  });

  it('masks live secrets in health messages and details', () => {
    const redactor = createRedactor();
    redactor.scope('ds').add('HEALTH-SECRET-VALUE');
    const msg = encodeCheckHealthResult(
      {
        status: 'ERROR',
        message: 'bad HEALTH-SECRET-VALUE',
        jsonDetails: { echo: 'HEALTH-SECRET-VALUE', secretKey: 'x' },
      },
      redactor,
    );
    expect(`${String(msg.message)} ${(msg.jsonDetails as Buffer).toString()}`).not.toMatch(/HEALTH-SECRET-VALUE|"x"/);
  });

  it('encodes resource headers as StringLists and masks header values and the body', () => {
    const msg = encodeCallResourceResponse(
      { code: 201, headers: { 'Content-Type': ['text/plain'] }, body: Buffer.from('ok') },
      createRedactor(),
    );
    expect(msg).toEqual({
      code: 201,
      headers: { 'Content-Type': { values: ['text/plain'] } },
      body: Buffer.from('ok'),
    });
    const redactor = createRedactor();
    redactor.scope('ds').add('wJalrXUtnFEMI/K7MDENG');
    const echoed = encodeCallResourceResponse(
      {
        code: 200,
        headers: { 'X-Echo': ['wJalrXUtnFEMI/K7MDENG'] },
        body: Buffer.from(JSON.stringify({ body: '{"k":"wJalrXUtnFEMI\\/K7MDENG"}' })),
      },
      redactor,
    );
    expect(JSON.stringify(echoed)).not.toContain('K7MDENG');
    expect((echoed.body as Buffer).toString()).not.toContain('K7MDENG');
  });
});
