// UQL (Infinity's Unstructured Query Language): parse once, run on each answer.
export { parseUql } from './parser';
export { evaluateUql, type UqlInput } from './evaluate';
export { UqlError } from './errors';
