import type { DataSourceInstanceSettings } from '../protocol/types';
import { SigilError } from '../errors';
import { parseSettings } from './parse';
import { parseJsonData } from '../protocol/decode';
import { GRAFANA_AWS_DEFAULTS, parseDurationSeconds, readAwsServerOptions } from './awsServer';

function ds(jsonData: Record<string, unknown>, secure: Record<string, string> = {}): DataSourceInstanceSettings {
  return {
    id: 1,
    uid: 'abc',
    name: 'My AWS',
    url: '',
    user: '',
    database: '',
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData,
    jsonDataRaw: JSON.stringify(jsonData),
    decryptedSecureJsonData: secure,
    lastUpdatedMS: 1,
    apiVersion: '',
  };
}
const server = readAwsServerOptions({}, {});

describe('readAwsServerOptions', () => {
  it("applies Grafana's defaults when nothing is shared", () => {
    expect(server).toMatchObject({
      allowedAuthProviders: ['default', 'keys', 'credentials'],
      assumeRoleEnabled: true,
      sessionDurationSeconds: 900,
      source: 'defaults',
    });
  });

  it('reads PluginContext grafanaConfig first', () => {
    const o = readAwsServerOptions(
      {
        AWS_AUTH_AllowedAuthProviders: 'keys, ec2_iam_role',
        AWS_AUTH_AssumeRoleEnabled: 'false',
        AWS_AUTH_EXTERNAL_ID: 'grafana-ext',
        AWS_AUTH_SESSION_DURATION: '1h',
      },
      { AWS_AUTH_AllowedAuthProviders: 'default' },
    );
    expect(o).toMatchObject({
      allowedAuthProviders: ['keys', 'ec2_iam_role'],
      assumeRoleEnabled: false,
      externalId: 'grafana-ext',
      sessionDurationSeconds: 3600,
      source: 'grafanaConfig',
    });
  });

  it('falls back to the environment variables older Grafana versions set', () => {
    const o = readAwsServerOptions({}, { AWS_AUTH_AllowedAuthProviders: 'default', AWS_AUTH_SESSION_DURATION: '30m' });
    expect(o).toMatchObject({
      allowedAuthProviders: ['default'],
      assumeRoleEnabled: true,
      sessionDurationSeconds: 1800,
      source: 'environment',
    });
  });

  it('keeps the default and warns on values it cannot parse', () => {
    const o = readAwsServerOptions({ AWS_AUTH_AssumeRoleEnabled: 'maybe', AWS_AUTH_SESSION_DURATION: '5s' }, {});
    expect(o.assumeRoleEnabled).toBe(true);
    expect(o.sessionDurationSeconds).toBe(GRAFANA_AWS_DEFAULTS.sessionDurationSeconds);
    expect(o.warnings).toHaveLength(2);
  });

  it.each([
    ['15m', 900],
    ['1h30m', 5400],
    ['2d', 172800],
    ['3600', 3600],
    ['x', undefined],
    ['1h x', undefined],
  ])('parses duration %s', (t, s) => {
    expect(parseDurationSeconds(t)).toBe(s);
  });
});

describe('parseSettings', () => {
  it('applies the documented defaults', () => {
    const s = parseSettings(ds({}), server, {});
    expect(s).toMatchObject({
      authType: 'default',
      region: 'us-east-1',
      timeoutMs: 30_000,
      maxResponseBytes: 50 * 1024 * 1024,
      stsEndpoint: 'https://sts.us-east-1.amazonaws.com',
      allowedUrls: [],
      assumeRoleDurationSeconds: 900,
    });
  });

  it('takes the region from AWS_REGION when the data source says "default"', () => {
    expect(parseSettings(ds({ defaultRegion: 'default' }), server, { AWS_REGION: 'ap-south-1' }).region).toBe(
      'ap-south-1',
    );
  });

  it('normalises allowed URLs and allows the custom endpoint, which STS then follows', () => {
    const s = parseSettings(
      ds({
        endpoint: 'http://127.0.0.1:5000/',
        allowedUrls: ['HTTPS://Monitoring.US-EAST-1.amazonaws.com:443/a/../b'],
      }),
      server,
      {},
    );
    expect(s.allowedUrls).toEqual(['https://monitoring.us-east-1.amazonaws.com/b', 'http://127.0.0.1:5000/']);
    expect(s.stsEndpoint).toBe('http://127.0.0.1:5000');
    expect(s.endpoint).toBe('http://127.0.0.1:5000');
  });

  it('reads keys from secureJsonData, and from the Prometheus SigV4 keys', () => {
    const a = parseSettings(
      ds({ authType: 'keys' }, { accessKey: 'AK', secretKey: 'SK', sessionToken: 'TOK' }),
      server,
      {},
    );
    expect(a).toMatchObject({ accessKey: 'AK', secretKey: 'SK', sessionToken: 'TOK' });
    const b = parseSettings(
      ds(
        { sigV4Auth: true, sigV4AuthType: 'keys', sigV4Region: 'eu-west-1' },
        { sigV4AccessKey: 'AK2', sigV4SecretKey: 'SK2' },
      ),
      server,
      {},
    );
    expect(b).toMatchObject({ authType: 'keys', region: 'eu-west-1', accessKey: 'AK2', secretKey: 'SK2' });
  });

  it("uses the server's external id when the data source sets none", () => {
    const o = readAwsServerOptions({ AWS_AUTH_EXTERNAL_ID: 'stack-ext' }, {});
    const s = parseSettings(ds({ assumeRoleArn: 'arn:aws:iam::123456789012:role/r' }), o, {});
    expect(s.externalId).toBe('stack-ext');
  });

  it('refuses bad settings with a plugin error listing every problem, without secrets', () => {
    let err: unknown;
    try {
      parseSettings(
        ds({ authType: 'keys', defaultRegion: 'mars-1', externalId: 'e' }, { accessKey: 'AK', secretKey: '' }),
        server,
        {},
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SigilError);
    const e = err as SigilError;
    expect(e.source).toBe('plugin');
    expect(e.message).toMatch(/Secret access key is required/);
    expect([e.kind, e.source, e.status]).toEqual(['settings', 'plugin', 400]);
    expect(e.message).toMatch(/"mars-1" is not an AWS region/);
    expect(e.message).toMatch(/External ID is only used with an Assume Role ARN/);
  });

  it('refuses a provider the server does not allow', () => {
    const o = readAwsServerOptions({ AWS_AUTH_AllowedAuthProviders: 'default' }, {});
    expect(() => parseSettings(ds({ authType: 'keys' }, { accessKey: 'A', secretKey: 'S' }), o, {})).toThrow(
      /\[aws\] allowed_auth_providers/,
    );
  });
});

describe('parseSettings fails closed and reads own properties only', () => {
  const withRaw = (raw: string): DataSourceInstanceSettings => ({ ...ds({}), ...parseJsonData(Buffer.from(raw)) });

  it.each(['{broken', '[]', '"keys"', '7', '{"__proto__":{"authType":"keys"}}'])(
    'refuses jsonData %s with a settings error',
    (raw) => {
      const err = (() => {
        try {
          parseSettings(withRaw(raw), server, {});
        } catch (e) {
          return e as SigilError;
        }
        throw new Error('accepted');
      })();
      expect([err.kind, err.source, err.status]).toEqual(['settings', 'plugin', 400]);
      expect(err.message).toMatch(/^the settings of data source "My AWS" could not be read: jsonData /);
    },
  );

  it("refuses no jsonData rather than reading it as the defaults (the default chain is the server's own identity)", () => {
    expect(() => parseSettings(withRaw(''), server, {})).toThrow(/could not be read: jsonData is empty/);
    expect(parseSettings(withRaw('{}'), server, {})).toMatchObject({
      authType: 'default',
      region: 'us-east-1',
      allowedUrls: [],
    });
  });

  it('ignores anything set on Object.prototype (a polluted prototype is never a setting)', () => {
    const proto = Object.prototype as Record<string, unknown>;
    const fields = {
      endpoint: 'https://evil.example',
      allowedUrls: ['https://evil.example/'],
      authType: 'keys',
      secretKey: 'polluted-secret',
      testUrl: 'https://evil.example/t',
    };
    Object.assign(proto, fields);
    try {
      const s = parseSettings(ds({ defaultRegion: 'eu-west-1' }), server, {});
      expect([s.authType, s.endpoint, s.allowedUrls, s.testUrl, s.secretKey]).toEqual([
        'default',
        undefined,
        [],
        undefined,
        undefined,
      ]);
      expect(s.stsEndpoint).toBe('https://sts.eu-west-1.amazonaws.com');
    } finally {
      for (const k of Object.keys(fields)) delete proto[k];
    }
  });
});
