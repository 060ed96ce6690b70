// A code field: Grafana's CodeEditor (Monaco, loaded lazily by @grafana/ui) for the body, UQL and JSONata.
// Monaco's own text area carries the label (ariaLabel), so the field is reachable by keyboard and screen
// readers; changes reach the query as typed, and the query runs when the field loses focus.
import { useCallback, useLayoutEffect, useRef } from 'react';
import { CodeEditor } from '@grafana/ui';

export type CodeLanguage = 'json' | 'jsonata' | 'uql' | 'text';

interface Props {
  label: string;
  value: string;
  language: CodeLanguage;
  onChange: (value: string) => void;
  onBlur?: () => void;
  /** Pixel height; grows for longer text up to 320. */
  minHeight?: number;
}

// Monaco knows JSON; JSONata and UQL have no Monaco language, so they get plain text.
const MONACO_LANGUAGE: Record<CodeLanguage, string> = { json: 'json', jsonata: 'plaintext', uql: 'plaintext', text: 'plaintext' };
const LINE_PX = 19;

export function CodeField({ label, value, language, onChange, onBlur, minHeight = 60 }: Props) {
  // CodeEditor keeps the onChange it had when Monaco mounted; route through a ref to reach the current query.
  const latest = useRef({ onChange, onBlur });
  useLayoutEffect(() => {
    latest.current = { onChange, onBlur };
  });
  const change = useCallback((text: string) => latest.current.onChange(text), []);
  const blur = useCallback(() => latest.current.onBlur?.(), []);
  const lines = value.split('\n').length;
  const height = Math.min(320, Math.max(minHeight, (lines + 1) * LINE_PX));
  return (
    <CodeEditor
      value={value}
      language={MONACO_LANGUAGE[language]}
      height={height}
      showLineNumbers={language === 'json' || lines > 1}
      showMiniMap={false}
      wordWrap
      monacoOptions={{ ariaLabel: label, scrollBeyondLastLine: false, renderLineHighlight: 'none' }}
      onChange={change}
      onBlur={blur}
    />
  );
}
