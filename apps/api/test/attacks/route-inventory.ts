import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getMetadataStorage } from 'class-validator';

/** One validator on a DTO field, as class-validator stores it: `isEmail`, `minLength` with [8], … */
export interface FieldRule {
  name: string;
  constraints: unknown[];
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express path with the global prefix, e.g. `/api/sessions/:id`. */
  path: string;
  params: string[];
  /** DTO fields of `@Body()` and `@Query()`, with their validators; empty when the route takes none. */
  body: Record<string, FieldRule[]>;
  query: Record<string, FieldRule[]>;
}

interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/**
 * The routes the running server actually answers, read from Express's router stack, so a new
 * route joins the fuzz corpus without anyone listing it. Nest's metadata adds the DTO behind each.
 */
export function listRoutes(app: NestExpressApplication): Route[] {
  const dtos = dtosByRoute(app);
  const stack = (app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } }).router.stack;
  const routes: Route[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const path of [layer.route.path].flat()) {
      for (const method of Object.keys(layer.route.methods).map((m) => m.toUpperCase())) {
        if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
        const dto = dtos.get(`${method} ${path}`) ?? { body: {}, query: {} };
        const params = [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
        routes.push({ method: method as Route['method'], path, params, ...dto });
      }
    }
  }
  return routes;
}

type Dtos = Pick<Route, 'body' | 'query'>;

function dtosByRoute(app: NestExpressApplication): Map<string, Dtos> {
  const discovery = new DiscoveryService(app.get(ModulesContainer, { strict: false }));
  const found = new Map<string, Dtos>();
  for (const wrapper of discovery.getControllers()) {
    const metatype = wrapper.metatype as Type | null;
    if (typeof metatype !== 'function') continue;
    const prefix = Reflect.getMetadata(PATH_METADATA, metatype) as string | string[] | undefined;
    for (const name of Object.getOwnPropertyNames(metatype.prototype)) {
      const handler = (metatype.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const path = joinPath('api', [prefix ?? ''].flat()[0]!, [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat()[0]!);
      found.set(`${method} ${path}`, {
        body: fieldsOf(dtoFor(metatype, name, RouteParamtypes.BODY)),
        query: fieldsOf(dtoFor(metatype, name, RouteParamtypes.QUERY)),
      });
    }
  }
  return found;
}

function joinPath(...parts: string[]): string {
  const path = `/${parts.join('/')}`.replace(/\/+/g, '/').replace(/\/$/, '');
  return path || '/';
}

function dtoFor(controller: Type, handler: string, paramtype: RouteParamtypes): Type | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, { index: number }>;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, handler) ?? []) as Type[];
  const entry = Object.entries(args).find(([key]) => key.split(':')[0] === String(paramtype));
  return entry ? types[entry[1].index] : undefined;
}

function fieldsOf(dto: Type | undefined): Record<string, FieldRule[]> {
  const fields: Record<string, FieldRule[]> = {};
  if (!dto || dto === Object) return fields;
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    (fields[rule.propertyName] ??= []).push({ name: rule.name ?? rule.type, constraints: rule.constraints ?? [] });
  }
  return fields;
}
