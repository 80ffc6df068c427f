import { Module } from '@nestjs/common';
import { ClearCustomerVulnerabilityController } from './commands/clear-customer-vulnerability/clear-customer-vulnerability.http';
import { ErasePersonalDataController } from './commands/erase-personal-data/erase-personal-data.http';
import { FlagCustomerVulnerabilityController } from './commands/flag-customer-vulnerability/flag-customer-vulnerability.http';
import { RecordChurnController } from './commands/record-churn/record-churn.http';
import { RecordPurchaseController } from './commands/record-purchase/record-purchase.http';
import { RecordReferralController } from './commands/record-referral/record-referral.http';
import { provideStreamCommands } from '../core/http/stream-commands';
import { CUSTOMER_COMMANDS, customerStream } from './customer-commands';
import { ImportContentTypes } from './imports/import-content-types';
import { ImportPurchasesController } from './imports/import-purchases.controller';

/** The customer stream (`customer-<customerId>`): purchases, referrals and churn, one at a time or imported in bulk; the vulnerability flag; erasure of their personal data. */
@Module({
  controllers: [
    RecordPurchaseController,
    RecordReferralController,
    RecordChurnController,
    ErasePersonalDataController,
    FlagCustomerVulnerabilityController,
    ClearCustomerVulnerabilityController,
    ImportPurchasesController,
  ],
  providers: [provideStreamCommands(CUSTOMER_COMMANDS, () => customerStream), ImportContentTypes],
})
export class CustomersModule {}
