// Dashboard annotation query editor: the same request editor as panels, plus which columns give each
// annotation's start (and optional end) time, title, text and tags. The backend answers queryType
// `annotation` with time/timeEnd/title/text/tags fields, which Grafana's standard annotation mapping reads.
import { useEffect, useMemo } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, Stack } from '@grafana/ui';
import type { EditorDataSource } from './editorDataSource';
import type { SigilJsonData } from '../shared/settings';
import { DEFAULT_QUERY, type AnnotationOptions, type SigilQuery } from '../shared/query';
import { QueryEditor } from './QueryEditor';

export type AnnotationsQueryEditorProps = QueryEditorProps<EditorDataSource, SigilQuery, SigilJsonData>;

const FIELDS: Array<{
  key: 'timeField' | 'timeEndField' | 'titleField' | 'textField';
  label: string;
  placeholder: string;
  tooltip: string;
}> = [
  {
    key: 'timeField',
    label: 'Time column',
    placeholder: 'first time column',
    tooltip: 'Start of each annotation; empty = the first time column',
  },
  {
    key: 'timeEndField',
    label: 'End time column',
    placeholder: 'none',
    tooltip: 'Optional end: the annotation becomes a region',
  },
  { key: 'titleField', label: 'Title column', placeholder: 'none', tooltip: 'Optional title' },
  {
    key: 'textField',
    label: 'Text column',
    placeholder: 'first text column',
    tooltip: 'Text of each annotation; empty = the first text column',
  },
];

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function AnnotationsQueryEditor(props: AnnotationsQueryEditorProps) {
  const { query: stored, onChange, onRunQuery } = props;
  const query: SigilQuery = useMemo(() => {
    const blank = stored.url === undefined && stored.queryType === undefined;
    return { ...(blank ? DEFAULT_QUERY : {}), ...stored, queryType: 'annotation' };
  }, [stored]);
  useEffect(() => {
    if (stored.queryType !== 'annotation') {
      onChange(query);
    }
  }, [stored.queryType, query, onChange]);
  const setAnnotation = (patch: Partial<AnnotationOptions>) =>
    onChange({ ...query, annotation: { ...query.annotation, ...patch } });
  return (
    <Stack direction="column" gap={1}>
      <QueryEditor {...props} query={query} onChange={(q) => onChange({ ...q, queryType: 'annotation' })} />
      <InlineFieldRow>
        {FIELDS.map((f) => (
          <InlineField
            key={f.key}
            label={f.label}
            labelWidth={f.key === 'timeField' ? 16 : undefined}
            htmlFor={`sigil-annotation-${f.key}`}
            tooltip={f.tooltip}
          >
            <Input
              id={`sigil-annotation-${f.key}`}
              width={20}
              placeholder={f.placeholder}
              value={query.annotation?.[f.key] ?? ''}
              onChange={(e) => setAnnotation({ [f.key]: e.currentTarget.value })}
              onBlur={onRunQuery}
            />
          </InlineField>
        ))}
      </InlineFieldRow>
      <InlineField
        label="Tag columns"
        labelWidth={16}
        htmlFor="sigil-annotation-tags"
        tooltip="Comma-separated columns whose values become tags; a list column gives one tag per item"
      >
        <Input
          id="sigil-annotation-tags"
          width={40}
          placeholder="e.g. EventSource, Username"
          defaultValue={(query.annotation?.tagsFields ?? []).join(', ')}
          onBlur={(e) => {
            setAnnotation({ tagsFields: splitList(e.currentTarget.value) });
            onRunQuery();
          }}
        />
      </InlineField>
    </Stack>
  );
}
