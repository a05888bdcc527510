import type { INestApplication, Type } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { AdminGuard } from '../admin/admin.guard.js';
import { IS_PUBLIC } from '../auth/public.decorator.js';
import type { ErrorCode } from '../common/errors/error-codes.js';
import { RecentAuthGuard } from '../step-up/recent-auth.guard.js';
import { API_ERRORS } from './api-errors.decorator.js';

/** What a route needs, read from the same metadata the guards act on. */
export interface RouteAccess {
  session: boolean;
  stepUp: boolean;
  admin: boolean;
  declaredErrors: ErrorCode[];
}

/** `AuthController.login` → `authLogin`: the operationId, and the key to find the route again. */
export const operationIdOf = (controllerName: string, methodName: string): string =>
  controllerName.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase()) + methodName.replace(/^./, (c) => c.toUpperCase());

/** Every controller method of the app by operationId, with its access needs. */
export function routeAccessByOperationId(app: INestApplication): Map<string, RouteAccess> {
  const routes = new Map<string, RouteAccess>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as Type;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        if (name === 'constructor') continue;
        routes.set(operationIdOf(controller.name, name), accessOf(controller, controller.prototype[name]));
      }
    }
  }
  return routes;
}

function accessOf(controller: Type, handler: object): RouteAccess {
  // As SessionAuthGuard reads it: the handler's @Public() wins over the controller's.
  const isPublic = Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller) ?? false;
  const guards: unknown[] = [controller, handler].flatMap((target) => Reflect.getMetadata(GUARDS_METADATA, target) ?? []);
  return {
    session: !isPublic,
    stepUp: guards.includes(RecentAuthGuard),
    admin: guards.includes(AdminGuard),
    declaredErrors: Reflect.getMetadata(API_ERRORS, handler) ?? [],
  };
}
