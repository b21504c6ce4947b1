import { readFileSync } from 'node:fs';
import path from 'node:path';
import { satisfies } from 'semver';
import { describe, expect, it } from 'vitest';
import { INSTRUMENTATIONS } from '../../../instrumentations';
import { hasPatcher } from '../../../instrumentations/express';
import { readConfig } from '../../../src/config';
import { isClientError } from '../../../src/instrument';
import { joinPrefix, joinRoute, pathTemplate, usePathArgument } from '../../../instrumentations/express/route-template';
import { ROOT } from '../../helpers/paths';

describe('route templates (pure)', () => {
  it.each([
    ['/users/:id', '/users/:id'],
    [/^\/v\d+/i, '/^\\/v\\d+/i'],
    [['/a', '/b/:id'], '/a,/b/:id'],
    [[['/a'], '/b'], '/a,/b'],
    [42, undefined],
    [[], undefined],
  ])('pathTemplate(%s) = %s', (input, expected) => {
    expect(pathTemplate(input)).toBe(expected);
  });

  it.each([
    ['', '/users/:id', '/users/:id'],
    ['/api', '/users/:id', '/api/users/:id'],
    ['/api', '/', '/api'],
    ['', '/', '/'],
    ['', undefined, '/'],
    ['/api/', '/x', '/api/x'],
    ['/', '/x', '/x'],
  ])('joinRoute(%j, %j) = %j', (prefix, part, expected) => {
    expect(joinRoute(prefix, part)).toBe(expected);
  });

  it('joinPrefix keeps the root empty and ignores / mounts', () => {
    expect(joinPrefix('', '/')).toBe('');
    expect(joinPrefix('', undefined)).toBe('');
    expect(joinPrefix('/api', '/')).toBe('/api');
    expect(joinPrefix('/api', '/v1')).toBe('/api/v1');
  });

  it('finds the path argument of use() the way Express does', () => {
    const fn = () => {};
    expect(usePathArgument(fn)).toBeUndefined();
    expect(usePathArgument([fn, fn])).toBeUndefined();
    expect(usePathArgument('/p')).toBe('/p');
    expect(usePathArgument(['/a', '/b'])).toEqual(['/a', '/b']);
    expect(usePathArgument(undefined)).toBeUndefined();
  });

  it('tells client errors by status or statusCode', () => {
    expect(isClientError(Object.assign(new Error(), { status: 404 }))).toBe(true);
    expect(isClientError(Object.assign(new Error(), { statusCode: 400 }))).toBe(true);
    expect(isClientError(Object.assign(new Error(), { status: 500 }))).toBe(false);
    expect(isClientError(new Error())).toBe(false);
    expect(isClientError('boom')).toBe(false);
  });

  it('reads WAYMARK_EXPRESS_MIDDLEWARE_SPANS', () => {
    const middlewareSpans = (v?: string) => readConfig(v === undefined ? {} : { WAYMARK_EXPRESS_MIDDLEWARE_SPANS: v }).instrumentations.settings.express.middlewareSpans;
    expect(middlewareSpans()).toBe(false);
    expect(middlewareSpans('TRUE')).toBe(true);
    expect(middlewareSpans('1')).toBe(false);
  });
});

describe('the registry entry', () => {
  const entry = INSTRUMENTATIONS.find((e) => e.name === 'express')!;
  const versionOf = (dir: string) => (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', dir, 'package.json'), 'utf8')) as { version: string }).version;

  it('has a patcher for every target it declares', () => {
    expect(entry.targets.length).toBeGreaterThan(0);
    for (const t of entry.targets) expect(hasPatcher(t), JSON.stringify(t)).toBe(true);
  });

  it('does not claim Express 5 files it does not patch', () => {
    for (const t of entry.targets.filter((x) => x.module === 'express')) expect(satisfies(versionOf('express'), t.versions)).toBe(false);
  });
});
