// Signature cross-check: every request of the table is signed by Sigil (backend/aws/sign.ts) and, from the
// exact wire form Sigil would send, by botocore (an independent SigV4 implementation), at a fixed time
// and with fixed credentials. The Authorization headers must be identical.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { signRequest, resolveTarget } from '../backend/aws/sign';
import { venvPython } from './lib/moto';

const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SESSION = { ...CREDS, sessionToken: 'FQoGZXIvYXdzEXAMPLETOKEN//+=' };
const DATE = new Date('2015-08-30T12:36:00Z');

interface Case {
  name: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  service?: string;
  token?: boolean;
}

const binary = new Uint8Array(Array.from({ length: 1024 }, (_, i) => (i * 37) % 256));
const cases: Case[] = [
  { name: 'plain GET', method: 'GET', url: 'https://monitoring.us-east-1.amazonaws.com/' },
  { name: 'path with spaces', method: 'GET', url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/a b/c%20d' },
  { name: 'unicode path', method: 'GET', url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/ünïcødé/日本' },
  {
    name: 'plus in path and query',
    method: 'GET',
    url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/a+b?q=1+2&r=%2B',
  },
  {
    name: 'encoded slash in path',
    method: 'GET',
    url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/items/a%2Fb/c',
  },
  {
    name: 'repeated unsorted query',
    method: 'GET',
    url: 'https://monitoring.us-east-1.amazonaws.com/?b=2&a=3&a=1&A=0&c=&d',
  },
  {
    name: 'query needing encoding',
    method: 'GET',
    url: "https://monitoring.us-east-1.amazonaws.com/?k=v w&x=a/b~c*d!e'(f)&é=ü",
  },
  { name: 'dot segments', method: 'GET', url: 'https://monitoring.us-east-1.amazonaws.com/a/./b/../c' },
  {
    name: 'form POST',
    method: 'POST',
    url: 'https://monitoring.us-east-1.amazonaws.com/',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new TextEncoder().encode('Action=ListMetrics&Version=2010-08-01'),
  },
  {
    name: 'JSON POST with target',
    method: 'POST',
    url: 'https://logs.eu-central-1.amazonaws.com/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'Logs_20140328.DescribeLogGroups' },
    body: new TextEncoder().encode('{}'),
  },
  { name: 'empty body POST', method: 'POST', url: 'https://sts.us-east-1.amazonaws.com/', body: new Uint8Array() },
  { name: 'binary body', method: 'PUT', url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/blob', body: binary },
  {
    name: 'session token',
    method: 'GET',
    url: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/query?query=up',
    token: true,
  },
  { name: 'custom endpoint with port', method: 'GET', url: 'http://127.0.0.1:4566/x?y=1', service: 'sqs' },
  {
    name: 'S3 virtual host, spaces and unicode key',
    method: 'GET',
    url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/folder/my file ü+x.txt',
  },
  {
    name: 'S3 encoded slash and dot segments kept',
    method: 'GET',
    url: 'https://my-bucket.s3.us-west-2.amazonaws.com/a%2Fb/./c//d',
  },
  {
    name: 'S3 list with query',
    method: 'GET',
    url: 'https://s3.us-east-1.amazonaws.com/my-bucket?list-type=2&prefix=a/b&max-keys=10',
  },
  { name: 'S3 PUT binary body', method: 'PUT', url: 'https://my-bucket.s3.amazonaws.com/bin', body: binary },
  { name: 'S3 empty body', method: 'GET', url: 'https://my-bucket.s3.eu-north-1.amazonaws.com/', token: true },
];

describe('SigV4 cross-check with botocore', () => {
  it('produces the same Authorization header as botocore for every case', async () => {
    const ours: string[] = [];
    const forBotocore: unknown[] = [];
    for (const c of cases) {
      const url = new URL(c.url);
      const target = resolveTarget(url, { service: c.service, region: 'us-east-1' });
      const credentials = c.token ? SESSION : CREDS;
      const signed = await signRequest({
        method: c.method,
        url,
        headers: c.headers ?? {},
        body: c.body,
        target,
        credentials,
        signingDate: DATE,
      });
      ours.push(signed.headers.authorization);
      const headers = Object.fromEntries(
        Object.entries(signed.headers).filter(
          ([k]) => !['authorization', 'x-amz-date', 'x-amz-security-token'].includes(k),
        ),
      );
      forBotocore.push({
        method: c.method,
        url: `${url.protocol}//${url.host}${signed.pathAndQuery}`,
        headers,
        body: c.body ? Buffer.from(c.body).toString('base64') : '',
        service: target.service,
        region: target.region,
        accessKey: credentials.accessKeyId,
        secretKey: credentials.secretAccessKey,
        token: c.token ? SESSION.sessionToken : undefined,
        date: '20150830T123600Z',
      });
    }
    const out = execFileSync(venvPython(), [join(__dirname, 'lib', 'botocore_sign.py')], {
      input: JSON.stringify(forBotocore),
    }).toString();
    const theirs = JSON.parse(out) as string[];
    const mismatches = cases
      .map((c, i) => ({ name: c.name, ours: ours[i], theirs: theirs[i] }))
      .filter((r) => r.ours !== r.theirs);
    expect(mismatches).toEqual([]);
    expect(theirs).toHaveLength(cases.length);
  });
});
