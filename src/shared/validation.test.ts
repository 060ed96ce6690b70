import { resolveJsonData, validateJsonData } from './validation';

const keysSet = { accessKey: true, secretKey: true };
const fields = (
  jsonData: Record<string, unknown>,
  secure: Record<string, boolean> = {},
  server?: { allowedAuthProviders: string[]; assumeRoleEnabled: boolean },
) => validateJsonData(jsonData, secure, server);

describe('validateJsonData', () => {
  it('accepts a complete keys configuration', () => {
    expect(
      fields(
        { authType: 'keys', defaultRegion: 'eu-west-2', allowedUrls: ['https://monitoring.eu-west-2.amazonaws.com/'] },
        keysSet,
      ),
    ).toEqual([]);
  });

  it('accepts empty settings (default chain, default region)', () => {
    expect(fields({})).toEqual([]);
  });

  it.each([
    [
      { authType: 'magic' },
      {},
      'authType',
      /"magic" is not supported; use one of: default, keys, credentials, ec2_iam_role/,
    ],
    [
      { authType: 'keys' },
      { accessKey: true },
      'secretKey',
      /^Secret access key is required with access & secret key authentication/,
    ],
    [{ authType: 'keys' }, { secretKey: true }, 'accessKey', /^Access key ID is required/],
    [
      { assumeRoleArn: 'arn:aws:iam::12345:role/x' },
      {},
      'assumeRoleArn',
      /not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role\/<name>/,
    ],
    [{ assumeRoleArn: 'arn:aws:iam::123456789012:user/x' }, {}, 'assumeRoleArn', /not an IAM role ARN/],
    [{ externalId: 'abc' }, {}, 'externalId', /only used with an Assume Role ARN/],
    [
      { defaultRegion: 'Europe' },
      {},
      'defaultRegion',
      /^Default region "Europe" is not an AWS region; use a code such as us-east-1/,
    ],
    [{ endpoint: 'ftp://x.example' }, {}, 'endpoint', /only http:\/\/ and https:\/\/ are allowed/],
    [{ endpoint: 'not a url' }, {}, 'endpoint', /not a valid URL/],
    [
      { allowedUrls: ['https://ok.example/', 'https://user@bad.example/'] },
      {},
      'allowedUrls[1]',
      /^Allowed URL 2 "https:\/\/user@bad.example\/" must not contain a user name/,
    ],
    [{ allowedUrls: ['https://*.amazonaws.com/'] }, {}, 'allowedUrls[0]', /wildcard/],
    [{ allowedUrls: 'https://x/' }, {}, 'allowedUrls', /must be a list/],
    [{ allowedUrls: ['https://x.example/?a=1'] }, {}, 'allowedUrls[0]', /must not contain a query/],
    [{ service: 'Monitoring!' }, {}, 'service', /not a SigV4 signing name/],
    [
      { timeoutSeconds: 0 },
      {},
      'timeoutSeconds',
      /^Timeout must be a number of seconds from 1 to 300 \(timeoutSeconds\)$/,
    ],
    [
      { maxResponseBytes: 1.5 },
      {},
      'maxResponseBytes',
      /^Largest answer must be from 1 KiB to 1024 MiB \(maxResponseBytes: a whole number of bytes/,
    ],
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

  it('names fields by their editor labels, never by JSON keys (legacy Prometheus keys are named too)', () => {
    const all = fields(
      {
        authType: 'keys',
        profile: 'bad profile!',
        assumeRoleArn: 'x',
        externalId: 'y',
        endpoint: 'ftp://e',
        service: 'S!',
        allowedUrls: [''],
        testUrl: 'ftp://t',
        timeoutSeconds: 0,
        maxResponseBytes: 1,
      },
      {},
    );
    const keys = [
      'authType',
      'profile',
      'assumeRoleArn',
      'externalId',
      'endpoint',
      'service',
      'allowedUrls',
      'testUrl',
      'timeoutSeconds',
      'maxResponseBytes',
      'accessKey',
      'secretKey',
    ];
    expect(all.length).toBeGreaterThanOrEqual(11);
    for (const { message } of all) {
      expect({ message, key: keys.find((k) => new RegExp(`^${k}\\b`).test(message)) }).toEqual({
        message,
        key: undefined,
      });
    }
    const legacy = fields({ sigV4Auth: true, sigV4Region: 'mars' }, {});
    expect(legacy.map((p) => p.message)).toEqual([
      expect.stringMatching(/^Default region \(sigV4Region\) "mars" is not an AWS region/),
    ]);
  });

  it('accepts the legacy auth type names of Grafana AWS data sources', () => {
    expect(fields({ authType: 'sharedCreds' })).toEqual([]);
    expect(fields({ authType: 'arn' })).toEqual([]);
  });
});

describe('Prometheus SigV4 keys (migration path)', () => {
  it('fills unset Sigil keys from sigV4* keys when sigV4Auth is true', () => {
    const r = resolveJsonData(
      {
        sigV4Auth: true,
        sigV4AuthType: 'keys',
        sigV4Region: 'eu-central-1',
        sigV4AssumeRoleArn: 'arn:aws:iam::123456789012:role/r',
        sigV4ExternalId: 'ext',
      },
      { sigV4AccessKey: true, sigV4SecretKey: true },
    );
    expect(r).toMatchObject({
      authType: 'keys',
      region: 'eu-central-1',
      assumeRoleArn: 'arn:aws:iam::123456789012:role/r',
      externalId: 'ext',
      accessKeyField: 'sigV4AccessKey',
      secretKeyField: 'sigV4SecretKey',
    });
  });

  it('lets Sigil keys win when both are set', () => {
    const r = resolveJsonData(
      {
        sigV4Auth: true,
        authType: 'default',
        sigV4AuthType: 'keys',
        defaultRegion: 'us-west-2',
        sigV4Region: 'eu-central-1',
      },
      {},
    );
    expect(r).toMatchObject({ authType: 'default', region: 'us-west-2' });
  });

  it('ignores sigV4* keys when sigV4Auth is not true', () => {
    expect(resolveJsonData({ sigV4AuthType: 'keys' }, {}).authType).toBeUndefined();
  });

  it('names the sigV4 key in errors', () => {
    const problems = validateJsonData(
      { sigV4Auth: true, sigV4AuthType: 'keys', sigV4Region: 'nowhere' },
      { sigV4AccessKey: true },
    );
    expect(problems.map((p) => p.field).sort()).toEqual(['sigV4Region', 'sigV4SecretKey']);
  });
});
