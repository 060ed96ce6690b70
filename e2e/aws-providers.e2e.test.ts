// Every credential provider through the BUILT plugin, fed by local fakes that speak the real wire formats
// (IMDSv2, ECS container credentials, STS AssumeRoleWithWebIdentity) or by shared credentials files. The
// fakes hand out temporary credentials that moto issued, so moto (IAM auth on) verifies what the plugin
// signed with them: health must show the identity behind the provider.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGrafanaHostDetailed, type HostResult } from './lib/grafanaHost';
import { startMoto, type Moto } from './lib/moto';
import { startImds } from './lib/fakes/imds';
import { ECS_PATH, startEcsCredentials } from './lib/fakes/ecs';
import { startWebIdentitySts } from './lib/fakes/sts';
import type { FakeCredentials, FakeServer } from './lib/fakes/server';

let moto: Moto;
let temp: FakeCredentials;
const fakes: FakeServer[] = [];
const dir = mkdtempSync(join(tmpdir(), 'sigil-providers-'));
const ASSUMED = /arn:aws:sts::123456789012:assumed-role\/sigil-reader\/provider-source/;

beforeAll(async () => {
  moto = await startMoto();
  const out = await moto.python(`
c = session.client('sts', endpoint_url=endpoint)
cr = c.assume_role(RoleArn=${JSON.stringify(moto.role.arn)}, RoleSessionName='provider-source', ExternalId=${JSON.stringify(moto.role.externalId)})['Credentials']
print(json.dumps({'accessKeyId': cr['AccessKeyId'], 'secretAccessKey': cr['SecretAccessKey'], 'sessionToken': cr['SessionToken']}))`);
  temp = JSON.parse(out) as FakeCredentials;
});
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  await moto?.stop();
});

/** Base environment: nothing from this machine may leak into the SDK's provider chain. */
const CLEAN_ENV: Record<string, string> = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
};

async function healthWith(
  env: Record<string, string>,
  jsonData: Record<string, unknown>,
): Promise<{ result: HostResult; stderr: string }> {
  const run = await runGrafanaHostDetailed({
    env: { ...CLEAN_ENV, ...env },
    calls: [
      {
        kind: 'checkHealth',
        dataSource: {
          uid: 'prov',
          name: 'providers',
          jsonData: { endpoint: moto.endpoint, defaultRegion: 'us-east-1', ...jsonData },
          lastUpdatedMS: 1,
        },
        grafanaConfig: { AWS_AUTH_AllowedAuthProviders: 'default,keys,credentials,ec2_iam_role' },
      },
    ],
  });
  expect(run.error).toBeUndefined();
  return { result: run.results[0], stderr: run.stderr };
}

describe('credential providers through the plugin', () => {
  it('ec2_iam_role: IMDSv2 token, then the role credentials', async () => {
    const imds = await startImds(temp);
    fakes.push(imds);
    const { result, stderr } = await healthWith(
      { AWS_EC2_METADATA_DISABLED: '', AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url },
      { authType: 'ec2_iam_role' },
    );
    expect(result.status).toBe('OK');
    expect(result.message).toMatch(ASSUMED);
    expect(imds.requests[0]).toMatchObject({ method: 'PUT', path: '/latest/api/token' });
    expect(imds.requests.slice(1).every((r) => typeof r.headers['x-aws-ec2-metadata-token'] === 'string')).toBe(true);
    expect(stderr).not.toContain(temp.secretAccessKey);
  });

  it('ec2_iam_role has no fallback: with IMDS unreachable, env keys are not used', async () => {
    const { result } = await healthWith(
      {
        AWS_EC2_METADATA_DISABLED: '',
        AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: moto.user.accessKeyId,
        AWS_SECRET_ACCESS_KEY: moto.user.secretAccessKey,
      },
      { authType: 'ec2_iam_role' },
    );
    expect(result.status).toBe('ERROR');
    expect(result.message).toMatch(/^Credentials failed: could not load ec2_iam_role credentials/);
  });

  it('default chain: ECS container credentials with the authorization token', async () => {
    const ecs = await startEcsCredentials(temp, 'Bearer ecs-secret-token-123');
    fakes.push(ecs);
    const { result } = await healthWith(
      {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${ecs.url}${ECS_PATH}`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer ecs-secret-token-123',
      },
      { authType: 'default' },
    );
    expect(result.status).toBe('OK');
    expect(result.message).toMatch(ASSUMED);
    expect(ecs.requests.length).toBeGreaterThanOrEqual(1);
    expect(ecs.requests[0].headers.authorization).toBe('Bearer ecs-secret-token-123');
  });

  it('default chain: web identity token file with STS AssumeRoleWithWebIdentity (EKS IRSA)', async () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.fake-service-account-token';
    const sts = await startWebIdentitySts(temp, token);
    fakes.push(sts);
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, token);
    const { result } = await healthWith(
      {
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/irsa-role',
        AWS_ROLE_SESSION_NAME: 'grafana-irsa',
        AWS_ENDPOINT_URL_STS: sts.url,
      },
      { authType: 'default' },
    );
    expect(result.status).toBe('OK');
    expect(result.message).toMatch(ASSUMED);
    const call = new URLSearchParams(sts.requests[0].body);
    expect(call.get('Action')).toBe('AssumeRoleWithWebIdentity');
    expect(call.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/irsa-role');
    expect(call.get('WebIdentityToken')).toBe(token);
  });

  it('default chain: environment keys', async () => {
    const { result } = await healthWith(
      { AWS_ACCESS_KEY_ID: moto.user.accessKeyId, AWS_SECRET_ACCESS_KEY: moto.user.secretAccessKey },
      { authType: 'default' },
    );
    expect(result.status).toBe('OK');
    expect(result.message).toContain(moto.user.arn);
  });

  it('credentials: the named profile of the shared files, with no fallback', async () => {
    const credentials = join(dir, 'credentials');
    const config = join(dir, 'config');
    writeFileSync(
      credentials,
      `[default]\naws_access_key_id = AKIAWRONGDEFAULT\naws_secret_access_key = wrong\n\n[sigil]\naws_access_key_id = ${moto.user.accessKeyId}\naws_secret_access_key = ${moto.user.secretAccessKey}\n`,
    );
    writeFileSync(config, '[profile temp]\nregion = us-east-1\n');
    writeFileSync(
      join(dir, 'credentials-temp'),
      `[temp]\naws_access_key_id = ${temp.accessKeyId}\naws_secret_access_key = ${temp.secretAccessKey}\naws_session_token = ${temp.sessionToken}\n`,
    );
    const files = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config };
    const ok = await healthWith(files, { authType: 'credentials', profile: 'sigil' });
    expect(ok.result.status).toBe('OK');
    expect(ok.result.message).toContain(moto.user.arn);
    const withToken = await healthWith(
      { ...files, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials-temp') },
      { authType: 'credentials', profile: 'temp' },
    );
    expect(withToken.result.message).toMatch(ASSUMED);
    // A missing profile fails even though valid keys sit in the environment.
    const missing = await healthWith(
      { ...files, AWS_ACCESS_KEY_ID: moto.user.accessKeyId, AWS_SECRET_ACCESS_KEY: moto.user.secretAccessKey },
      { authType: 'credentials', profile: 'nope' },
    );
    expect(missing.result.status).toBe('ERROR');
    expect(missing.result.message).toMatch(/^Credentials failed: could not load credentials credentials: .*nope/);
  });
});
