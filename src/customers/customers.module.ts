import { Module } from '@nestjs/common';
import { ErasePersonalDataController } from './commands/erase-personal-data/erase-personal-data.http';
import { RecordChurnController } from './commands/record-churn/record-churn.http';
import { RecordPurchaseController } from './commands/record-purchase/record-purchase.http';
import { RecordReferralController } from './commands/record-referral/record-referral.http';
import { provideStreamCommands } from '../core/http/stream-commands';
import { CUSTOMER_COMMANDS, customerStream } from './customer-commands';
import { ImportContentTypes } from './imports/import-content-types';
import { ImportPurchasesController } from './imports/import-purchases.controller';

/** The customer stream (`customer-<customerId>`): purchases, referrals and churn, one at a time or imported in bulk; erasure of their personal data. */
@Module({
  controllers: [
    RecordPurchaseController,
    RecordReferralController,
    RecordChurnController,
    ErasePersonalDataController,
    ImportPurchasesController,
  ],
  providers: [provideStreamCommands(CUSTOMER_COMMANDS, () => customerStream), ImportContentTypes],
})
export class CustomersModule {}
