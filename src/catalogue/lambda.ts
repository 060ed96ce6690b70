import type { CatalogueEntry } from './types';
import { num, str, time } from './protocols';

export const lambdaEntries: CatalogueEntry[] = [
  {
    id: 'lambda.list_functions',
    family: 'Lambda',
    operation: 'ListFunctions',
    description: 'Every function of the region with runtime, memory and last change; all pages (Marker / NextMarker).',
    service: 'lambda',
    endpoint: { host: 'lambda.{region}.amazonaws.com' },
    path: '2015-03-31/functions/',
    query: {
      method: 'GET',
      bodyType: 'none',
      format: 'json',
      rootSelector: 'Functions',
      columns: [str('FunctionName'), str('Runtime'), num('MemorySize'), num('Timeout'), time('LastModified', 'iso')],
      timeSeries: { enabled: false },
      pagination: { mode: 'next_token', tokenPath: 'NextMarker', tokenTarget: 'param', tokenField: 'Marker' },
    },
    blanks: [],
    result: 'Table: FunctionName, Runtime, MemorySize, Timeout, LastModified.',
    reference: 'https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html',
  },
];
