// Dashboard variable query editor: the same request editor as panels, plus which columns of the result
// give each option's value (what `$var` becomes) and its text (what the picker shows). The backend answers
// queryType `variable` with the text/value frame Grafana's variable system reads.
import { useEffect, useMemo } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, Stack } from '@grafana/ui';
import type { EditorDataSource } from './editorDataSource';
import { asVariableQuery } from '../variableQuery';
import type { SigilJsonData } from '../shared/settings';
import type { SigilQuery, VariableOptions } from '../shared/query';
import { QueryEditor } from './QueryEditor';

export type VariableQueryEditorProps = QueryEditorProps<EditorDataSource, SigilQuery, SigilJsonData, SigilQuery>;

export function VariableQueryEditor(props: VariableQueryEditorProps) {
  const { query: stored, onChange } = props;
  const query = useMemo(() => asVariableQuery(stored), [stored]);
  const needsDefaults = typeof stored !== 'object' || stored === null || stored.queryType !== 'variable';
  useEffect(() => {
    if (needsDefaults) {
      onChange(query);
    }
  }, [needsDefaults, query, onChange]);
  const setVariable = (patch: Partial<VariableOptions>) =>
    onChange({ ...query, variable: { ...query.variable, ...patch } });
  return (
    <Stack direction="column" gap={1}>
      <QueryEditor {...props} query={query} onChange={(q) => onChange({ ...q, queryType: 'variable' })} />
      <InlineFieldRow>
        <InlineField
          label="Value column"
          labelWidth={16}
          htmlFor="sigil-variable-value"
          tooltip="Column whose values the variable takes; empty = the first text column"
        >
          <Input
            id="sigil-variable-value"
            width={28}
            placeholder="e.g. InstanceId"
            value={query.variable?.valueField ?? ''}
            onChange={(e) => setVariable({ valueField: e.currentTarget.value })}
            onBlur={props.onRunQuery}
          />
        </InlineField>
        <InlineField
          label="Text column"
          htmlFor="sigil-variable-text"
          tooltip="Column shown in the picker; empty = the value"
        >
          <Input
            id="sigil-variable-text"
            width={28}
            placeholder="e.g. Name"
            value={query.variable?.textField ?? ''}
            onChange={(e) => setVariable({ textField: e.currentTarget.value })}
            onBlur={props.onRunQuery}
          />
        </InlineField>
      </InlineFieldRow>
    </Stack>
  );
}
