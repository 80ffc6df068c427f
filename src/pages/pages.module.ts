import { Module } from '@nestjs/common';
import { PagesController } from './pages.controller';

/** Browser pages served by the service: the analyst dashboard and the case timeline (see web/). */
@Module({ controllers: [PagesController] })
export class PagesModule {}
