import type { TestAgent } from '../../helpers/agent-harness';
import type { HookConfig, HooksHandle } from '../../../src/hooks';
import { testedPackages } from '../../helpers/registry';
import { nodeRequire, startTracing } from '../../helpers/tracing';

export { nodeRequire };

/** The majors the registry entry is tested with, by the name each is installed under (`graphql15`, `graphql17` are npm aliases). */
export const GRAPHQL_VERSIONS_UNDER_TEST = testedPackages('graphql').map(({ id, major }) => ({ graphql: id, major }));

// graphql-js through require(), untyped on purpose: three majors with one test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

/** Starts the SDK (in-memory spans) and the hooks; graphql loads through `require`. */
export function setupGraphql(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; load(id: string): Any } {
  const { agent, hooks } = startTracing(config);
  return { agent, hooks, load: (id) => nodeRequire(id) as Any };
}

/** What a test schema's resolvers call out to: a hook per test. */
export interface SchemaHooks {
  /** Called by `user` before it answers (a database call, in the context test). */
  onUser?: (id: string) => Promise<unknown> | unknown;
}

/**
 * One schema, built with graphql-js's own classes (the same code for 15, 16 and 17):
 * `user` (async, own resolver), `users(n)` (a list), `User.posts` (own resolver, per
 * item), `User.name` (no resolver: graphql's default, a property read), `boom` (throws),
 * `slowBoom` (rejects) and a `rename` mutation.
 */
export function buildSchema(g: Any, hooks: SchemaHooks = {}): Any {
  const Post = new g.GraphQLObjectType({
    name: 'Post',
    fields: { title: { type: g.GraphQLString } },
  });
  const User = new g.GraphQLObjectType({
    name: 'User',
    fields: {
      id: { type: g.GraphQLID },
      name: { type: g.GraphQLString },
      posts: { type: new g.GraphQLList(Post), resolve: (user: { id: string }) => [{ title: `post of ${user.id}` }] },
    },
  });
  const Query = new g.GraphQLObjectType({
    name: 'Query',
    fields: {
      user: {
        type: User,
        args: { id: { type: new g.GraphQLNonNull(g.GraphQLID) } },
        resolve: async (_: unknown, args: { id: string }) => {
          await hooks.onUser?.(args.id);
          return { id: args.id, name: `user ${args.id}` };
        },
      },
      users: {
        type: new g.GraphQLList(User),
        args: { n: { type: g.GraphQLInt } },
        resolve: (_: unknown, args: { n?: number }) => Array.from({ length: args.n ?? 3 }, (__, i) => ({ id: String(i), name: `user ${i}` })),
      },
      boom: {
        type: g.GraphQLString,
        resolve: () => {
          throw new Error('kaboom');
        },
      },
      slowBoom: {
        type: g.GraphQLString,
        resolve: async () => {
          await new Promise((r) => setTimeout(r, 1));
          throw new TypeError('slow kaboom');
        },
      },
    },
  });
  const Role = new g.GraphQLEnumType({ name: 'Role', values: { ADMIN: {}, USER: {} } });
  const Mutation = new g.GraphQLObjectType({
    name: 'Mutation',
    fields: {
      rename: {
        type: User,
        args: { id: { type: new g.GraphQLNonNull(g.GraphQLID) }, name: { type: g.GraphQLString }, weight: { type: g.GraphQLFloat }, role: { type: Role } },
        resolve: (_: unknown, args: { id: string; name?: string }) => ({ id: args.id, name: args.name }),
      },
    },
  });
  return new g.GraphQLSchema({ query: Query, mutation: Mutation });
}
