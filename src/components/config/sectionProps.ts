// What every part of the config editor receives: the settings, a way to change them, the messages to show,
// and a way to mark a field touched when the admin leaves it.
import type { FieldErrors } from './fieldErrors';
import type { SigilSettings } from './optionsUpdate';

export interface SectionProps {
  options: SigilSettings;
  onOptionsChange: (options: SigilSettings) => void;
  errors: FieldErrors;
  touch: (...fields: string[]) => void;
}
