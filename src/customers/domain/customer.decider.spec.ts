import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fold } from '../../core/decider';
import { DomainRuleViolation } from '../../core/errors';
import { DeciderSpecification } from '../../../test/support/decider-specification';
import type { Actor } from '../../kernel/actor';
import type { CustomerCommand } from './customer.commands';
import { CUSTOMER_STREAM_PREFIX, customerDecider, customerStreamName, purchaseCommandId, samePurchase } from './customer.decider';
import type { CustomerEvent } from './customer.events';
import { CUSTOMER_RULES, customerViolation } from './customer.rules';

const SHOP: Actor = { id: 'shop', role: 'agent' };
const NOW = '2025-05-01T12:00:00.000Z';
const spec = DeciderSpecification.for(customerDecider);

const purchase = (orderId: string, amount = 1000, at = '2025-04-01T10:00:00.000Z', currency = 'GBP'): CustomerCommand =>
  ({ type: 'RecordPurchase', data: { customerId: 'c1', orderId, amount, currency, at }, by: SHOP, decidedAt: NOW });
const purchased = (orderId: string, amount = 1000, at = '2025-04-01T10:00:00.000Z', currency = 'GBP'): CustomerEvent =>
  ({ type: 'PurchaseRecorded', data: { customerId: 'c1', orderId, amount, currency, at, by: SHOP } });
const referral = (referralId: string, at = '2025-04-02T10:00:00.000Z'): CustomerCommand =>
  ({ type: 'RecordReferral', data: { customerId: 'c1', referralId, at }, by: SHOP, decidedAt: NOW });
const churn = (at = '2025-04-03T10:00:00.000Z', reason?: string): CustomerCommand =>
  ({ type: 'RecordChurn', data: { customerId: 'c1', at, ...(reason ? { reason } : {}) }, by: SHOP, decidedAt: NOW });
const churned = (at = '2025-04-03T10:00:00.000Z'): CustomerEvent => ({ type: 'CustomerChurned', data: { customerId: 'c1', at, by: SHOP } });

describe('customer decider', () => {
  it('names the customer stream and derives a purchase command id from its order', () => {
    expect(customerStreamName('c1')).toBe('customer-c1');
    expect(customerStreamName('c1').startsWith(CUSTOMER_STREAM_PREFIX)).toBe(true);
    expect(purchaseCommandId('order-7')).toBe('purchase:order-7');
  });

  it('records a purchase', () => {
    spec.given([]).when(purchase('o1', 4999)).then([purchased('o1', 4999)]);
    spec.given([purchased('o1')]).when(purchase('o2', 0)).then([purchased('o2', 0)]);
  });

  it('refuses an order recorded before, whatever it says (the command path answers identical repeats from the log)', () => {
    spec.given([purchased('o1')]).when(purchase('o1', 1000)).thenThrows(DomainRuleViolation, 'order-already-recorded');
    spec.given([purchased('o1')]).when(purchase('o1', 2000)).thenThrows(DomainRuleViolation, (error) => {
      expect(error.rule).toBe('order-already-recorded');
      expect(error.message).toContain('recorded as 1000 GBP at 2025-04-01T10:00:00.000Z');
    });
  });

  it('refuses amounts that are not whole minor units, and facts dated after the moment they are recorded', () => {
    spec.given([]).when(purchase('o1', 10.5)).thenThrows(DomainRuleViolation, 'amount-not-valid');
    spec.given([]).when(purchase('o1', -1)).thenThrows(DomainRuleViolation, 'amount-not-valid');
    spec.given([]).when(purchase('o1', 1, '2025-05-01T12:00:00.001Z')).thenThrows(DomainRuleViolation, 'dated-in-future');
    spec.given([]).when(purchase('o1', 1, NOW)).then([purchased('o1', 1, NOW)]);
    spec.given([]).when(referral('r1', '2025-06-01T00:00:00.000Z')).thenThrows(DomainRuleViolation, 'dated-in-future');
    spec.given([]).when(churn('2025-06-01T00:00:00.000Z')).thenThrows(DomainRuleViolation, 'dated-in-future');
  });

  it('records referrals once per id', () => {
    spec.given([]).when(referral('r1')).then([{ type: 'ReferralRecorded', data: { customerId: 'c1', referralId: 'r1', at: '2025-04-02T10:00:00.000Z', by: SHOP } }]);
    const referred: CustomerEvent = { type: 'ReferralRecorded', data: { customerId: 'c1', referralId: 'r1', at: '2025-04-02T10:00:00.000Z', by: SHOP } };
    spec.given([referred]).when(referral('r1')).thenThrows(DomainRuleViolation, 'referral-already-recorded');
  });

  it('records churn once, until the customer buys again', () => {
    spec.given([purchased('o1')]).when(churn(undefined, 'Moved')).then([{ type: 'CustomerChurned', data: { customerId: 'c1', reason: 'Moved', at: '2025-04-03T10:00:00.000Z', by: SHOP } }]);
    spec.given([purchased('o1'), churned()]).when(churn('2025-04-04T10:00:00.000Z')).thenThrows(DomainRuleViolation, 'customer-already-churned');
    spec.given([churned(), purchased('o2', 5, '2025-04-05T00:00:00.000Z')]).when(churn('2025-04-06T00:00:00.000Z')).then([churned('2025-04-06T00:00:00.000Z')]);
    // An order imported late, dated before the churn, does not undo it.
    spec.given([churned(), purchased('o0', 5, '2025-03-01T00:00:00.000Z')]).when(churn('2025-04-06T00:00:00.000Z')).thenThrows(DomainRuleViolation, 'customer-already-churned');
  });

  it('folds orders, the latest purchase and churn', () => {
    const state = fold(customerDecider, [purchased('o2', 5, '2025-04-05T00:00:00.000Z'), purchased('o1', 7, '2025-03-05T00:00:00.000Z')]);
    expect(state.lastPurchaseAt).toBe('2025-04-05T00:00:00.000Z');
    expect(Object.keys(state.orders).sort()).toEqual(['o1', 'o2']);
  });

  it('compares a repeated purchase by amount, currency and instant', () => {
    const recorded = { amount: 100, currency: 'GBP', at: '2025-01-01T10:00:00.000Z' };
    expect(samePurchase(recorded, { amount: 100, currency: 'GBP', at: '2025-01-01T11:00:00+01:00' })).toBe(true);
    expect(samePurchase(recorded, { ...recorded, amount: 101 })).toBe(false);
    expect(samePurchase(recorded, { ...recorded, currency: 'EUR' })).toBe(false);
    expect(samePurchase(recorded, { ...recorded, at: '2025-01-01T10:00:01.000Z' })).toBe(false);
  });
});

describe('customer rules', () => {
  it('say each rule in words, with the code on the error', () => {
    const error = customerViolation('customer-already-churned', 'Since May.');
    expect(error).toBeInstanceOf(DomainRuleViolation);
    expect(error.message).toBe(`${CUSTOMER_RULES['customer-already-churned']} Since May.`);
  });

  it('are each refused by at least one spec', () => {
    const source = readFileSync(join(__dirname, 'customer.decider.spec.ts'), 'utf8');
    const specified = new Set([...source.matchAll(/thenThrows\(DomainRuleViolation, '([a-z-]+)'\)/g)].map((match) => match[1]));
    expect(Object.keys(CUSTOMER_RULES).filter((rule) => !specified.has(rule))).toEqual([]);
  });
});
