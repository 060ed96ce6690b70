import { credentialGuardLayer } from './credentialGuard';
import { answer, fakeNext, rejection } from './layers.testing';

const STS = 'https://sts.us-east-1.amazonaws.com/';
const STS_ANSWER =
  '<GetSessionTokenResponse><GetSessionTokenResult><Credentials><AccessKeyId>ASIAMINTED</AccessKeyId><SecretAccessKey>minted-secret</SecretAccessKey></Credentials></GetSessionTokenResult></GetSessionTokenResponse>';

describe('credentialGuard layer', () => {
  it('refuses a minting action before the next layer is called', async () => {
    const next = fakeNext(() => answer(200, STS_ANSWER));
    const err = await rejection(
      credentialGuardLayer()(next)({ method: 'POST', url: STS, body: 'Action=GetSessionToken&Version=2011-06-15' }),
    );
    expect(err.kind).toBe('url_refused');
    expect(err.message).toMatch(/the action GetSessionToken returns AWS credentials/);
    expect(err.message).toMatch(/docs\/security\.md/);
    expect(next.calls).toHaveLength(0);
  });

  it('refuses an answer carrying a secret access key, without repeating it', async () => {
    const next = fakeNext(() => answer(200, STS_ANSWER));
    const err = await rejection(
      credentialGuardLayer()(next)({ method: 'GET', url: 'http://127.0.0.1:9000/api/innocent?x=1' }),
    );
    expect(err.kind).toBe('url_refused');
    expect(err.message).toMatch(/answered with AWS credentials \(a SecretAccessKey field\)/);
    expect(err.message).not.toContain('minted-secret');
    expect(err.message).not.toContain('ASIAMINTED');
    expect(next.calls).toHaveLength(1);
  });

  it('lets the identity check through', async () => {
    const next = fakeNext(() =>
      answer(
        200,
        '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/u</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>',
      ),
    );
    const res = await credentialGuardLayer()(next)({
      method: 'POST',
      url: STS,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(200);
  });
});
