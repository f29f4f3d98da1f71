#!/bin/sh
# The API's production dependencies, installed as the image installs them (Dockerfile)
# and as api/test/compiled.test.ts checks them. Run it in a folder holding package.json,
# package-lock.json and api/package.json; extra arguments go to `npm ci`.
#
# --legacy-peer-deps: @prisma/client names the Prisma CLI and TypeScript as optional peers,
#   and npm installs optional peers it finds in the lockfile (ours, as dev tools): 230 MB
#   that never run. Every peer the API needs is also a dependency of its own.
# --ignore-scripts: no production dependency needs an install script (allowScripts
#   approves none; the image's npm 10 does not read allowScripts), and the root's
#   postinstall (prisma generate) has nothing to do: the client is compiled into api/dist.
set -eu
npm ci --omit=dev --legacy-peer-deps --ignore-scripts --workspace api --no-audit --no-fund "$@"
# Prisma ships a query compiler for each database it supports (13 MB each); the API uses PostgreSQL's.
find node_modules/@prisma/client/runtime -name 'query_compiler_*' ! -name '*.postgresql.*' -delete
