// The few protocol facts entries share: the headers of the AWS JSON protocols and the form of Query APIs.
// Kept here so that each family file reads as data.
import type { ColumnDefinition, KeyValue } from '../shared/query';

/** AWS JSON 1.0 (DynamoDB, SQS, CloudWatch) or 1.1 (Logs, Kinesis, Cost Explorer): target and content type. */
export function awsJson(version: '1.0' | '1.1', target: string): KeyValue[] {
  return [
    { key: 'Content-Type', value: `application/x-amz-json-${version}` },
    { key: 'X-Amz-Target', value: target },
  ];
}

/** Form fields of an AWS Query API call (STS, IAM, EC2, SNS, CloudWatch's query protocol). */
export function queryForm(action: string, version: string, more: Record<string, string> = {}): KeyValue[] {
  return [
    { key: 'Action', value: action },
    { key: 'Version', value: version },
    ...Object.entries(more).map(([key, value]) => ({ key, value })),
  ];
}

export function str(selector: string, text?: string): ColumnDefinition {
  return text ? { selector, text, type: 'string' } : { selector, type: 'string' };
}

export function num(selector: string, text?: string): ColumnDefinition {
  return text ? { selector, text, type: 'number' } : { selector, type: 'number' };
}

export function time(selector: string, timeFormat = 'iso', text?: string): ColumnDefinition {
  return { selector, type: 'time', timeFormat, ...(text ? { text } : {}) };
}

export const NO_SERIES = { enabled: false } as const;
export const NO_PAGES = { mode: 'none' } as const;
