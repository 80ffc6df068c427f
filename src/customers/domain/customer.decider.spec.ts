import { join } from 'node:path';
import { fold } from '../../core/decider';
import { DomainRuleViolation } from '../../core/errors';
import { DeciderSpecification } from '../../../test/support/decider-specification';
import { moduleSpecSources } from '../../../test/support/module-specs';
import {
  CUSTOMER_RULES,
  CUSTOMER_STREAM_PREFIX,
  customerDecider,
  customerStreamName,
  customerViolation,
  purchaseCommandId,
  samePurchase,
} from './customer.decider';
import { NOW, churn, purchase, purchased, referral } from './customer.test-fixtures';

const spec = DeciderSpecification.for(customerDecider);

describe('customer decider', () => {
  it('names the customer stream and derives a purchase command id from its order', () => {
    expect(customerStreamName('c1')).toBe('customer-c1');
    expect(customerStreamName('c1').startsWith(CUSTOMER_STREAM_PREFIX)).toBe(true);
    expect(purchaseCommandId('order-7')).toBe('purchase:order-7');
  });

  it('refuses amounts that are not whole minor units, and facts dated after the moment they are recorded', () => {
    spec.given([]).when(purchase('o1', 10.5)).thenThrows(DomainRuleViolation, 'amount-not-valid');
    spec.given([]).when(purchase('o1', -1)).thenThrows(DomainRuleViolation, 'amount-not-valid');
    spec
      .given([])
      .when(purchase('o1', 1, '2025-05-01T12:00:00.001Z'))
      .thenThrows(DomainRuleViolation, 'dated-in-future');
    spec
      .given([])
      .when(purchase('o1', 1, NOW))
      .then([purchased('o1', 1, NOW)]);
    spec.given([]).when(referral('r1', '2025-06-01T00:00:00.000Z')).thenThrows(DomainRuleViolation, 'dated-in-future');
    spec.given([]).when(churn('2025-06-01T00:00:00.000Z')).thenThrows(DomainRuleViolation, 'dated-in-future');
  });

  it('folds orders, the latest purchase and churn', () => {
    const state = fold(customerDecider, [purchased('o2', 5, '2025-04-05T00:00:00.000Z'), purchased('o1', 7, '2025-03-05T00:00:00.000Z')]);
    expect(state.lastPurchaseAt).toBe('2025-04-05T00:00:00.000Z');
    expect(state.orders.orderIds().sort()).toEqual(['o1', 'o2']);
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
    const source = moduleSpecSources(join(__dirname, '..'));
    const specified = new Set([...source.matchAll(/thenThrows\(DomainRuleViolation, '([a-z-]+)'\)/g)].map((match) => match[1]));
    expect(Object.keys(CUSTOMER_RULES).filter((rule) => !specified.has(rule))).toEqual([]);
  });
});
