import { runInNewContext } from 'node:vm';
import { releaseHeapBeforeExit } from './releaseHeap';

describe('releaseHeapBeforeExit', () => {
  it('runs the last-resort collection and leaves no `gc` in contexts made afterwards', () => {
    expect(runInNewContext('typeof gc')).toBe('undefined');
    expect(releaseHeapBeforeExit()).toBe(true);
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});
