/**
 * Checks of an HTTP GraphQL request that no resolver should have to make: a subscription
 * cannot be served over HTTP (graphql-ws on the same path serves it), and variables may
 * not hold text the database refuses. Both answer 400 with a client error code.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { AppError, ErrorCode } from '../core/errors.js';
import { nulVariableError } from '../core/input-guards.js';

/** A client error with the HTTP status Apollo should answer it with (Apollo drops `extensions.http`). */
function withStatus(error: AppError, status: number): AppError {
  return new AppError(error.extensions.code as ErrorCode, error.message, { ...error.extensions, http: { status } });
}

export function httpOperationGuards<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation?.operation === 'subscription') {
            const message = 'Subscriptions are served over WebSocket (the graphql-transport-ws protocol) at /graphql, not over HTTP.';
            throw withStatus(new AppError(ErrorCode.BadRequest, message), 400);
          }
          const nul = nulVariableError(request.variables);
          if (nul) throw withStatus(nul, 400);
        },
      };
    },
  };
}
