/** What other modules may use of the customers module; everything else in it is its own business. */
export * from './headless';
export { customerStream } from './customer-commands';
export { CustomersModule } from './customers.module';
export { importPurchases, type ImportReport } from './imports/import-purchases';
export { readPurchaseLines } from './imports/purchase-rows';
