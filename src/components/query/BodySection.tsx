// The body: none, raw text, JSON (checked as typed, macros allowed as values) or form fields.
import { InlineField, RadioButtonGroup } from '@grafana/ui';
import { BODY_TYPES, type BodyType } from '../../shared/query';
import { KeyValueEditor } from './KeyValueEditor';
import { CodeField } from './CodeField';
import { jsonProblem } from './text';
import type { QuerySectionProps } from './sectionProps';

type Props = Omit<QuerySectionProps, 'setAndRun'>;

const BODY_LABELS: Record<BodyType, string> = { none: 'None', raw: 'Raw', json: 'JSON', form: 'Form' };
const BODY_OPTIONS = BODY_TYPES.map((b) => ({ value: b, label: BODY_LABELS[b] }));

export function BodySection({ query: q, set, onRunQuery, problemAt, labelWidth }: Props) {
  const bodyType = q.bodyType ?? 'none';
  const bodyProblem = bodyType === 'json' ? jsonProblem(q.body ?? '') : undefined;
  return (
    <>
      <InlineField
        label="Body"
        labelWidth={labelWidth}
        invalid={Boolean(problemAt('bodyType'))}
        error={problemAt('bodyType')}
      >
        <RadioButtonGroup
          aria-label="Body type"
          options={BODY_OPTIONS}
          value={bodyType}
          onChange={(b) => set({ bodyType: b })}
        />
      </InlineField>
      {(bodyType === 'raw' || bodyType === 'json') && (
        <InlineField label="Body text" labelWidth={labelWidth} grow invalid={Boolean(bodyProblem)} error={bodyProblem}>
          <CodeField
            label="Body text"
            language={bodyType === 'json' ? 'json' : 'text'}
            value={q.body ?? ''}
            minHeight={100}
            onChange={(body) => set({ body })}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
      {bodyType === 'form' && (
        <InlineField
          label="Form fields"
          labelWidth={labelWidth}
          tooltip="URL-encoded, e.g. Action and Version for AWS Query APIs"
          useFieldset
        >
          <KeyValueEditor noun="Form field" pairs={q.form ?? []} onChange={(form) => set({ form })} />
        </InlineField>
      )}
    </>
  );
}
