import type { CallResourceRequest, CallResourceResponse, PluginContext } from '../protocol/types';
import type { Settings } from '../settings/types';
import type { HandlerDeps } from './deps';
import { sigilError } from '../errors';
import { createRedactor } from '../redaction';
import { fixedInstances } from '../instances/testing';
import { FakeProxy } from '../query/testing';
import type { SigningProxy } from '../http/types';
import { callResource, PREVIEW_MAX_BYTES } from './callResource';
import { PLUGIN_VERSION } from '../version';

const secret = 'SECRETSECRETSECRET1234';
const settings = { secretKey: secret, endpoint: 'https://monitoring.us-east-1.amazonaws.com' } as unknown as Settings;

async function call(
  path: string,
  method: string,
  body: unknown,
  proxy: SigningProxy,
): Promise<{ code: number; json: Record<string, unknown> }> {
  const redactor = createRedactor();
  redactor.scope('ds').add(secret);
  const deps: HandlerDeps = { instances: fixedInstances(() => ({ settings, proxy })), redactor };
  const sent: CallResourceResponse[] = [];
  const req: CallResourceRequest = {
    pluginContext: {} as PluginContext,
    path,
    method,
    url: path,
    headers: {},
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  };
  await callResource(req, (r) => sent.push(r), deps);
  expect(sent).toHaveLength(1);
  return { code: sent[0].code, json: JSON.parse(Buffer.from(sent[0].body).toString('utf8')) };
}

describe('callResource', () => {
  const proxy = new FakeProxy((r) => {
    if (r.url.includes('refused'))
      throw sigilError('url_refused', 'the URL https://evil.example/refused is not in the allowed URLs');
    if (r.url.includes('big')) return { body: 'x'.repeat(PREVIEW_MAX_BYTES + 10) };
    return {
      status: 404,
      headers: {
        'content-type': 'text/xml',
        'x-amzn-requestid': 'r1',
        'set-cookie': 'a=b',
        'x-amz-security-token': 't',
      },
      body: `<Error><Code>NotFound</Code><Message>${secret}</Message></Error>`,
    };
  });

  it('answers GET version', async () => {
    expect(await call('version', 'GET', '', proxy)).toEqual({ code: 200, json: { version: PLUGIN_VERSION } });
  });

  it('previews a query: status, filtered headers, raw answer with secrets masked', async () => {
    const { code, json } = await call(
      'request',
      'POST',
      { query: { url: 'metrics', params: [{ key: 't', value: '${__from}' }] }, timeRange: { from: 1000, to: 2000 } },
      proxy,
    );
    expect(code).toBe(200);
    expect(json).toEqual({
      request: { method: 'GET', url: 'https://monitoring.us-east-1.amazonaws.com/metrics?t=1000' },
      status: 404,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'r1' },
      body: '<Error><Code>NotFound</Code><Message>[redacted]</Message></Error>',
      truncated: false,
      bytes: Buffer.byteLength(`<Error><Code>NotFound</Code><Message>${secret}</Message></Error>`),
    });
  });

  it('caps the preview', async () => {
    const { json } = await call('request', 'POST', { query: { url: 'https://a/big' } }, proxy);
    expect(json.truncated).toBe(true);
    expect(json.body).toHaveLength(PREVIEW_MAX_BYTES);
    expect(json.bytes).toBe(PREVIEW_MAX_BYTES + 10);
  });

  it('reports a refused URL, a bad query, a bad body and unknown routes as errors', async () => {
    expect(await call('request', 'POST', { query: { url: 'https://evil.example/refused' } }, proxy)).toEqual({
      code: 403,
      json: { error: expect.stringContaining('not in the allowed URLs'), errorSource: 'plugin', kind: 'url_refused' },
    });
    expect((await call('request', 'POST', { query: { url: '' } }, proxy)).json.error).toMatch(/url: enter a URL/);
    expect((await call('request', 'POST', '{', proxy)).json.error).toMatch(/request body is malformed/);
    expect((await call('request', 'POST', '{"query":{"url":"https://a/","__proto__":{"x":1}}}', proxy)).json).toEqual({
      error: expect.stringContaining('field named "__proto__"'),
      errorSource: 'plugin',
      kind: 'query',
    });
    expect((await call('request', 'GET', '', proxy)).code).toBe(405);
    expect((await call('nope', 'GET', '', proxy)).code).toBe(404);
  });
  it('shows the request as signed, with the access key id, signature and session token masked', async () => {
    const signing: SigningProxy = {
      send: async (r) => {
        r.onSigned?.({
          ...r,
          headers: {
            authorization:
              'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE123/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcdef',
            'x-amz-security-token': 'SESSIONTOKEN',
            'x-amz-date': '20260101T000000Z',
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          },
        });
        return { status: 200, headers: {}, body: Buffer.from('<ok/>'), url: r.url };
      },
    };
    const form = [
      { key: 'Action', value: 'GetCallerIdentity' },
      { key: 'Note', value: secret },
    ];
    const { json } = await call(
      'request',
      'POST',
      { query: { url: 'https://sts.amazonaws.com/', bodyType: 'form', form } },
      signing,
    );
    expect(json.request).toEqual({
      method: 'POST',
      url: 'https://sts.amazonaws.com/',
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=****/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=****',
        'x-amz-security-token': '****',
        'x-amz-date': '20260101T000000Z',
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      },
      body: 'Action=GetCallerIdentity&Note=[redacted]',
    });
    expect(JSON.stringify(json)).not.toMatch(/AKIAEXAMPLE123|0123abcdef|SESSIONTOKEN/);
  });
});
