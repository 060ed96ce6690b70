// STS AssumeRoleWithWebIdentity (query protocol, XML answer), for the web identity token file provider
// (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN). moto with IAM auth on cannot take this unsigned call.
import { expirationIso, startFake, type FakeCredentials, type FakeServer } from './server';

export async function startWebIdentitySts(creds: FakeCredentials, expectedToken: string): Promise<FakeServer> {
  return startFake((req, res) => {
    const p = new URLSearchParams(req.body);
    const xmlError = (status: number, code: string, message: string): void => {
      res.writeHead(status, { 'content-type': 'text/xml' }).end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`);
    };
    if (req.method !== 'POST' || p.get('Action') !== 'AssumeRoleWithWebIdentity') return xmlError(400, 'InvalidAction', 'only AssumeRoleWithWebIdentity');
    if (p.get('WebIdentityToken') !== expectedToken) return xmlError(400, 'InvalidIdentityToken', 'token rejected');
    const roleArn = p.get('RoleArn') ?? '';
    const session = p.get('RoleSessionName') ?? '';
    const role = roleArn.split('/').pop();
    res.writeHead(200, { 'content-type': 'text/xml' }).end(
      `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>` +
      `<SubjectFromWebIdentityToken>system:serviceaccount:grafana:grafana</SubjectFromWebIdentityToken><Audience>sts.amazonaws.com</Audience>` +
      `<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/${role}/${session}</Arn><AssumedRoleId>AROAFAKE:${session}</AssumedRoleId></AssumedRoleUser>` +
      `<Credentials><AccessKeyId>${creds.accessKeyId}</AccessKeyId><SecretAccessKey>${creds.secretAccessKey}</SecretAccessKey>` +
      `<SessionToken>${creds.sessionToken ?? 'web-identity-session-token'}</SessionToken><Expiration>${expirationIso(creds.lifetimeMs)}</Expiration></Credentials>` +
      `<Provider>oidc.eks.amazonaws.com</Provider></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`);
  });
}

/**
 * STS that issues short-lived credentials (AssumeRole) and, like AWS, refuses expired ones
 * (GetCallerIdentity answers 403 ExpiredToken). Signatures are not checked here: moto does that elsewhere.
 */
export interface ShortLivedSts extends FakeServer {
  assumeRoleCalls(): number;
  expiredRefusals(): number;
}

export async function startShortLivedSts(lifetimeMs: number): Promise<ShortLivedSts> {
  const issued = new Map<string, number>(); // access key -> expiry (ms)
  let assumes = 0;
  let refusals = 0;
  let serial = 0;
  const server = await startFake((req, res) => {
    const p = new URLSearchParams(req.body);
    const xml = (status: number, body: string): void => void res.writeHead(status, { 'content-type': 'text/xml' }).end(body);
    if (p.get('Action') === 'AssumeRole') {
      assumes++;
      const key = `ASIASHORT${String(++serial).padStart(8, '0')}`;
      const expires = Date.now() + lifetimeMs;
      issued.set(key, expires);
      return xml(200, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
        `<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/short/${p.get('RoleSessionName')}</Arn><AssumedRoleId>AROASHORT:x</AssumedRoleId></AssumedRoleUser>` +
        `<Credentials><AccessKeyId>${key}</AccessKeyId><SecretAccessKey>secret-${serial}</SecretAccessKey><SessionToken>token-${serial}</SessionToken>` +
        `<Expiration>${new Date(expires).toISOString()}</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`);
    }
    if (p.get('Action') === 'GetCallerIdentity') {
      const key = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
      const expires = issued.get(key);
      if (expires === undefined || Date.now() >= expires) {
        refusals++;
        return xml(403, `<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error></ErrorResponse>`);
      }
      return xml(200, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
        `<Arn>arn:aws:sts::123456789012:assumed-role/short/session</Arn><UserId>AROASHORT:session</UserId><Account>123456789012</Account>` +
        `</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
    }
    xml(400, '<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>');
  });
  return { ...server, assumeRoleCalls: () => assumes, expiredRefusals: () => refusals };
}

/**
 * STS that hands out credentials to anyone who asks (GetSessionToken, GetFederationToken, AssumeRole*), so a
 * test can see whether a query could mint them; GetCallerIdentity answers normally. `hangAssumeRole` makes
 * AssumeRole never answer (the connection stays open), for the credential-resolution timeout.
 */
export interface MintingSts extends FakeServer {
  /** Requests that named a credential-minting action (any spelling this fake understands). */
  mintingCalls(): number;
  hangAssumeRole(on: boolean): void;
  readonly minted: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

export async function startMintingSts(): Promise<MintingSts> {
  const minted = { accessKeyId: 'ASIAMINTEDBYQUERY001', secretAccessKey: 'minted-secret-Zq8sW3xVb7Lp2Kd9', sessionToken: 'minted-session-token-Hj4nT6yRe1Uo' };
  let minting = 0;
  let hang = false;
  const server = await startFake((req, res) => {
    const query = new URL(req.path, 'http://x').searchParams;
    const form = new URLSearchParams(req.body);
    const action = (form.get('Action') ?? query.get('Action') ?? String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '').toLowerCase();
    const xml = (status: number, body: string): void => void res.writeHead(status, { 'content-type': 'text/xml' }).end(body);
    if (action === 'getcalleridentity') {
      return xml(200, '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/sigil</Arn>' +
        '<UserId>AIDAFAKE</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>gci-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>');
    }
    if (action.startsWith('assumerole') && hang) return; // never answers
    if (['getsessiontoken', 'getfederationtoken'].includes(action) || action.startsWith('assumerole')) {
      minting++;
      return xml(200, `<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult><Credentials>` +
        `<AccessKeyId>${minted.accessKeyId}</AccessKeyId><SecretAccessKey>${minted.secretAccessKey}</SecretAccessKey><SessionToken>${minted.sessionToken}</SessionToken>` +
        `<Expiration>${expirationIso(3600_000)}</Expiration></Credentials></GetSessionTokenResult><ResponseMetadata><RequestId>mint-1</RequestId></ResponseMetadata></GetSessionTokenResponse>`);
    }
    xml(400, '<ErrorResponse><Error><Code>InvalidAction</Code><Message>unknown action</Message></Error><RequestId>bad-1</RequestId></ErrorResponse>');
  });
  return {
    ...server,
    minted,
    mintingCalls: () => minting,
    hangAssumeRole: (on) => {
      hang = on;
    },
  };
}
