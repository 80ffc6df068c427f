import { DEFAULT_COMPLAINT_POLICY, createComplaintPolicy, minorDigits, scaleFromTwoDigitMinorUnits } from './complaint-policy';

describe('ComplaintPolicy', () => {
  describe('DEFAULT_COMPLAINT_POLICY', () => {
    it.each([
      ['agent', 5000],
      ['supervisor', 50_000],
      ['customer', 0],
      ['system', 0],
    ] as const)('gives a(n) %s a goodwill limit of %i minor units in EUR', (role, limit) => {
      expect(DEFAULT_COMPLAINT_POLICY.goodwillLimit(role, 'EUR')).toBe(limit);
    });

    it('keeps the same amount in major units for currencies without two minor digits', () => {
      expect(DEFAULT_COMPLAINT_POLICY.goodwillLimit('agent', 'JPY')).toBe(50);
      expect(DEFAULT_COMPLAINT_POLICY.goodwillLimit('supervisor', 'KRW')).toBe(500);
      expect(DEFAULT_COMPLAINT_POLICY.goodwillLimit('agent', 'BHD')).toBe(50_000);
    });

    it('reads currency codes case-insensitively', () => {
      expect(DEFAULT_COMPLAINT_POLICY.goodwillLimit('agent', 'jpy')).toBe(50);
    });

    it('lets a complaint be reopened for 56 days', () => {
      expect(DEFAULT_COMPLAINT_POLICY.reopenWindowDays).toBe(56);
    });
  });

  describe('currency minor digits', () => {
    it('takes two minor digits for currencies not in the table', () => {
      expect(minorDigits('EUR')).toBe(2);
      expect(minorDigits('XYZ')).toBe(2);
      expect(minorDigits('toString')).toBe(2);
    });

    it('rounds down when scaling to fewer digits', () => {
      expect(scaleFromTwoDigitMinorUnits(5099, 'JPY')).toBe(50);
      expect(scaleFromTwoDigitMinorUnits(5099, 'KWD')).toBe(50_990);
    });
  });

  describe('createComplaintPolicy', () => {
    it('overrides limits per role, keeping the defaults for the others', () => {
      const policy = createComplaintPolicy({ goodwillLimits: { agent: 10_000 } });
      expect(policy.goodwillLimit('agent', 'GBP')).toBe(10_000);
      expect(policy.goodwillLimit('supervisor', 'GBP')).toBe(50_000);
    });

    it('takes exact limits for a currency over the scaled ones', () => {
      const policy = createComplaintPolicy({ goodwillLimitsByCurrency: { jpy: { agent: 8000 } } });
      expect(policy.goodwillLimit('agent', 'JPY')).toBe(8000);
      expect(policy.goodwillLimit('supervisor', 'JPY')).toBe(500);
    });

    it('sets the reopen window', () => {
      expect(createComplaintPolicy({ reopenWindowDays: 14 }).reopenWindowDays).toBe(14);
    });

    it.each([
      [{ goodwillLimits: { agent: -1 } }, /goodwillLimits.agent/],
      [{ goodwillLimits: { agent: 10.5 } }, /goodwillLimits.agent/],
      [{ goodwillLimitsByCurrency: { JPY: { supervisor: -5 } } }, /goodwillLimitsByCurrency.JPY.supervisor/],
      [{ goodwillLimits: { manager: 1 } as never }, /unknown role "manager"/],
      [{ reopenWindowDays: -1 }, /reopenWindowDays/],
      [{ reopenWindowDays: 1.5 }, /reopenWindowDays/],
    ])('refuses the invalid configuration %j', (config, message) => {
      expect(() => createComplaintPolicy(config)).toThrow(message);
    });

    it('is immutable', () => {
      expect(Object.isFrozen(createComplaintPolicy())).toBe(true);
    });
  });
});
