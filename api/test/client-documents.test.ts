/**
 * Every operation the clients send is checked against the contract before it reaches a
 * server: the gql documents of the web client (web/src) and of the example client
 * (examples/), found in their source as they are written (a new file is checked the day it
 * appears), are valid against schema.graphql and within the server's own operation limits.
 * A folder of broken documents proves the check fails, and says where.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_FOLDERS, findDocuments, validateDocuments } from '../../scripts/schema/documents.js';
import { repoRoot } from '../src/config/env.js';
import { operationRules } from '../src/core/limits.js';

const schema = buildSchema(readFileSync(path.join(repoRoot, 'schema.graphql'), 'utf8'));
const rules = operationRules({ introspection: true });

describe('the documents clients send', () => {
  const { documents, problems } = findDocuments(repoRoot, CLIENT_FOLDERS);

  it("are found in the web client's and the example client's source, every one followed to its text", () => {
    expect(problems).toEqual([]);
    const names = documents.map((document) => `${document.file.split(path.sep)[0]}:${document.name}`);
    expect(names).toEqual(expect.arrayContaining(['web:SyncQuery', 'web:ChangesQuery', 'web:EventsSubscription', 'web:SendMessageMutation', 'web:LoginMutation']));
    expect(names).toEqual(expect.arrayContaining(['examples:SYNC', 'examples:CHANGES', 'examples:EVENTS', 'examples:SEND_MESSAGE', 'examples:LOGIN']));
    // The subscription is sent as joined text (its fragment appended): the finder followed it.
    expect(documents.find((document) => document.name === 'EventsSubscription')!.text).toContain('fragment MessageFields on Message');
  });

  it("are valid against schema.graphql and within the server's limits", () => {
    expect(validateDocuments(schema, documents, rules)).toEqual([]);
  });
});

describe('a broken document', () => {
  let folder: string;
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('fails the check with its file, line and error, whatever way it is written', async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'dash-documents-'));
    await mkdir(path.join(folder, 'client', 'components'), { recursive: true });
    const deep = `${'replyTo { '.repeat(12)}id${' }'.repeat(12)}`;
    await writeFile(
      path.join(folder, 'client', 'fragments.ts'),
      ['export const MESSAGE = /* GraphQL */ `', '  fragment Msg on Message { id bodyy }', '`;', ''].join('\n'),
    );
    await writeFile(
      path.join(folder, 'client', 'operations.ts'),
      [
        "import { gql } from '@apollo/client/core';",
        "import { MESSAGE } from './fragments.js';",
        'const fine = gql`query Fine { me { id } }`;',
        'export const Typo = gql`',
        '  query History($id: ID!) { messages(conversationId: $id) { messages { ...Msg } } }',
        '  ${MESSAGE}',
        '`;',
        'export const MissingArgument = gql(`query Conversation { conversation { id } }`);',
        'export const TooDeep = gql`query Deep { conversation(id: "1") { lastMessage { ' + deep + ' } } }`;',
        'export const Unreadable = gql`query Q { me { ${fields()} } }`;',
        'const LOST = /* GraphQL */ `query Lost { me { id } }`;',
        'void fine; void LOST;',
        '',
      ].join('\n'),
    );
    await writeFile(
      path.join(folder, 'client', 'components', 'ProfileCard.vue'),
      ['<template><div /></template>', '', '<script setup lang="ts">', "import { gql } from '@apollo/client/core';", 'const Profile = gql`query Profile { me { id nickname } }`;', '</script>', ''].join('\n'),
    );

    const found = findDocuments(folder, ['client']);
    expect(found.documents.map((document) => document.name)).toEqual(['Profile', 'fine', 'Typo', 'MissingArgument', 'TooDeep']);
    const failures = [...found.problems, ...validateDocuments(schema, found.documents, rules)].map(
      ({ file, line, message }) => `${file}:${line} ${message}`,
    );
    expect(failures).toEqual([
      expect.stringMatching(/^client\/operations\.ts:10 cannot read `fields\(\)` as GraphQL text/),
      expect.stringMatching(/^client\/operations\.ts:11 GraphQL text that no gql document uses/),
      'client/components/ProfileCard.vue:5 Cannot query field "nickname" on type "Me". Did you mean "username"?',
      'client/operations.ts:4 Cannot query field "bodyy" on type "Message". Did you mean "body"?',
      'client/operations.ts:8 Field "conversation" argument "id" of type "ID!" is required, but it was not provided.',
      expect.stringMatching(/^client\/operations\.ts:9 .*[Dd]epth limit of 12/),
    ]);
  });
});
