/**
 * The HTTP baseline: a bare NestJS application on Fastify with one POST route that takes a JSON body and answers
 * 201 with a small JSON document: the framework's floor on this machine, with nothing of Redress on the path.
 * Started as a child process by the benchmark; prints its URL on stdout.
 */
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

@Controller()
class BareController {
  @Post('cases/:caseId/log-contact')
  @HttpCode(201)
  logContact(@Param('caseId') caseId: string, @Body() body: unknown): { caseId: string; received: boolean } {
    return { caseId, received: body !== undefined };
  }

  @Get('cases/:caseId')
  read(@Param('caseId') caseId: string): { caseId: string } {
    return { caseId };
  }

  @Post('cases')
  @HttpCode(201)
  receive(@Body() body: unknown): { received: boolean } {
    return { received: body !== undefined };
  }

  @Post('customers/:customerId/purchases')
  @HttpCode(201)
  purchase(@Param('customerId') customerId: string): { customerId: string } {
    return { customerId };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${(await app.getUrl()).replace('[::1]', '127.0.0.1')}\n`);
}

void main();
