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

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Moves focus to the control after (or before) `from` in document order, skipping what is inside it. */
function moveFocus(from: HTMLElement, backwards: boolean): void {
  const outside = Array.from(document.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !from.contains(el) && el.getClientRects().length > 0,
  );
  const flag = backwards ? Node.DOCUMENT_POSITION_PRECEDING : Node.DOCUMENT_POSITION_FOLLOWING;
  const candidates = outside.filter((el) => from.compareDocumentPosition(el) & flag);
  (backwards ? candidates[candidates.length - 1] : candidates[0])?.focus();
}

/**
 * Monaco keeps Tab for indentation, which would trap keyboard users in the field: Tab and Shift+Tab move
 * focus on instead, as in every other field (Monaco indents new lines by itself).
 */
function releaseTab(editor: {
  onKeyDown: (
    listener: (e: { browserEvent: KeyboardEvent; preventDefault(): void; stopPropagation(): void }) => void,
  ) => unknown;
  getDomNode: () => HTMLElement | null;
}): void {
  editor.onKeyDown((e) => {
    const k = e.browserEvent;
    if (k.key !== 'Tab' || k.ctrlKey || k.altKey || k.metaKey) return;
    const node = editor.getDomNode();
    if (!node) return;
    e.preventDefault();
    e.stopPropagation();
    moveFocus(node, k.shiftKey);
  });
}

// Monaco knows JSON; JSONata and UQL have no Monaco language, so they get plain text.
const MONACO_LANGUAGE: Record<CodeLanguage, string> = {
  json: 'json',
  jsonata: 'plaintext',
  uql: 'plaintext',
  text: 'plaintext',
};
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
      onEditorDidMount={(editor) => releaseTab(editor)}
    />
  );
}
