// The catalogue: every ready query, and how an entry becomes a query for one data source.
import { DEFAULT_QUERY, type SigilQuery } from '../shared/query';
import type { CatalogueEntry, CatalogueTarget } from './types';
import { stsEntries } from './sts';
import { cloudwatchEntries } from './cloudwatch';
import { logsEntries } from './logs';
import { costExplorerEntries } from './costexplorer';
import { ec2Entries } from './ec2';
import { s3Entries } from './s3';
import { dynamodbEntries } from './dynamodb';
import { lambdaEntries } from './lambda';
import { sqsEntries } from './sqs';
import { snsEntries } from './sns';
import { kinesisEntries } from './kinesis';
import { iamEntries } from './iam';
import { ampEntries } from './amp';
import { apiGatewayEntries } from './apigateway';

export type { CatalogueBlank, CatalogueEntry, CatalogueQuery, CatalogueTarget } from './types';

export const CATALOGUE: readonly CatalogueEntry[] = [
  ...stsEntries,
  ...cloudwatchEntries,
  ...logsEntries,
  ...costExplorerEntries,
  ...ec2Entries,
  ...s3Entries,
  ...dynamodbEntries,
  ...lambdaEntries,
  ...sqsEntries,
  ...snsEntries,
  ...kinesisEntries,
  ...iamEntries,
  ...ampEntries,
  ...apiGatewayEntries,
];

export function findEntry(id: string): CatalogueEntry | undefined {
  return CATALOGUE.find((e) => e.id === id);
}

const FALLBACK_REGION = 'us-east-1';

/** Whether the data source's custom endpoint stands in for this entry's AWS endpoint. */
export function usesCustomEndpoint(entry: Pick<CatalogueEntry, 'service'>, target: CatalogueTarget): boolean {
  if (!target.endpoint?.trim()) {
    return false;
  }
  // A data source signed for another service (an AMP workspace, an API's invoke URL) is not that service's endpoint.
  return !target.service?.trim() || target.service.trim() === entry.service;
}

/** The entry's AWS URL in a region, e.g. https://monitoring.eu-west-1.amazonaws.com/. */
export function awsUrl(entry: CatalogueEntry, region: string): string {
  const host = entry.endpoint.host.replace('{region}', region);
  const suffix = region.startsWith('cn-') && host.endsWith('.amazonaws.com') ? '.cn' : '';
  return `https://${host}${suffix}${entry.endpoint.basePath ?? ''}/${entry.path.replace(/^\/+/, '')}`;
}

/**
 * The whole query of an entry for one data source: the path joined to the custom endpoint when the data
 * source has one for this service (signed for the entry's service), else the AWS URL in the query's or the
 * data source's region. Blanks stay as `{{name}}` for the author to fill.
 */
export function entryQuery(entry: CatalogueEntry, target: CatalogueTarget): Omit<SigilQuery, 'refId'> {
  const query = JSON.parse(JSON.stringify(entry.query)) as CatalogueEntry['query'];
  const region = entry.region ?? (target.region?.trim() || target.defaultRegion?.trim() || FALLBACK_REGION);
  const url = usesCustomEndpoint(entry, target)
    ? `/${entry.path.replace(/^\/+/, '')}`
    : awsUrl(entry, region === 'default' ? FALLBACK_REGION : region);
  return {
    queryType: 'http',
    params: [],
    headers: [],
    columns: [],
    ...query,
    url,
    service: entry.service,
    region: entry.region ?? target.region?.trim() ?? '',
  };
}

/**
 * A new query that works on every data source: STS GetCallerIdentity, sent where the health check sends it
 * (the custom endpoint when there is one, signed for sts; else STS's global endpoint).
 */
export function defaultQueryFor(target: CatalogueTarget): Omit<SigilQuery, 'refId'> {
  if (!target.endpoint?.trim()) {
    return DEFAULT_QUERY;
  }
  const sts = stsEntries[0];
  return { ...entryQuery(sts, { ...target, service: '' }), region: '' };
}

/** Families in catalogue order, each with its entries. */
export function families(): Array<{ family: string; entries: CatalogueEntry[] }> {
  const out: Array<{ family: string; entries: CatalogueEntry[] }> = [];
  for (const entry of CATALOGUE) {
    const group = out.find((g) => g.family === entry.family);
    if (group) group.entries.push(entry);
    else out.push({ family: entry.family, entries: [entry] });
  }
  return out;
}
