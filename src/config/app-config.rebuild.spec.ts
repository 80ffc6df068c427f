import { ConfigError, loadConfig } from './app-config';

describe('configuration of redress rebuild', () => {
  it('caps the heap growth of a rebuild at 30 % by default; REBUILD_HEAP_GROWTH_PERCENT sets it, 0 leaves it to V8', () => {
    expect(loadConfig({}).rebuildHeapGrowthPercent).toBe(30);
    expect(loadConfig({ REBUILD_HEAP_GROWTH_PERCENT: '100' }).rebuildHeapGrowthPercent).toBe(100);
    expect(loadConfig({ REBUILD_HEAP_GROWTH_PERCENT: '0' }).rebuildHeapGrowthPercent).toBe(0);
  });

  it.each(['-1', '401', '1.5', 'half'])('refuses REBUILD_HEAP_GROWTH_PERCENT=%s', (value) => {
    expect(() => loadConfig({ REBUILD_HEAP_GROWTH_PERCENT: value })).toThrow(ConfigError);
    expect(() => loadConfig({ REBUILD_HEAP_GROWTH_PERCENT: value })).toThrow(
      /REBUILD_HEAP_GROWTH_PERCENT must be an integer from 0 to 400/,
    );
  });
});
