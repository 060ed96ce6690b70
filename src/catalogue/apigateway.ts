import type { CatalogueEntry } from './types';
import { NO_PAGES, NO_SERIES } from './protocols';

export const apiGatewayEntries: CatalogueEntry[] = [
  {
    id: 'apigateway.get',
    family: 'API Gateway',
    operation: 'GET (execute-api)',
    description:
      'GET on an API Gateway REST or HTTP API that uses IAM authorization, signed for execute-api; the JSON answer as a table.',
    service: 'execute-api',
    endpoint: { host: '{{ApiId}}.execute-api.{region}.amazonaws.com' },
    path: '{{Stage}}/{{Resource}}',
    query: {
      method: 'GET',
      bodyType: 'none',
      format: 'json',
      rootSelector: '',
      columns: [],
      timeSeries: NO_SERIES,
      pagination: NO_PAGES,
    },
    blanks: [
      {
        name: 'ApiId',
        description:
          'API id (the first part of its invoke URL; not needed when the data source endpoint is the invoke URL)',
        example: 'a1b2c3d4e5',
      },
      { name: 'Stage', description: 'Stage name', example: 'prod' },
      { name: 'Resource', description: 'Resource path', example: 'orders' },
    ],
    result: 'Table: one column per field of the JSON answer.',
    reference: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html',
  },
];
