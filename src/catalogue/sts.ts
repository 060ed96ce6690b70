import type { CatalogueEntry } from './types';
import { NO_PAGES, NO_SERIES, queryForm, str } from './protocols';

export const stsEntries: CatalogueEntry[] = [
  {
    id: 'sts.get_caller_identity',
    family: 'STS',
    operation: 'GetCallerIdentity',
    description: 'Who the data source signs as: account, ARN and user id. Any credentials may call it.',
    service: 'sts',
    endpoint: { host: 'sts.{region}.amazonaws.com' },
    path: '/',
    query: {
      method: 'POST',
      bodyType: 'form',
      form: queryForm('GetCallerIdentity', '2011-06-15'),
      format: 'xml',
      rootSelector: 'GetCallerIdentityResponse.GetCallerIdentityResult',
      columns: [str('Account'), str('Arn'), str('UserId')],
      timeSeries: NO_SERIES,
      pagination: NO_PAGES,
    },
    blanks: [],
    result: 'One row: Account (kept as text), Arn, UserId.',
    reference: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html',
  },
];
