// The plain data-frame model the backend builds. backend/protocol encodes it to Arrow IPC in the shape
// Grafana's Go SDK (data.UnmarshalArrowFrame) decodes.

export type FieldType = 'time' | 'number' | 'string' | 'boolean';

/** Time values are epoch milliseconds; every field is nullable. */
export type FieldValue = number | string | boolean | null;

export interface FieldConfig {
  displayName?: string;
  displayNameFromDS?: string;
  unit?: string;
  decimals?: number;
  interval?: number;
  [key: string]: unknown;
}

export interface Field {
  name: string;
  type: FieldType;
  values: FieldValue[];
  labels?: Record<string, string>;
  config?: FieldConfig;
}

export interface Notice {
  severity: 'info' | 'warning' | 'error';
  text: string;
}

export interface FrameMeta {
  /** Grafana frame type, e.g. `timeseries-wide`, `timeseries-multi`, `timeseries-long`, `table`. */
  type?: string;
  typeVersion?: [number, number];
  notices?: Notice[];
  executedQueryString?: string;
  preferredVisualisationType?: string;
  custom?: Record<string, unknown>;
}

export interface Frame {
  name?: string;
  refId?: string;
  meta?: FrameMeta;
  fields: Field[];
}

/**
 * A frame already written as Arrow IPC (frames/arrow.ts), with its refId inside. The query worker writes
 * QueryData's frames itself, so only these bytes cross to the main thread (moved, not copied) instead of a
 * clone of every value, and the main thread does not encode them.
 */
export interface EncodedFrame {
  arrow: Uint8Array;
}
