// Credentials and health through the BUILT plugin under Grafana's plugin client (e2e/grafana-host),
// against moto with IAM authentication on: moto checks every signature and every IAM policy.
import { runGrafanaHostDetailed, type HostCall, type HostResult } from './lib/grafanaHost';
import { startMoto, type Moto } from './lib/moto';

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};

function health(
  uid: string,
  jsonData: Record<string, unknown>,
  secureJsonData: Record<string, string>,
  grafanaConfig: Record<string, string> = {},
): HostCall {
  return {
    kind: 'checkHealth',
    dataSource: {
      uid,
      name: `moto ${uid}`,
      jsonData: { endpoint: moto.endpoint, defaultRegion: 'us-east-1', ...jsonData },
      secureJsonData,
      lastUpdatedMS: 1,
    },
    grafanaConfig,
  };
}

describe('AWS credentials through the plugin, verified by moto', () => {
  let results: HostResult[];
  let stderr: string;
  const wrongSecret = 'wrong-secret-Zq8vN3xK2pL5mR7t';

  beforeAll(async () => {
    const user = { accessKey: moto.user.accessKeyId, secretKey: moto.user.secretAccessKey };
    // The role may list SQS queues; the user alone may not. The test URL proves which identity signed it.
    const sqsTest = { service: 'sqs', testUrl: `${moto.endpoint}/?Action=ListQueues&Version=2012-11-05` };
    const role = { assumeRoleArn: moto.role.arn };
    const run = await runGrafanaHostDetailed({
      env: ISOLATED_ENV,
      calls: [
        health('keys', { authType: 'keys' }, user),
        health('wrong-secret', { authType: 'keys' }, { ...user, secretKey: wrongSecret }),
        health('assume', { authType: 'keys', ...role, externalId: moto.role.externalId, ...sqsTest }, user),
        health('no-assume', { authType: 'keys', ...sqsTest }, user),
        health('wrong-external-id', { authType: 'keys', ...role, externalId: 'not-the-external-id' }, user),
        health('server-external-id', { authType: 'keys', ...role }, user, {
          AWS_AUTH_EXTERNAL_ID: moto.role.externalId,
        }),
        health('not-allowed', { authType: 'keys' }, user, { AWS_AUTH_AllowedAuthProviders: 'default,credentials' }),
        health('assume-disabled', { authType: 'keys', ...role, externalId: moto.role.externalId }, user, {
          AWS_AUTH_AssumeRoleEnabled: 'false',
        }),
        { kind: 'checkHealth' },
      ],
    });
    expect(run.error).toBeUndefined();
    results = run.results;
    stderr = run.stderr;
  });

  it('static keys: health shows the IAM user', () => {
    expect(results[0].status).toBe('OK');
    expect(results[0].message).toContain(`Authenticated as ${moto.user.arn} (account ${moto.account})`);
    expect(results[0].jsonDetails).toMatchObject({ arn: moto.user.arn, account: moto.account, authType: 'keys' });
  });

  it('a wrong secret is refused by moto and reported clearly, without the secret', () => {
    expect(results[1].status).toBe('ERROR');
    expect(results[1].message).toMatch(/^STS GetCallerIdentity failed: .* answered HTTP 403 SignatureDoesNotMatch/);
    expect(results[1].message).toMatch(/check the access key, secret key/);
    expect(JSON.stringify(results[1])).not.toContain(wrongSecret);
  });

  it('AssumeRole with External ID: health shows the assumed role, and its credentials sign the next request', () => {
    expect(results[2].status).toBe('OK');
    expect(results[2].message).toContain('assumed-role/sigil-reader/grafana-sigil-assume');
    expect(results[2].jsonDetails).toMatchObject({ testUrl: { status: 200 }, assumeRoleArn: moto.role.arn });
    // The same test URL signed by the user itself is denied: so it was the role that signed it above.
    expect(results[3].status).toBe('ERROR');
    expect(results[3].message).toMatch(/^Test URL failed: .* answered HTTP 403 AccessDenied/);
  });

  it('a wrong External ID is refused at the AssumeRole step', () => {
    expect(results[4].status).toBe('ERROR');
    expect(results[4].message).toMatch(
      /^AssumeRole failed: STS AssumeRole of arn:aws:iam::123456789012:role\/sigil-reader .* AccessDenied/,
    );
    expect(results[4].jsonDetails).toMatchObject({ step: 'assumeRole' });
  });

  it("uses the Grafana server's [aws] external_id when the data source sets none", () => {
    expect(results[5].status).toBe('OK');
    expect(results[5].message).toContain('assumed-role/sigil-reader');
  });

  it('refuses a provider or AssumeRole the server does not allow, naming the grafana.ini setting', () => {
    expect(results[6].status).toBe('ERROR');
    expect(results[6].message).toMatch(
      /^Settings failed: .*\[aws\] allowed_auth_providers setting allows: default, credentials/,
    );
    expect(results[7].status).toBe('ERROR');
    expect(results[7].message).toMatch(/\[aws\] assume_role_enabled = false/);
  });

  it('says what to configure when the request has no data source settings', () => {
    expect(results[8].status).toBe('ERROR');
    expect(results[8].message).toMatch(/no data source settings/);
  });

  it('never logs a secret', () => {
    for (const secret of [moto.user.secretAccessKey, wrongSecret]) expect(stderr).not.toContain(secret);
    expect(JSON.stringify(results)).not.toContain(moto.user.secretAccessKey);
  });
});
