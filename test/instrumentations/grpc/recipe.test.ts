import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import {
  clientSpanSpec,
  failureAttributes,
  isServerFault,
  parseMethodPath,
  serverOfTarget,
  statusName,
  statusOfError,
} from '../../../instrumentations/grpc/recipe';

describe('grpc recipes', () => {
  it('a method path gives the span name, service and method', () => {
    expect(parseMethodPath('/pkg.sub.Service/Method')).toEqual({ name: 'pkg.sub.Service/Method', service: 'pkg.sub.Service', method: 'Method' });
    expect(parseMethodPath('Service/Method')).toEqual({ name: 'Service/Method', service: 'Service', method: 'Method' });
    expect(parseMethodPath('/odd')).toEqual({ name: 'odd', service: 'odd', method: '' });
  });

  it('a channel target gives server.address and server.port', () => {
    expect(serverOfTarget('dns:127.0.0.1:50051')).toEqual({ address: '127.0.0.1', port: 50051 });
    expect(serverOfTarget('localhost:50051')).toEqual({ address: 'localhost', port: 50051 });
    expect(serverOfTarget('dns:///api.example.com')).toEqual({ address: 'api.example.com', port: 443 });
    expect(serverOfTarget('dns://8.8.8.8/api.example.com:8443')).toEqual({ address: 'api.example.com', port: 8443 });
    expect(serverOfTarget('ipv4:10.0.0.1:7000,10.0.0.2:7000')).toEqual({ address: '10.0.0.1', port: 7000 });
    expect(serverOfTarget('ipv6:[::1]:7000')).toEqual({ address: '::1', port: 7000 });
    expect(serverOfTarget('unix:///tmp/grpc.sock')).toEqual({ address: 'tmp/grpc.sock', port: undefined });
    expect(serverOfTarget('unix:/tmp/grpc.sock')).toEqual({ address: '/tmp/grpc.sock', port: undefined });
    expect(serverOfTarget('')).toBeUndefined();
  });

  it('the CLIENT span spec', () => {
    expect(clientSpanSpec('/a.B/C', { address: 'h', port: 1 })).toEqual({
      name: 'a.B/C',
      kind: SpanKind.CLIENT,
      attributes: { 'rpc.system': 'grpc', 'rpc.service': 'a.B', 'rpc.method': 'C', 'rpc.grpc.status_code': 0, 'server.address': 'h', 'server.port': 1 },
    });
    expect(clientSpanSpec('/a.B/C', undefined).attributes).not.toHaveProperty('server.address');
  });

  it('server faults are exactly UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS', () => {
    const faults = Array.from({ length: 17 }, (_, code) => code).filter(isServerFault).map(statusName);
    expect(faults).toEqual(['UNKNOWN', 'DEADLINE_EXCEEDED', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS']);
    expect(statusName(99)).toBe('99');
  });

  it('an error gives its status as grpc-js sends it: an integer code, else UNKNOWN', () => {
    expect(statusOfError({ code: 5 })).toBe(5);
    expect(statusOfError({ code: 'ENOENT' })).toBe(2);
    expect(statusOfError(new Error('x'))).toBe(2);
    expect(statusOfError(null)).toBe(2);
    expect(failureAttributes(4)).toEqual({ 'rpc.grpc.status_code': 4, 'error.type': 'DEADLINE_EXCEEDED' });
  });
});
