import { analyticsOverDataset } from './analytics-dataset';

describe('analytics over HTTP on the SQLite read store: a hand-built shop with exact expected figures', () => {
  analyticsOverDataset(() => ({}));
});
