import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { customerDecider, erasePersonalDataCommandId } from '../../domain/customer.decider';
import { NOW, SHOP, churned, purchased } from '../../domain/customer.test-fixtures';
import type { CustomerCommand } from '../../domain/customer.decider';
import type { CustomerEvent } from '../../domain/customer.events';

const spec = DeciderSpecification.for(customerDecider);
const ADMIN = { id: 'admin-1', role: 'admin' } as const;

const erase = (keyGeneration = 1, erasedAt = NOW): CustomerCommand => ({
  type: 'ErasePersonalData',
  data: { customerId: 'c1', keyGeneration, erasedAt },
  by: ADMIN,
  at: NOW,
});
const erased = (keyGeneration = 1, at = NOW): CustomerEvent => ({
  type: 'PersonalDataErased',
  data: { customerId: 'c1', keyGeneration, at, by: ADMIN },
});

describe('ErasePersonalData', () => {
  it('records which key generation was destroyed, when, and by whom', () => {
    spec
      .given([purchased('o1'), churned()])
      .when(erase(1, '2025-05-01T11:59:00.000Z'))
      .then([erased(1, '2025-05-01T11:59:00.000Z')]);
    spec.given([]).when(erase()).then([erased()]);
  });

  it('records a later generation again: a customer who came back after an erasure is erased again', () => {
    spec
      .given([erased(1, '2025-04-01T00:00:00.000Z'), purchased('o2')])
      .when(erase(2))
      .then([erased(2)]);
  });

  it('refuses to record the same generation twice', () => {
    spec
      .given([erased(1)])
      .when(erase(1))
      .thenThrows(DomainRuleViolation, 'personal-data-already-erased');
    spec
      .given([erased(2)])
      .when(erase(1))
      .thenThrows(DomainRuleViolation, 'personal-data-already-erased');
  });

  it('refuses an erasure dated after the moment it is recorded', () => {
    spec.given([]).when(erase(1, '2025-05-01T12:00:00.001Z')).thenThrows(DomainRuleViolation, 'dated-in-future');
  });

  it('is recorded under a command id derived from the customer and the generation, so asking again appends nothing', () => {
    expect(erasePersonalDataCommandId('c1', 1)).toBe('erase-personal-data:c1:1');
    expect(erasePersonalDataCommandId('c1', 2)).not.toBe(erasePersonalDataCommandId('c1', 1));
  });

  it('changes nothing else the customer decisions read', () => {
    spec
      .given([purchased('o1'), erased()])
      .when({ type: 'RecordChurn', data: { customerId: 'c1', at: NOW }, by: SHOP, at: NOW })
      .then([{ type: 'CustomerChurned', data: { customerId: 'c1', at: NOW, by: SHOP } }]);
  });
});
