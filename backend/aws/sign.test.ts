import { canonicalUrl, inferFromHost, resolveTarget, signRequest } from './sign';

describe('service and region from standard AWS host names', () => {
  it.each([
    ['monitoring.us-east-1.amazonaws.com', 'monitoring', 'us-east-1'],
    ['aps-workspaces.eu-west-1.amazonaws.com', 'aps', 'eu-west-1'],
    ['abc123.execute-api.ap-southeast-2.amazonaws.com', 'execute-api', 'ap-southeast-2'],
    ['my-bucket.s3.eu-central-1.amazonaws.com', 's3', 'eu-central-1'],
    ['my.dotted.bucket.s3.us-west-2.amazonaws.com', 's3', 'us-west-2'],
    ['s3.dualstack.us-east-2.amazonaws.com', 's3', 'us-east-2'],
    ['my-bucket.s3-eu-west-1.amazonaws.com', 's3', 'eu-west-1'],
    ['my-bucket.s3.amazonaws.com', 's3', 'us-east-1'],
    ['sts.amazonaws.com', 'sts', 'us-east-1'],
    ['sts.eu-north-1.amazonaws.com', 'sts', 'eu-north-1'],
    ['iam.amazonaws.com', 'iam', 'us-east-1'],
    ['email.us-east-1.amazonaws.com', 'ses', 'us-east-1'],
    ['runtime.sagemaker.us-east-1.amazonaws.com', 'sagemaker', 'us-east-1'],
    ['logs.cn-north-1.amazonaws.com.cn', 'logs', 'cn-north-1'],
    ['monitoring-fips.us-gov-west-1.amazonaws.com', 'monitoring', 'us-gov-west-1'],
    ['MONITORING.US-EAST-1.AMAZONAWS.COM', 'monitoring', 'us-east-1'],
  ])('%s -> %s in %s', (host, service, region) => {
    expect(inferFromHost(host)).toEqual({ service, region });
  });

  it.each([
    'example.com',
    'amazonaws.com.evil.example',
    'monitoring.us-east-1.amazonaws.com.evil.example',
    'foo.amazonaws.com',
    '127.0.0.1',
  ])('does not guess for %s', (host) => {
    expect(inferFromHost(host)).toBeUndefined();
  });

  it('prefers the request override, then the settings, and names the setting when it cannot tell', () => {
    const url = new URL('http://127.0.0.1:4566/');
    expect(resolveTarget(url, { service: 'sqs', region: 'eu-west-1' })).toEqual({
      service: 'sqs',
      region: 'eu-west-1',
    });
    expect(resolveTarget(url, { service: 'sqs', region: 'eu-west-1' }, { service: 'sts' })).toEqual({
      service: 'sts',
      region: 'eu-west-1',
    });
    expect(resolveTarget(new URL('https://monitoring.ap-south-1.amazonaws.com/'), { region: 'us-east-1' })).toEqual({
      service: 'monitoring',
      region: 'ap-south-1',
    });
    expect(() => resolveTarget(url, { region: 'us-east-1' })).toThrow(/set the data source's Service \(service\)/);
  });
});

describe('canonical wire form', () => {
  it('encodes each path segment once, keeps %2F inside a segment, and keeps + literal in queries', () => {
    const c = canonicalUrl(new URL('https://h.example/a b/x%2Fy/ü?q=1+2&z=%2B&a'));
    expect(c.path).toBe('/a%20b/x%2Fy/%C3%BC');
    expect(c.queryString).toBe('q=1%2B2&z=%2B&a=');
    expect(c.query).toEqual({ q: '1+2', z: '+', a: '' });
  });

  it('collects repeated parameters', () => {
    expect(canonicalUrl(new URL('https://h.example/?b=2&a=1&b=1')).query).toEqual({ b: ['2', '1'], a: '1' });
  });
});

describe('signRequest', () => {
  const signingDate = new Date('2026-12-03T10:00:00Z');
  const url = new URL('https://monitoring.us-east-1.amazonaws.com/?Action=ListMetrics&Version=2010-08-01');
  const authorization = async (credentials: { accessKeyId: string; secretAccessKey: string }, region: string) =>
    (
      await signRequest({
        method: 'GET',
        url,
        headers: {},
        target: { service: 'monitoring', region },
        credentials,
        signingDate,
      })
    ).headers.authorization;

  it('signs with each request’s own credentials and region, whatever it signed before', async () => {
    const a = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-a' };
    const first = await authorization(a, 'us-east-1');
    expect(await authorization(a, 'us-east-1')).toBe(first);
    // Same key id, rotated secret: a new credential set, a new signature.
    expect(await authorization({ ...a, secretAccessKey: 'secret-b' }, 'us-east-1')).not.toBe(first);
    expect(await authorization({ ...a }, 'us-east-1')).toBe(first);
    // More regions than one credential set keeps signers for: each signature still names its own.
    for (let i = 0; i < 40; i++) {
      expect(await authorization(a, `eu-west-${i}`)).toContain(`/eu-west-${i}/monitoring/aws4_request`);
    }
    expect(await authorization(a, 'us-east-1')).toBe(first);
  });
});
