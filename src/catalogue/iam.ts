import type { CatalogueEntry } from './types';
import { NO_SERIES, queryForm, str, time } from './protocols';

export const iamEntries: CatalogueEntry[] = [
  {
    id: 'iam.list_users',
    family: 'IAM',
    operation: 'ListUsers',
    description:
      'Every IAM user of the account; all pages (Marker / IsTruncated). IAM is global, signed for us-east-1.',
    service: 'iam',
    endpoint: { host: 'iam.amazonaws.com' },
    region: 'us-east-1',
    path: '/',
    query: {
      method: 'POST',
      bodyType: 'form',
      form: queryForm('ListUsers', '2010-05-08'),
      format: 'xml',
      rootSelector: 'ListUsersResponse.ListUsersResult.Users',
      columns: [str('UserName'), str('UserId'), str('Arn'), time('CreateDate', 'iso', 'Created')],
      timeSeries: NO_SERIES,
      pagination: {
        mode: 'marker',
        tokenPath: 'ListUsersResponse.ListUsersResult.Marker',
        truncatedPath: 'ListUsersResponse.ListUsersResult.IsTruncated',
        tokenTarget: 'body',
        tokenField: 'Marker',
      },
    },
    blanks: [],
    result: 'Table: UserName, UserId, Arn, Created.',
    reference: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html',
  },
];
