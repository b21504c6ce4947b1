import { describe, expect, it } from 'vitest';
import { appCreationAttributes, handlerAttributes, handlerSpanName, readRoute, requestContextAttributes } from '../../../instrumentations/nestjs/recipe';
import { serverRequestOf } from '../../../instrumentations/nestjs/request';
import { SERVER_SPAN } from '../../../src/instrument';

class CatsController {
  findOne(): void {}
}

describe('nestjs recipes (pure)', () => {
  it('names a route Controller.method, as OpenTelemetry does', () => {
    const route = readRoute(new CatsController(), CatsController.prototype.findOne, '12.5.1');
    expect(route).toEqual({ version: '12.5.1', controller: 'CatsController', callback: 'findOne', spanName: 'CatsController.findOne' });
    expect(handlerSpanName(route)).toBe('findOne');
  });

  it('an anonymous method is named by its controller; an instance without a class is UnnamedInstance', () => {
    const anonymous = readRoute(new CatsController(), (() => () => undefined)(), undefined);
    expect(anonymous.spanName).toBe('CatsController');
    expect(handlerSpanName(anonymous)).toBe('anonymous nest handler');
    expect(readRoute(Object.create(null), function find() {}, undefined).spanName).toBe('UnnamedInstance.find');
    expect(readRoute(undefined, 'not a function', undefined)).toMatchObject({ controller: 'UnnamedInstance', callback: undefined });
  });

  it('bounds names (a generated class name can be long)', () => {
    const Long = { ['C'.repeat(500)]: class {} }['C'.repeat(500)]!;
    expect(readRoute(new Long(), CatsController.prototype.findOne, undefined).controller).toHaveLength(128);
  });

  it('builds fresh attributes per span, leaving out what is unknown', () => {
    const route = readRoute(new CatsController(), CatsController.prototype.findOne, '10.4.22');
    const a = requestContextAttributes(route, '/cats/:id');
    expect(a).toEqual({
      'nestjs.type': 'request_context',
      'nestjs.controller': 'CatsController',
      'nestjs.callback': 'findOne',
      'nestjs.version': '10.4.22',
      'http.route': '/cats/:id',
    });
    expect(requestContextAttributes(route, '/cats/:id')).not.toBe(a);
    expect(requestContextAttributes(readRoute(new CatsController(), undefined, undefined), undefined)).toEqual({
      'nestjs.type': 'request_context',
      'nestjs.controller': 'CatsController',
    });
    expect(handlerAttributes(route)).toEqual({ 'nestjs.type': 'handler', 'nestjs.controller': 'CatsController', 'nestjs.callback': 'findOne', 'nestjs.version': '10.4.22' });
    class AppModule {}
    expect(appCreationAttributes(AppModule, '12.5.1')).toEqual({ 'nestjs.type': 'app_creation', 'nestjs.module': 'AppModule', 'nestjs.version': '12.5.1' });
    expect(appCreationAttributes({ module: 'dynamic' }, undefined)).toEqual({ 'nestjs.type': 'app_creation' });
  });

  it('finds the Node request holding the server span: Express hands it over, Fastify wraps it as raw', () => {
    const raw = { [SERVER_SPAN]: {} };
    expect(serverRequestOf(raw)).toBe(raw);
    expect(serverRequestOf({ raw })).toBe(raw);
    expect(serverRequestOf({ raw: {} })).toBeUndefined();
    expect(serverRequestOf(undefined)).toBeUndefined();
  });
});
