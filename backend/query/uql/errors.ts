// A UQL error with the position (line and column, from 1) where the query goes wrong.
import { SigilError } from '../../errors';

export interface Position {
  line: number;
  column: number;
}

export class UqlError extends SigilError {
  readonly line: number;
  readonly column: number;

  constructor(detail: string, at: Position, cause?: unknown) {
    super('query', `UQL error at line ${at.line}, column ${at.column}: ${detail}`, {
      source: 'plugin',
      status: 400,
      cause,
    });
    this.name = 'UqlError';
    this.line = at.line;
    this.column = at.column;
  }
}
