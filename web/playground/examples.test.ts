import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_TABS } from './examples';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

describe('the example tabs', () => {
  it.each(EXAMPLE_TABS.map((tab) => [tab.query.match(/^(?:query|mutation|subscription) (\w+)/m)?.[1], tab] as const))('%s is valid against schema.graphql', (_name, tab) => {
    expect(validate(schema, parse(tab.query))).toEqual([]);
    if (tab.variables) expect(() => JSON.parse(tab.variables!)).not.toThrow();
  });

  it('are the first steps of a client, each in its own tab', () => {
    const operations = EXAMPLE_TABS.flatMap((tab) => [...tab.query.matchAll(/^(query|mutation|subscription) (\w+)/gm)].map((m) => `${m[1]} ${m[2]}`));
    expect(operations).toEqual([
      'mutation SignIn',
      'mutation CompleteSignIn',
      'query MyConversations',
      'query History',
      'mutation Send',
      'subscription Events',
      'query SyncAfterReconnect',
    ]);
    expect(EXAMPLE_TABS.find((tab) => tab.query.includes('sendMessage'))?.variables).toContain('clientMsgId');
  });
});
