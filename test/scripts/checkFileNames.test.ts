import { describe, expect, it } from 'vitest';

import { findCaseClashes } from '../../scripts/check-file-names';

describe('findCaseClashes', () => {
  it('finds a component and a helper whose names differ only in case', () => {
    expect(
      findCaseClashes([
        'src/components/LossChart.tsx',
        'src/components/lossChart.ts',
        'src/components/LayerDiagram.tsx',
      ]),
    ).toEqual([['src/components/LossChart.tsx', 'src/components/lossChart.ts']]);
  });

  it('passes distinct names, the same name in other folders, and dotfiles', () => {
    expect(
      findCaseClashes([
        'src/components/LossChart.tsx',
        'src/components/lossChartLayout.ts',
        'test/components/LossChart.test.tsx',
        'src/engine/network.ts',
        'test/engine/network.test.ts',
        '.gitignore',
        '.npmrc',
        'README.md',
      ]),
    ).toEqual([]);
  });

  it('compares without the last extension only, and finds folders that differ in case', () => {
    expect(findCaseClashes(['a/x.test.ts', 'a/X.test.tsx', 'a/x.ts'])).toEqual([
      ['a/X.test.tsx', 'a/x.test.ts'],
    ]);
    expect(findCaseClashes(['src/Store/a.ts', 'src/store/b.ts'])).toEqual([['src/Store/', 'src/store/']]);
  });
});
