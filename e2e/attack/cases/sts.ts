// STS credential minting from queries: any action that returns credentials is refused, whether the query
// names it (query or JSON protocol, any case, duplicated), an allowed API redirects there, or a non-STS answer
// carries SecretAccessKey. The credentials the fake STS hands out are searched for in every output too.
// The plugin's own identity check and AssumeRole keep working.
import type { AttackCase, CaseContext } from '../lib/runner';
import { must, show } from '../lib/runner';
import { answered, failed, form } from './expect';

const K = 'STS credential minting';
const ROLE = 'arn:aws:iam::123456789012:role/attack-own-role';

/** Refused, and the fake STS never handed credentials out to a query. */
function mintRefused(ctx: CaseContext, r: Parameters<typeof failed>[0], stsIssuedBefore: number): void {
  failed(r, [400, 403], 'plugin', /refused|credentials/i);
  must(
    ctx.api.sts.issued.length === stsIssuedBefore,
    `STS issued ${ctx.api.sts.issued.length - stsIssuedBefore} credential set(s) to the query`,
  );
}

function actionCase(
  id: string,
  title: string,
  model: (ctx: CaseContext) => Record<string, unknown>,
  assume = false,
): AttackCase {
  return {
    id: `sts.${id}`,
    klass: K,
    title: `${title}: refused, no credentials minted`,
    async run(ctx) {
      const ds = ctx.ds(assume ? { assumeRoleArn: ROLE } : {});
      if (assume)
        answered(
          await ctx.one(ds, {
            method: 'POST',
            url: '/',
            service: 'sts',
            bodyType: 'form',
            form: form({ Action: 'GetCallerIdentity', Version: '2011-06-15' }),
            format: 'xml',
          }),
        );
      const before = ctx.api.sts.issued.length;
      mintRefused(ctx, await ctx.one(ds, { service: 'sts', format: 'xml', ...model(ctx) }), before);
    },
  };
}

const post = (pairs: Record<string, string>) => ({
  method: 'POST',
  url: '/',
  bodyType: 'form',
  form: form({ Version: '2011-06-15', ...pairs }),
});

export const cases: AttackCase[] = [
  actionCase('get-session-token', 'POST Action=GetSessionToken', () => post({ Action: 'GetSessionToken' })),
  actionCase('get-federation-token', 'POST Action=GetFederationToken', () =>
    post({ Action: 'GetFederationToken', Name: 'x' }),
  ),
  actionCase(
    'assume-role-own',
    "AssumeRole on the data source's own role",
    () => post({ Action: 'AssumeRole', RoleArn: ROLE, RoleSessionName: 'steal' }),
    true,
  ),
  actionCase('assume-role-other', 'AssumeRole on another role', () =>
    post({ Action: 'AssumeRole', RoleArn: 'arn:aws:iam::123456789012:role/admin', RoleSessionName: 'steal' }),
  ),
  actionCase('assume-role-web-identity', 'AssumeRoleWithWebIdentity', () =>
    post({ Action: 'AssumeRoleWithWebIdentity', RoleArn: ROLE, RoleSessionName: 's', WebIdentityToken: 'x' }),
  ),
  actionCase('assume-role-saml', 'AssumeRoleWithSAML', () =>
    post({
      Action: 'AssumeRoleWithSAML',
      RoleArn: ROLE,
      PrincipalArn: 'arn:aws:iam::123456789012:saml-provider/x',
      SAMLAssertion: 'x',
    }),
  ),
  actionCase('get-query-string', 'GET with Action=GetSessionToken in the query string', () => ({
    method: 'GET',
    url: '/',
    params: form({ Action: 'GetSessionToken', Version: '2011-06-15' }),
  })),
  actionCase('lowercase-action', 'Action=getsessiontoken in lower case', () => post({ Action: 'getsessiontoken' })),
  actionCase('duplicate-action', 'Action=GetCallerIdentity then Action=GetSessionToken in one body', () => ({
    method: 'POST',
    url: '/',
    bodyType: 'raw',
    body: 'Action=GetCallerIdentity&Version=2011-06-15&Action=GetSessionToken',
    headers: form({ 'Content-Type': 'application/x-www-form-urlencoded' }),
  })),
  actionCase('query-and-body', 'Action=GetCallerIdentity in the body, GetSessionToken in the query string', () => ({
    ...post({ Action: 'GetCallerIdentity' }),
    params: form({ Action: 'GetSessionToken' }),
  })),
  actionCase('json-protocol', 'the awsJson1_0 protocol (X-Amz-Target ...GetSessionToken)', () => ({
    method: 'POST',
    url: '/',
    bodyType: 'json',
    body: '{}',
    format: 'json',
    headers: form({
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'AWSSecurityTokenServiceV20110615.GetSessionToken',
    }),
  })),
  {
    id: 'sts.redirect-from-api',
    klass: K,
    title: 'an allowed API answering 302 to <sts>/?Action=GetSessionToken: refused, no credentials minted',
    async run(ctx) {
      const before = ctx.api.sts.issued.length;
      const r = await ctx.one(ctx.ds(), {
        url: 'api/redirect',
        params: form({ to: `${ctx.api.url}/?Action=GetSessionToken&Version=2011-06-15` }),
        format: 'xml',
      });
      mintRefused(ctx, r, before);
    },
  },
  {
    id: 'sts.redirect-307-post',
    klass: K,
    title: 'a 307 that re-posts a form body to <sts>/?Action=AssumeRole: refused',
    async run(ctx) {
      const before = ctx.api.sts.issued.length;
      const r = await ctx.one(ctx.ds(), {
        method: 'POST',
        url: 'api/redirect',
        params: form({
          status: '307',
          to: `${ctx.api.url}/?Action=AssumeRole&RoleArn=${encodeURIComponent(ROLE)}&RoleSessionName=s&Version=2011-06-15`,
        }),
        bodyType: 'form',
        form: form({ a: 'b' }),
        format: 'xml',
      });
      mintRefused(ctx, r, before);
    },
  },
  {
    id: 'sts.answer-carries-secret',
    klass: K,
    title: 'a non-STS answer whose body carries SecretAccessKey: refused (400/403), the keys not shown',
    async run(ctx) {
      ctx.api.planted.mintedKeyId = 'ASIAPLANTED000000001';
      ctx.api.planted.mintedSecret = 'planted/Secret+AccessKey/0123456789abcdefXYZ';
      ctx.api.planted.mintedToken = 'planted//SessionToken+0123456789==';
      ctx.secret('planted SecretAccessKey', ctx.api.planted.mintedSecret);
      ctx.secret('planted SessionToken', ctx.api.planted.mintedToken);
      failed(
        await ctx.one(ctx.ds(), { url: 'api/credentials', format: 'json' }),
        [400, 403],
        'plugin',
        /refused|credentials/i,
      );
    },
  },
  {
    id: 'sts.resource-preview',
    klass: K,
    title: 'the editor preview (resource "request") of GetSessionToken: refused, no credentials minted',
    async run(ctx) {
      const before = ctx.api.sts.issued.length;
      const res = await ctx.resource(ctx.ds(), { query: { service: 'sts', ...post({ Action: 'GetSessionToken' }) } });
      must(
        res.code !== undefined && res.code >= 400 && /refused|credentials/i.test(res.body ?? ''),
        `expected a refusal, got ${res.code} ${res.body?.slice(0, 300)}`,
      );
      must(ctx.api.sts.issued.length === before, 'STS issued credentials to the preview');
    },
  },
  {
    id: 'sts.identity-still-works',
    klass: K,
    title: 'GetCallerIdentity from a query still answers the caller ARN (the rule is narrow)',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), {
        service: 'sts',
        format: 'xml',
        rootSelector: 'GetCallerIdentityResponse.GetCallerIdentityResult',
        ...post({ Action: 'GetCallerIdentity' }),
      });
      answered(r, 1);
      must(JSON.stringify(r.frames).includes('arn:aws:iam::123456789012:user/attack'), `no caller ARN: ${show(r)}`);
    },
  },
  {
    id: 'sts.own-assume-role-works',
    klass: K,
    title: "the plugin's own AssumeRole still works: Save & test OK with the assumed identity",
    async run(ctx) {
      const h = await ctx.health(ctx.ds({ assumeRoleArn: ROLE }));
      must(
        h.status === 'OK' && /assumed-role/.test(JSON.stringify(h)),
        `expected OK as the assumed role, got ${h.status}: ${h.message}`,
      );
      must(
        ctx.api.sts.calls('AssumeRole') === 1,
        `expected one AssumeRole by the plugin, saw ${ctx.api.sts.calls('AssumeRole')}`,
      );
    },
  },
];
