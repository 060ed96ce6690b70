import { resolveJsonData, validateJsonData } from './validation';

const keysSet = { accessKey: true, secretKey: true };
const fields = (jsonData: Record<string, unknown>, secure: Record<string, boolean> = {}, server?: { allowedAuthProviders: string[]; assumeRoleEnabled: boolean }) =>
  validateJsonData(jsonData, secure, server);

describe('validateJsonData', () => {
  it('accepts a complete keys configuration', () => {
    expect(fields({ authType: 'keys', defaultRegion: 'eu-west-2', allowedUrls: ['https://monitoring.eu-west-2.amazonaws.com/'] }, keysSet)).toEqual([]);
  });

  it('accepts empty settings (default chain, default region)', () => {
    expect(fields({})).toEqual([]);
  });

  it.each([
    [{ authType: 'magic' }, {}, 'authType', /"magic" is not supported; use one of: default, keys, credentials, ec2_iam_role/],
    [{ authType: 'keys' }, { accessKey: true }, 'secretKey', /secretKey is required with authType "keys"/],
    [{ authType: 'keys' }, { secretKey: true }, 'accessKey', /accessKey is required/],
    [{ assumeRoleArn: 'arn:aws:iam::12345:role/x' }, {}, 'assumeRoleArn', /not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role\/<name>/],
    [{ assumeRoleArn: 'arn:aws:iam::123456789012:user/x' }, {}, 'assumeRoleArn', /not an IAM role ARN/],
    [{ externalId: 'abc' }, {}, 'externalId', /only used with an Assume Role ARN/],
    [{ defaultRegion: 'Europe' }, {}, 'defaultRegion', /"Europe" is not an AWS region; use a code such as us-east-1/],
    [{ endpoint: 'ftp://x.example' }, {}, 'endpoint', /only http:\/\/ and https:\/\/ are allowed/],
    [{ endpoint: 'not a url' }, {}, 'endpoint', /not a valid URL/],
    [{ allowedUrls: ['https://ok.example/', 'https://user@bad.example/'] }, {}, 'allowedUrls[1]', /must not contain a user name/],
    [{ allowedUrls: ['https://*.amazonaws.com/'] }, {}, 'allowedUrls[0]', /wildcard/],
    [{ allowedUrls: 'https://x/' }, {}, 'allowedUrls', /must be a list/],
    [{ allowedUrls: ['https://x.example/?a=1'] }, {}, 'allowedUrls[0]', /must not contain a query/],
    [{ service: 'Monitoring!' }, {}, 'service', /not a SigV4 signing name/],
    [{ timeoutSeconds: 0 }, {}, 'timeoutSeconds', /from 1 to 300/],
    [{ maxResponseBytes: 1.5 }, {}, 'maxResponseBytes', /whole number/],
  ])('%j is refused naming %s', (jsonData, secure, field, message) => {
    const problems = fields(jsonData, secure);
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe(field);
    expect(problems[0].message).toMatch(message);
  });

  it('refuses a provider or AssumeRole the server does not allow, naming the grafana.ini setting', () => {
    const server = { allowedAuthProviders: ['default'], assumeRoleEnabled: false };
    const problems = fields({ authType: 'keys', assumeRoleArn: 'arn:aws:iam::123456789012:role/r' }, keysSet, server);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/\[aws\] allowed_auth_providers setting allows: default/);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/\[aws\] assume_role_enabled = false/);
  });

  it('accepts the legacy auth type names of Grafana AWS data sources', () => {
    expect(fields({ authType: 'sharedCreds' })).toEqual([]);
    expect(fields({ authType: 'arn' })).toEqual([]);
  });
});

describe('Prometheus SigV4 keys (migration path)', () => {
  it('fills unset Sigil keys from sigV4* keys when sigV4Auth is true', () => {
    const r = resolveJsonData({
      sigV4Auth: true, sigV4AuthType: 'keys', sigV4Region: 'eu-central-1', sigV4AssumeRoleArn: 'arn:aws:iam::123456789012:role/r', sigV4ExternalId: 'ext',
    }, { sigV4AccessKey: true, sigV4SecretKey: true });
    expect(r).toMatchObject({ authType: 'keys', region: 'eu-central-1', assumeRoleArn: 'arn:aws:iam::123456789012:role/r', externalId: 'ext', accessKeyField: 'sigV4AccessKey', secretKeyField: 'sigV4SecretKey' });
  });

  it('lets Sigil keys win when both are set', () => {
    const r = resolveJsonData({ sigV4Auth: true, authType: 'default', sigV4AuthType: 'keys', defaultRegion: 'us-west-2', sigV4Region: 'eu-central-1' }, {});
    expect(r).toMatchObject({ authType: 'default', region: 'us-west-2' });
  });

  it('ignores sigV4* keys when sigV4Auth is not true', () => {
    expect(resolveJsonData({ sigV4AuthType: 'keys' }, {}).authType).toBeUndefined();
  });

  it('names the sigV4 key in errors', () => {
    const problems = validateJsonData({ sigV4Auth: true, sigV4AuthType: 'keys', sigV4Region: 'nowhere' }, { sigV4AccessKey: true });
    expect(problems.map((p) => p.field).sort()).toEqual(['sigV4Region', 'sigV4SecretKey']);
  });
});
