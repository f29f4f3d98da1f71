#!/bin/sh
# Stand-in for Prisma's schema engine on machines that cannot download it.
# `prisma generate` only checks that the engine file exists; anything that would
# really run it (prisma migrate, db push) lands here and fails with a clear message.
echo "Prisma's schema engine is not available on this machine." >&2
echo "Migrations are applied by the project itself: npm run db:migrate" >&2
exit 1
