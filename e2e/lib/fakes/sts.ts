// STS AssumeRoleWithWebIdentity (query protocol, XML answer), for the web identity token file provider
// (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN). moto with IAM auth on cannot take this unsigned call.
import { expirationIso, startFake, type FakeCredentials, type FakeServer, type Handler } from './server';

export async function startWebIdentitySts(creds: FakeCredentials, expectedToken: string): Promise<FakeServer> {
  return startFake((req, res) => {
    const p = new URLSearchParams(req.body);
    const xmlError = (status: number, code: string, message: string): void => {
      res
        .writeHead(status, { 'content-type': 'text/xml' })
        .end(
          `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
        );
    };
    if (req.method !== 'POST' || p.get('Action') !== 'AssumeRoleWithWebIdentity')
      return xmlError(400, 'InvalidAction', 'only AssumeRoleWithWebIdentity');
    if (p.get('WebIdentityToken') !== expectedToken) return xmlError(400, 'InvalidIdentityToken', 'token rejected');
    const roleArn = p.get('RoleArn') ?? '';
    const session = p.get('RoleSessionName') ?? '';
    const role = roleArn.split('/').pop();
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(
        `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>` +
          `<SubjectFromWebIdentityToken>system:serviceaccount:grafana:grafana</SubjectFromWebIdentityToken><Audience>sts.amazonaws.com</Audience>` +
          `<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/${role}/${session}</Arn><AssumedRoleId>AROAFAKE:${session}</AssumedRoleId></AssumedRoleUser>` +
          `<Credentials><AccessKeyId>${creds.accessKeyId}</AccessKeyId><SecretAccessKey>${creds.secretAccessKey}</SecretAccessKey>` +
          `<SessionToken>${creds.sessionToken ?? 'web-identity-session-token'}</SessionToken><Expiration>${expirationIso(creds.lifetimeMs)}</Expiration></Credentials>` +
          `<Provider>oidc.eks.amazonaws.com</Provider></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
      );
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
    const xml = (status: number, body: string): void =>
      void res.writeHead(status, { 'content-type': 'text/xml' }).end(body);
    if (p.get('Action') === 'AssumeRole') {
      assumes++;
      const key = `ASIASHORT${String(++serial).padStart(8, '0')}`;
      const expires = Date.now() + lifetimeMs;
      issued.set(key, expires);
      return xml(
        200,
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
          `<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/short/${p.get('RoleSessionName')}</Arn><AssumedRoleId>AROASHORT:x</AssumedRoleId></AssumedRoleUser>` +
          `<Credentials><AccessKeyId>${key}</AccessKeyId><SecretAccessKey>secret-${serial}</SecretAccessKey><SessionToken>token-${serial}</SessionToken>` +
          `<Expiration>${new Date(expires).toISOString()}</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    }
    if (p.get('Action') === 'GetCallerIdentity') {
      const key = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
      const expires = issued.get(key);
      if (expires === undefined || Date.now() >= expires) {
        refusals++;
        return xml(
          403,
          `<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error></ErrorResponse>`,
        );
      }
      return xml(
        200,
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
          `<Arn>arn:aws:sts::123456789012:assumed-role/short/session</Arn><UserId>AROASHORT:session</UserId><Account>123456789012</Account>` +
          `</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
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
  const minted = {
    accessKeyId: 'ASIAMINTEDBYQUERY001',
    secretAccessKey: 'minted-secret-Zq8sW3xVb7Lp2Kd9',
    sessionToken: 'minted-session-token-Hj4nT6yRe1Uo',
  };
  let minting = 0;
  let hang = false;
  const server = await startFake((req, res) => {
    const query = new URL(req.path, 'http://x').searchParams;
    const form = new URLSearchParams(req.body);
    const action = (
      form.get('Action') ??
      query.get('Action') ??
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ??
      ''
    ).toLowerCase();
    const xml = (status: number, body: string): void =>
      void res.writeHead(status, { 'content-type': 'text/xml' }).end(body);
    if (action === 'getcalleridentity') {
      return xml(
        200,
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/sigil</Arn>' +
          '<UserId>AIDAFAKE</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>gci-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
      );
    }
    if (action.startsWith('assumerole') && hang) return; // never answers
    if (['getsessiontoken', 'getfederationtoken'].includes(action) || action.startsWith('assumerole')) {
      minting++;
      return xml(
        200,
        `<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult><Credentials>` +
          `<AccessKeyId>${minted.accessKeyId}</AccessKeyId><SecretAccessKey>${minted.secretAccessKey}</SecretAccessKey><SessionToken>${minted.sessionToken}</SessionToken>` +
          `<Expiration>${expirationIso(3600_000)}</Expiration></Credentials></GetSessionTokenResult><ResponseMetadata><RequestId>mint-1</RequestId></ResponseMetadata></GetSessionTokenResponse>`,
      );
    }
    xml(
      400,
      '<ErrorResponse><Error><Code>InvalidAction</Code><Message>unknown action</Message></Error><RequestId>bad-1</RequestId></ErrorResponse>',
    );
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

/** What a faulty STS does with one action: answer, hang (never answer), 503, answer late, or garbage. */
export type StsFault =
  | { kind: 'ok' }
  | { kind: 'hang' }
  | { kind: 'status'; status: number }
  | { kind: 'slow'; ms: number }
  | { kind: 'garbage' };

export interface FaultySts extends FakeServer {
  /** Sets the behaviour of one action (`*` for all), e.g. `setFault('AssumeRole', { kind: 'hang' })`. */
  setFault(action: string, fault: StsFault): void;
  /** How many times an action was asked for (any answer, fault or not). */
  calls(action: string): number;
  /** Every credential set handed out so far (AssumeRole, GetSessionToken, GetFederationToken, ...). */
  issued: FakeCredentials[];
  /** Lifetime of the credentials issued from now on. */
  setLifetime(ms: number): void;
}

export interface FaultyStsOptions {
  /** Lifetime of issued credentials (default 1 h). */
  lifetimeMs?: number;
  /** Makes the credentials of each issue (default: unique fake ones). */
  mint?: (action: string, serial: number) => FakeCredentials;
  /** Answers requests that are not STS actions (no Action in the query string or form body). */
  fallback?: Handler;
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
/** Actions whose answer carries credentials; answered in the real STS wire format (XML, or JSON for awsJson1_0). */
const MINTING = new Set([
  'assumerole',
  'assumerolewithwebidentity',
  'assumerolewithsaml',
  'getsessiontoken',
  'getfederationtoken',
  'assumeroot',
]);

/**
 * An STS speaking the real query-protocol XML (and the awsJson1_0 JSON protocol, X-Amz-Target
 * `AWSSecurityTokenServiceV20110615.<Action>`) whose every action can be switched to a fault. Like a lenient
 * server, it reads Action from the query string or the form body (the last one wins) in any letter case.
 * Signatures are not checked (moto does that elsewhere).
 */
export async function startFaultySts(options: FaultyStsOptions = {}): Promise<FaultySts> {
  const faults = new Map<string, StsFault>();
  const counts = new Map<string, number>();
  const issued: FakeCredentials[] = [];
  let serial = 0;
  let lifetimeMs = options.lifetimeMs ?? 3600_000;
  const mint =
    options.mint ??
    ((action: string, n: number): FakeCredentials => ({
      accessKeyId: `ASIAFAULTY${String(n).padStart(10, '0')}`,
      secretAccessKey: `minted/${action}+${n}/Secr3tKeyFromFaultySts==`,
      sessionToken: `IQoJminted//${action}/${n}+SessionToken/FaultySts==`,
    }));
  const server = await startFake((req, res) => {
    const url = new URL(req.path, 'http://sts.local');
    const target = String(req.headers['x-amz-target'] ?? '');
    const json = target.startsWith('AWSSecurityTokenServiceV20110615.');
    const actions = [
      ...url.searchParams.getAll('Action'),
      ...(json ? [target.split('.')[1]] : new URLSearchParams(req.body).getAll('Action')),
    ];
    const action = actions[actions.length - 1];
    if (action === undefined) {
      if (options.fallback) return options.fallback(req, res);
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such path');
    }
    const key = action.toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const fault = faults.get(key) ?? faults.get('*') ?? { kind: 'ok' };
    const answer = (): void => {
      const p = json ? new URLSearchParams() : new URLSearchParams(req.body);
      const params = json ? (JSON.parse(req.body || '{}') as Record<string, string>) : Object.fromEntries(p);
      if (key === 'getcalleridentity') {
        const keyId = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? 'unsigned';
        const arn = keyId.startsWith('ASIA')
          ? 'arn:aws:sts::123456789012:assumed-role/attack/session'
          : 'arn:aws:iam::123456789012:user/attack';
        if (json)
          return void res
            .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
            .end(JSON.stringify({ Arn: arn, UserId: 'AIDAFAKE', Account: '123456789012' }));
        return void res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDAFAKE</UserId>` +
              `<Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
          );
      }
      if (!MINTING.has(key)) {
        return void res
          .writeHead(400, { 'content-type': 'text/xml' })
          .end(
            `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation ${action}</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
          );
      }
      const creds = mint(action, ++serial);
      issued.push(creds);
      const expiration = expirationIso(lifetimeMs);
      const name = action.charAt(0).toUpperCase() + action.slice(1);
      const role = String(params.RoleArn ?? 'arn:aws:iam::123456789012:role/attack')
        .split('/')
        .pop();
      if (json) {
        return void res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(
          JSON.stringify({
            Credentials: {
              AccessKeyId: creds.accessKeyId,
              SecretAccessKey: creds.secretAccessKey,
              SessionToken: creds.sessionToken,
              Expiration: Date.parse(expiration) / 1000,
            },
            AssumedRoleUser: {
              Arn: `arn:aws:sts::123456789012:assumed-role/${role}/${params.RoleSessionName ?? 's'}`,
              AssumedRoleId: 'AROAFAKE:s',
            },
          }),
        );
      }
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<${name}Response xmlns="${STS_NS}"><${name}Result>` +
            `<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/${role}/${params.RoleSessionName ?? 's'}</Arn><AssumedRoleId>AROAFAKE:s</AssumedRoleId></AssumedRoleUser>` +
            `<Credentials><AccessKeyId>${creds.accessKeyId}</AccessKeyId><SecretAccessKey>${creds.secretAccessKey}</SecretAccessKey>` +
            `<SessionToken>${creds.sessionToken ?? ''}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
            `</${name}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${name}Response>`,
        );
    };
    switch (fault.kind) {
      case 'ok':
        return answer();
      case 'hang':
        return; // never answers; close() drops the socket
      case 'status':
        return void res
          .writeHead(fault.status, { 'content-type': 'text/xml' })
          .end(
            `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>fault injected</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
          );
      case 'slow':
        return void setTimeout(answer, fault.ms);
      case 'garbage':
        return void res.writeHead(200, { 'content-type': 'text/xml' }).end('<<<not xml at all');
    }
  });
  return {
    ...server,
    setFault: (action, fault) => void faults.set(action.toLowerCase(), fault),
    calls: (action) => counts.get(action.toLowerCase()) ?? 0,
    issued,
    setLifetime: (ms) => void (lifetimeMs = ms),
  };
}
