// ECS/EKS-Pod-Identity container credentials endpoint: GET with the Authorization token, JSON answer.
// Point the SDK at it with AWS_CONTAINER_CREDENTIALS_FULL_URI (+ AWS_CONTAINER_AUTHORIZATION_TOKEN).
import { expirationIso, startFake, type FakeCredentials, type FakeServer } from './server';

export const ECS_PATH = '/v2/credentials/task-role';

export async function startEcsCredentials(creds: FakeCredentials, authToken: string): Promise<FakeServer> {
  return startFake((req, res) => {
    if (req.method !== 'GET' || req.path !== ECS_PATH) return void res.writeHead(404).end();
    if (req.headers.authorization !== authToken) {
      return void res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"code":"AccessDenied","message":"bad token"}');
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        Token: creds.sessionToken ?? 'ecs-session-token',
        Expiration: expirationIso(creds.lifetimeMs),
        RoleArn: 'arn:aws:iam::123456789012:role/ecs-task-role',
      }),
    );
  });
}
