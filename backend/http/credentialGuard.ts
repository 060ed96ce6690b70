// Layer: a query may not mint AWS credentials. Requests naming an STS (or Cognito, IAM Identity Center)
// action that returns credentials are refused before sending, and so is any answer that carries a
// secret access key, whatever the request looked like (an allowed API may redirect to STS, or echo).
// The plugin's own AssumeRole goes through the SDK client, not this stack; GetCallerIdentity (the
// health check) names no refused action and its answer carries no key. Rule: docs/security.md.
import { sigilError } from '../errors';
import { carriesCredentials, refusedAction } from '../aws/stsActions';
import { urlForLog } from './allowedUrls';
import type { Layer } from './types';

export function credentialGuardLayer(): Layer {
  return (next) => async (req) => {
    const action = refusedAction(req);
    if (action) {
      throw sigilError(
        'url_refused',
        `request refused before sending: the action ${action} returns AWS credentials, which a query may not read (see docs/security.md)`,
        {
          details: { url: urlForLog(req.url), action },
        },
      );
    }
    const res = await next(req);
    if (carriesCredentials(res.body)) {
      throw sigilError(
        'url_refused',
        `answer refused: ${urlForLog(res.url)} answered with AWS credentials (a SecretAccessKey field), which a query may not read (see docs/security.md)`,
        {
          details: { url: urlForLog(res.url), status: res.status },
        },
      );
    }
    return res;
  };
}
