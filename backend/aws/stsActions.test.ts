import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { carriesCredentials, mintingAction, refusedAction } from './stsActions';

const STS = 'https://sts.us-east-1.amazonaws.com/';
const form = (body: string | Uint8Array, headers: Record<string, string> = {}) => ({
  url: STS,
  body,
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
});

describe('credential-minting STS actions are found in every spelling', () => {
  const refused: Array<[string, Parameters<typeof refusedAction>[0], string]> = [
    ['query GetSessionToken', { url: `${STS}?Action=GetSessionToken&Version=2011-06-15` }, 'GetSessionToken'],
    ['query lower case name and value', { url: `${STS}?action=getsessiontoken` }, 'GetSessionToken'],
    ['query upper case', { url: `${STS}?ACTION=GETFEDERATIONTOKEN&Name=x` }, 'GetFederationToken'],
    ['query percent-encoded value', { url: `${STS}?Action=%41ssume%52ole&RoleArn=a` }, 'AssumeRole'],
    ['query percent-encoded name', { url: `${STS}?%41ction=AssumeRole` }, 'AssumeRole'],
    ['query double-encoded value', { url: `${STS}?Action=%2541ssumeRole` }, 'AssumeRole'],
    [
      'query duplicated, allowed first',
      { url: `${STS}?Action=GetCallerIdentity&Action=GetSessionToken` },
      'GetSessionToken',
    ],
    [
      'query duplicated, allowed last',
      { url: `${STS}?Action=GetSessionToken&Action=GetCallerIdentity` },
      'GetSessionToken',
    ],
    ['query semicolon separator', { url: `${STS}?Version=1;Action=GetSessionToken` }, 'GetSessionToken'],
    ['query plus and spaces', { url: `${STS}?Action=+GetSessionToken+` }, 'GetSessionToken'],
    ['query with fragment', { url: `${STS}?Action=AssumeRoot#x` }, 'AssumeRoot'],
    ['form GetSessionToken', form('Action=GetSessionToken&Version=2011-06-15'), 'GetSessionToken'],
    [
      'form AssumeRole',
      form('Version=2011-06-15&Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=s'),
      'AssumeRole',
    ],
    ['form AssumeRoleWithSAML', form('Action=AssumeRoleWithSAML'), 'AssumeRoleWithSAML'],
    [
      'form AssumeRoleWithWebIdentity mixed case',
      form('aCtIoN=assumeRoleWithWebIdentity'),
      'AssumeRoleWithWebIdentity',
    ],
    ['form a future AssumeRole* action', form('Action=AssumeRoleWithSomethingNew'), 'AssumeRole*'],
    ['form after padding', form(`x=${'a'.repeat(200_000)}&Action=GetSessionToken`), 'GetSessionToken'],
    ['form as bytes', form(Buffer.from('Action=GetFederationToken')), 'GetFederationToken'],
    ['form gzip-encoded', form(gzipSync('Action=GetSessionToken'), { 'Content-Encoding': 'gzip' }), 'GetSessionToken'],
    [
      'form deflate-encoded',
      form(deflateSync('Action=GetSessionToken'), { 'content-encoding': 'deflate' }),
      'GetSessionToken',
    ],
    ['form br-encoded', form(brotliCompressSync('Action=AssumeRole'), { 'content-encoding': 'br' }), 'AssumeRole'],
    ['form with no content type', { url: STS, body: 'Action=GetSessionToken' }, 'GetSessionToken'],
    ['form separator tricks', form('Action=Assume_Role'), 'AssumeRole'],
    ['form NUL in the value', form('Action=GetSession%00Token'), 'GetSessionToken'],
    ['JSON body', { url: STS, body: '{"Action":"GetSessionToken"}' }, 'GetSessionToken'],
    ['JSON body lower-case key', { url: STS, body: '{"action":"assumerole"}' }, 'AssumeRole'],
    [
      'X-Amz-Target',
      { url: STS, headers: { 'X-Amz-Target': 'AWSSecurityTokenServiceV20110615.GetSessionToken' } },
      'GetSessionToken',
    ],
    [
      'x-amz-target lower case',
      { url: STS, headers: { 'x-amz-target': 'awssecuritytokenservicev20110615.assumerole' } },
      'AssumeRole',
    ],
    [
      'Cognito GetCredentialsForIdentity',
      {
        url: 'https://cognito-identity.us-east-1.amazonaws.com/',
        headers: { 'X-Amz-Target': 'AWSCognitoIdentityService.GetCredentialsForIdentity' },
      },
      'GetCredentialsForIdentity',
    ],
    [
      'any host (a custom endpoint or proxy hides STS)',
      { url: 'http://127.0.0.1:4566/?Action=GetSessionToken' },
      'GetSessionToken',
    ],
  ];
  it.each(refused)('%s', (_name, req, action) => {
    expect(refusedAction(req)).toBe(action);
  });

  const allowed: Array<[string, Parameters<typeof refusedAction>[0]]> = [
    ['GetCallerIdentity (the health check)', form('Action=GetCallerIdentity&Version=2011-06-15')],
    ['GetAccessKeyInfo (returns an account id only)', form('Action=GetAccessKeyInfo&AccessKeyId=AKIDEXAMPLE')],
    ['DecodeAuthorizationMessage', { url: `${STS}?Action=DecodeAuthorizationMessage&EncodedMessage=x` }],
    ['a CloudWatch query action', { url: 'https://monitoring.us-east-1.amazonaws.com/?Action=ListMetrics' }],
    ['a parameter value that only mentions AssumeRole', { url: `${STS}?Action=GetCallerIdentity&Note=AssumeRole` }],
    [
      'a JSON-protocol target',
      {
        url: 'https://logs.us-east-1.amazonaws.com/',
        headers: { 'X-Amz-Target': 'Logs_20140328.DescribeLogGroups' },
        body: '{"limit":5}',
      },
    ],
    ['no action at all', { url: 'https://example.com/api' }],
  ];
  it.each(allowed)('allows %s', (_name, req) => {
    expect(refusedAction(req)).toBeUndefined();
  });

  it('reads action names in isolation', () => {
    expect(mintingAction('GetSessionToken')).toBe('GetSessionToken');
    expect(mintingAction('getcalleridentity')).toBeUndefined();
  });
});

describe('answers carrying credentials', () => {
  const carrying: Array<[string, string]> = [
    [
      'STS XML',
      '<GetSessionTokenResponse><GetSessionTokenResult><Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>s</SecretAccessKey></Credentials></GetSessionTokenResult></GetSessionTokenResponse>',
    ],
    ['STS JSON', '{"GetSessionTokenResponse":{"GetSessionTokenResult":{"Credentials":{"SecretAccessKey":"s"}}}}'],
    ['camel case (SSO)', '{"roleCredentials":{"accessKeyId":"a","secretAccessKey":"s"}}'],
    ['namespaced XML element', '<a:SecretAccessKey>s</a:SecretAccessKey>'],
    ['snake case', 'aws_secret_access_key = s'],
    ['Cognito SecretKey', '{"Credentials":{"AccessKeyId":"a","SecretKey":"s"}}'],
    ['JSON unicode escapes', '{"\\u0053ecretAccessKey":"s"}'],
    ['XML character references', '<x>&#83;ecretAccessKey</x>'],
  ];
  it.each(carrying)('refuses %s', (_name, body) => {
    expect(carriesCredentials(Buffer.from(body))).toBe(true);
  });

  it.each([
    [
      'GetCallerIdentity',
      '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/u</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>',
    ],
    ['metrics', '{"MetricDataResults":[{"Id":"m1","Values":[1,2]}]}'],
    ['empty', ''],
    [
      'AWS SignatureDoesNotMatch (prose names the key)',
      '<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.</Message></Error></ErrorResponse>',
    ],
    ['prose about a secret key', '{"message":"the secret key is wrong"}'],
  ])('lets %s through', (_name, body) => {
    expect(carriesCredentials(Buffer.from(body))).toBe(false);
  });
});
