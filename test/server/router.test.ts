import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/server/http-json';
import { matchRoute, type Route } from '../../src/server/router';

const handler = (name: string) => Object.assign(() => {}, { routeName: name });
const routes: Route[] = [
  { path: '/api/items/:id', methods: { GET: handler('get item') } },
  { path: '/api/items/batch', methods: { POST: handler('post batch') } },
];

describe('matchRoute', () => {
  it('finds the method on a later route whose path also matches', () => {
    const found = matchRoute(routes, 'POST', ['api', 'items', 'batch']);
    expect((found?.handler as unknown as { routeName: string }).routeName).toBe('post batch');
    expect((matchRoute(routes, 'GET', ['api', 'items', 'batch'])?.handler as unknown as { routeName: string }).routeName).toBe(
      'get item',
    );
  });

  it('answers 405 with every method the matching routes allow', () => {
    let error: unknown;
    try {
      matchRoute(routes, 'DELETE', ['api', 'items', 'batch']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(405);
    expect((error as HttpError).headers).toMatchObject({ Allow: 'GET, HEAD, POST, OPTIONS' });
  });

  it('is undefined (404) when no path matches', () => {
    expect(matchRoute(routes, 'GET', ['api', 'other'])).toBeUndefined();
  });
});
