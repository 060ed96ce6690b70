// The section layout of Grafana's own data source settings pages (what @grafana/plugin-ui calls ConfigSection
// and ConfigSubSection): a heading, a short description, then the fields. Written on @grafana/ui primitives that
// Grafana 11 already shares with plugins, since @grafana/plugin-ui is not provided at runtime and would have
// to be bundled with its dependencies.
import type { ReactNode } from 'react';
import { Stack, Text } from '@grafana/ui';

interface Props {
  /** Used for the heading's id, which labels the section. */
  id: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
}

function Section({ id, title, description, children, level }: Props & { level: 'h3' | 'h5' }) {
  const headingId = `${id}-heading`;
  return (
    <section aria-labelledby={headingId}>
      <Stack direction="column" gap={level === 'h3' ? 2 : 1}>
        <div>
          <Text element={level} id={headingId}>
            {title}
          </Text>
          {description && (
            <Text color="secondary" element="p" variant="bodySmall">
              {description}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </section>
  );
}

export function ConfigSection(props: Props) {
  return <Section {...props} level="h3" />;
}

export function ConfigSubSection(props: Props) {
  return <Section {...props} level="h5" />;
}
