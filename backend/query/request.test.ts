import { resolveQuery, type SigilQuery } from '../../src/shared/query';
import { buildRequest } from './request';
import type { PageToken } from './pagination';
import { strictEncode } from '../aws/sign';

const macros = { fromMs: 1_714_557_600_000, toMs: 1_714_561_200_000, intervalMs: 60_000 };
const build = (q: Partial<SigilQuery>, opts: { endpoint?: string; pageToken?: PageToken } = {}) =>
  buildRequest(resolveQuery({ refId: 'A', ...q }), { macros, ...opts });

describe('buildRequest', () => {
  it('joins a path to the endpoint, keeping the endpoint path', () => {
    const r = build(
      { url: 'api/v1/query_range' },
      { endpoint: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1' },
    );
    expect(r.url).toBe('https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/api/v1/query_range');
  });

  it('refuses a path without an endpoint, saying what to do', () => {
    expect(() => build({ url: '/x' })).toThrow(/is a path, but the data source has no endpoint/);
  });

  it('adds params RFC 3986 encoded, after the URL own query, with macros resolved', () => {
    const r = build({
      url: 'https://monitoring.us-east-1.amazonaws.com/?Action=ListMetrics',
      params: [
        { key: 'start', value: '${__from:date:seconds}' },
        { key: 'q', value: "a b+c*!'" },
        { key: '', value: 'ignored' },
      ],
    });
    expect(r.url).toBe(
      'https://monitoring.us-east-1.amazonaws.com/?Action=ListMetrics&start=1714557600&q=a%20b%2Bc%2A%21%27',
    );
    expect(r.method).toBe('GET');
    expect(r.body).toBeUndefined();
  });

  it('builds a form body for AWS Query APIs and puts the page token in it', () => {
    const r = build(
      {
        url: 'https://sts.amazonaws.com/',
        bodyType: 'form',
        form: [
          { key: 'Action', value: 'ListMetrics' },
          { key: 'Version', value: '2010-08-01' },
        ],
        pagination: { mode: 'next_token', tokenPath: 'x', tokenTarget: 'body', tokenField: 'NextToken' },
      },
      { pageToken: { kind: 'text', value: 'tok/=1' } },
    );
    expect(r.method).toBe('POST');
    expect(r.body).toBe('Action=ListMetrics&Version=2010-08-01&NextToken=tok%2F%3D1');
    expect(r.headers?.['Content-Type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
  });

  it('checks a JSON body after macros and sets a dotted token field', () => {
    const r = build(
      {
        url: 'https://x.amazonaws.com/',
        method: 'POST',
        bodyType: 'json',
        body: '{"StartTime": ${__from:date:seconds}, "Page": {}}',
        headers: [{ key: 'Content-Type', value: 'application/x-amz-json-1.0' }],
        pagination: { mode: 'next_token', tokenPath: 'n', tokenTarget: 'body', tokenField: 'Page.Token' },
      },
      { pageToken: { kind: 'text', value: 'T2' } },
    );
    expect(JSON.parse(r.body as string)).toEqual({ StartTime: 1714557600, Page: { Token: 'T2' } });
    expect(r.headers).toEqual({ 'Content-Type': 'application/x-amz-json-1.0' });
    expect(() => build({ url: 'https://x/', method: 'POST', bodyType: 'json', body: '{"a": }' })).toThrow(
      /JSON body is not valid JSON/,
    );
  });

  it('replaces the token param rather than repeating it', () => {
    const r = build(
      {
        url: 'https://s3.amazonaws.com/b',
        params: [{ key: 'list-type', value: '2' }],
        pagination: { mode: 'next_token', tokenPath: 'x', tokenField: 'continuation-token' },
      },
      { pageToken: { kind: 'text', value: 'abc' } },
    );
    expect(r.url).toBe('https://s3.amazonaws.com/b?list-type=2&continuation-token=abc');
  });

  it('passes SigV4 service and region overrides', () => {
    expect(build({ url: 'https://x/', service: 'sqs', region: 'eu-west-1' })).toMatchObject({
      service: 'sqs',
      region: 'eu-west-1',
    });
    expect(build({ url: 'https://x/' })).not.toHaveProperty('service');
  });

  it('encodes like SigV4 does', () => {
    expect(strictEncode("~-_.!*'() /")).toBe('~-_.%21%2A%27%28%29%20%2F');
  });
});

describe('userinfo in the query URL', () => {
  it('is refused, not silently dropped', () => {
    for (const url of [
      'https://user:pw@monitoring.us-east-1.amazonaws.com/',
      'https://user@monitoring.us-east-1.amazonaws.com/',
      'https://:@monitoring.us-east-1.amazonaws.com/',
    ]) {
      expect(() => build({ url })).toThrow(/userinfo \(a user name or password, user@host\) are not sent/);
    }
  });
});
