import { describe, expect, it } from 'vitest';
import { resolveDataBase } from '../../src/app/dataBase';

describe('resolveDataBase', () => {
  it('is the page folder, or a sub-folder named by ?data=', () => {
    expect(resolveDataBase('https://x.org/lab/index.html')).toBe('https://x.org/lab/');
    expect(resolveDataBase('https://x.org/lab/?seed=3')).toBe('https://x.org/lab/');
    expect(resolveDataBase('http://127.0.0.1:4173/?data=broken')).toBe('http://127.0.0.1:4173/broken/');
  });

  it('ignores a ?data= value that is not a plain folder name', () => {
    expect(resolveDataBase('https://x.org/lab/?data=../../evil')).toBe('https://x.org/lab/');
    expect(resolveDataBase('https://x.org/lab/?data=https://evil.test/')).toBe('https://x.org/lab/');
  });
});
