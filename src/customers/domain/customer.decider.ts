import { type Decider, collectRules, type CommandsByType, type RulesOf } from '../../core/decider';
import { DomainRuleViolation, ruleBook } from '../../core/errors';
import {
  ERASE_PERSONAL_DATA_RULES,
  decideErasePersonalData,
  type ErasePersonalData,
} from '../commands/erase-personal-data/erase-personal-data.decide';
import {
  CLEAR_CUSTOMER_VULNERABILITY_RULES,
  decideClearCustomerVulnerability,
  type ClearCustomerVulnerability,
} from '../commands/clear-customer-vulnerability/clear-customer-vulnerability.decide';
import {
  decideFlagCustomerVulnerability,
  type FlagCustomerVulnerability,
} from '../commands/flag-customer-vulnerability/flag-customer-vulnerability.decide';
import { RECORD_CHURN_RULES, decideRecordChurn, type RecordChurn } from '../commands/record-churn/record-churn.decide';
import { RECORD_PURCHASE_RULES, decideRecordPurchase, type RecordPurchase } from '../commands/record-purchase/record-purchase.decide';
import { RECORD_REFERRAL_RULES, decideRecordReferral, type RecordReferral } from '../commands/record-referral/record-referral.decide';
import type { CustomerEvent } from './customer.events';
import { SHARED_CUSTOMER_RULES, type SharedCustomerRule } from './customer.rules';
import { evolveCustomer, initialCustomerState, type CustomerState } from './customer.state';

export type CustomerCommand =
  RecordPurchase | RecordReferral | RecordChurn | ErasePersonalData | FlagCustomerVulnerability | ClearCustomerVulnerability;

export type CustomerCommandType = CustomerCommand['type'];

type CommandByType = CommandsByType<CustomerCommand>;

/** How the decider runs one command: its decision and the rules only that use case applies. */
interface UseCase<Command extends CustomerCommand> {
  readonly decide: (command: Command, state: CustomerState) => CustomerEvent[];
  readonly rules?: Readonly<Record<string, string>>;
}

type UseCaseTable = { readonly [Type in CustomerCommandType]: UseCase<CommandByType[Type]> };

/** One entry per command, demanded by the compiler: a new command is one import, one union member and one entry here. */
const USE_CASES = {
  RecordPurchase: { decide: decideRecordPurchase, rules: RECORD_PURCHASE_RULES },
  RecordReferral: { decide: decideRecordReferral, rules: RECORD_REFERRAL_RULES },
  RecordChurn: { decide: decideRecordChurn, rules: RECORD_CHURN_RULES },
  ErasePersonalData: { decide: decideErasePersonalData, rules: ERASE_PERSONAL_DATA_RULES },
  FlagCustomerVulnerability: { decide: decideFlagCustomerVulnerability },
  ClearCustomerVulnerability: { decide: decideClearCustomerVulnerability, rules: CLEAR_CUSTOMER_VULNERABILITY_RULES },
} as const satisfies UseCaseTable;

/** Every command the decider takes, in the order of its dispatch table. */
export const CUSTOMER_COMMAND_TYPES = Object.keys(USE_CASES) as CustomerCommandType[];

export type CustomerRule = SharedCustomerRule | RulesOf<(typeof USE_CASES)[CustomerCommandType]>;

/** Every business rule of a customer stream, its stable code and what it says: the shared rules and each use case's own. */
export const CUSTOMER_RULES = collectRules<CustomerRule>(SHARED_CUSTOMER_RULES, USE_CASES);

/** A rule violation outside a decision, e.g. a repeated purchase that contradicts the one recorded. */
export const customerViolation: (rule: CustomerRule, detail?: string) => DomainRuleViolation = ruleBook(CUSTOMER_RULES).violation;

/** Hands the command to its use case. Typed by the table's mapped type, so the compiler pairs each command with its own decision. */
function decideWith<Type extends CustomerCommandType>(
  useCases: UseCaseTable,
  command: CommandByType[Type] & { type: Type },
  state: CustomerState,
): CustomerEvent[] {
  return useCases[command.type].decide(command, state);
}

export type CustomerDecider = Decider<CustomerCommand, CustomerEvent, CustomerState>;

export const customerDecider: CustomerDecider = {
  initialState: initialCustomerState,
  evolve: evolveCustomer,
  decide: (command, state) => decideWith(USE_CASES, command, state),
};

export const CUSTOMER_STREAM_PREFIX = 'customer-';

export function customerStreamName(customerId: string): string {
  return `${CUSTOMER_STREAM_PREFIX}${customerId}`;
}

/** The command id a purchase is recorded under: derived from the order, so a repeated order appends nothing. */
export function purchaseCommandId(orderId: string): string {
  return `purchase:${orderId}`;
}

/**
 * The command id an erasure is recorded under: derived from the customer and the key generation it destroyed, so
 * asking again (the key already gone) is answered from the log and appends nothing.
 */
export function erasePersonalDataCommandId(customerId: string, keyGeneration: number): string {
  return `erase-personal-data:${customerId}:${keyGeneration}`;
}

/** Same for a referral with a client-given id. */
export function referralCommandId(referralId: string): string {
  return `referral:${referralId}`;
}

type PurchaseFacts = { readonly amount: number; readonly currency: string; readonly at: string };

/** Whether a purchase already recorded under the same order says the same: amount, currency and instant. */
export function samePurchase(recorded: PurchaseFacts, requested: PurchaseFacts): boolean {
  return (
    recorded.amount === requested.amount && recorded.currency === requested.currency && Date.parse(recorded.at) === Date.parse(requested.at)
  );
}
