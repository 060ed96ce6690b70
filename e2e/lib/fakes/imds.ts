// EC2 instance metadata service, IMDSv2 only: PUT /latest/api/token, then the role name and the role's
// credentials under /latest/meta-data/iam/security-credentials/ with the X-aws-ec2-metadata-token header.
// Point the SDK at it with AWS_EC2_METADATA_SERVICE_ENDPOINT.
import { randomUUID } from 'node:crypto';
import { expirationIso, startFake, type FakeCredentials, type FakeServer } from './server';

export async function startImds(creds: FakeCredentials, roleName = 'grafana-instance-role'): Promise<FakeServer> {
  const tokens = new Set<string>();
  const base = '/latest/meta-data/iam/security-credentials/';
  return startFake((req, res) => {
    if (req.method === 'PUT' && req.path === '/latest/api/token') {
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return void res.writeHead(400).end();
      const token = randomUUID();
      tokens.add(token);
      return void res
        .writeHead(200, { 'content-type': 'text/plain', 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) })
        .end(token);
    }
    const token = req.headers['x-aws-ec2-metadata-token'];
    if (typeof token !== 'string' || !tokens.has(token)) return void res.writeHead(401).end(); // IMDSv2 required
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (req.path === base) return void res.writeHead(200, { 'content-type': 'text/plain' }).end(roleName);
    if (req.path === `${base}${roleName}`) {
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(
        JSON.stringify({
          Code: 'Success',
          LastUpdated: expirationIso(0),
          Type: 'AWS-HMAC',
          AccessKeyId: creds.accessKeyId,
          SecretAccessKey: creds.secretAccessKey,
          Token: creds.sessionToken ?? 'imds-session-token',
          Expiration: expirationIso(creds.lifetimeMs),
        }),
      );
    }
    res.writeHead(404).end();
  });
}
