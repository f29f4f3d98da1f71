/**
 * The sign-in panel, a GraphiQL plugin (a button in the sidebar): gets a token with `login`
 * and, for two-factor accounts, `completeLogin`, and keeps it in the session store, from
 * which App.ts signs every request and the socket. Written with createElement: the
 * playground's build has no JSX step.
 */
import { mdiAccountKey } from '@mdi/js';
import type { GraphiQLProps } from 'graphiql';
import { createElement as h, useState, useSyncExternalStore, type Attributes, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import type { SessionStore } from './session';
import { completeLogIn, logIn, logOut, type PostGraphQL, type SignInStep } from './sign-in';

type GraphiQLPlugin = NonNullable<GraphiQLProps['plugins']>[number];

function KeyIcon() {
  return h('svg', { viewBox: '0 0 24 24', 'aria-hidden': true }, h('path', { d: mdiAccountKey, fill: 'currentColor' }));
}

/** A labelled text field that sets `onValue` as it is typed in. */
function field(label: string, onValue: (value: string) => void, input: InputHTMLAttributes<HTMLInputElement> & Attributes): ReactNode {
  const { key, ...attributes } = input;
  return h('label', { key, className: 'playground-field' }, label, h('input', { required: true, ...attributes, onChange: (event) => onValue(event.currentTarget.value) }));
}

/** The plugin; made once (GraphiQL compares plugins by identity). */
export function signInPlugin(store: SessionStore, post: PostGraphQL): GraphiQLPlugin {
  function SignInPanel() {
    const session = useSyncExternalStore(store.subscribe, store.get);
    const [login, setLogin] = useState('');
    const [password, setPassword] = useState('');
    const [code, setCode] = useState('');
    const [challenge, setChallenge] = useState<string | null>(null);
    const [problem, setProblem] = useState<string | null>(null);
    const [busy, setBusy] = useState(false);

    async function run(step: () => Promise<SignInStep>) {
      setBusy(true);
      setProblem(null);
      try {
        const next = await step();
        if (next.kind === 'failed') setProblem(next.message);
        else if (next.kind === 'two-factor') setChallenge(next.challenge);
        else {
          setPassword('');
          setCode('');
          setChallenge(null);
          store.set(next.session);
        }
      } catch {
        setProblem('The server could not be reached.');
      } finally {
        setBusy(false);
      }
    }
    function submit(event: FormEvent) {
      event.preventDefault();
      void run(() => (challenge ? completeLogIn(post, challenge, code.trim()) : logIn(post, login.trim(), password)));
    }
    async function signOut(token: string) {
      setBusy(true);
      await logOut(post, token);
      store.set(null);
      setBusy(false);
    }

    const heading = h('div', { className: 'playground-panel-title' }, 'Sign in');
    const alert = problem && h('p', { className: 'playground-problem', role: 'alert' }, problem);
    if (session) {
      return h(
        'div',
        { className: 'playground-sign-in' },
        heading,
        h('p', { 'data-testid': 'playground-signed-in' }, 'Signed in as ', h('strong', null, `@${session.username}`), '.'),
        h(
          'p',
          { className: 'playground-hint' },
          'Every tab sends the token: as ',
          h('code', null, 'Authorization: Bearer …'),
          ' over HTTP and as ',
          h('code', null, 'connectionParams.token'),
          ' on the WebSocket. It is kept in this browser tab only.',
        ),
        h('button', { type: 'button', className: 'graphiql-button', disabled: busy, onClick: () => void signOut(session.token) }, 'Sign out'),
      );
    }
    const fields = challenge
      ? [
          h('p', { key: 'why', className: 'playground-hint' }, 'This account has two-factor sign-in on: enter the code from the authenticator app, or a recovery code.'),
          field('Code', setCode, { key: 'code', name: 'code', autoComplete: 'one-time-code', autoFocus: true, value: code }),
        ]
      : [
          field('User name or email', setLogin, { key: 'login', name: 'username', autoComplete: 'username', value: login }),
          field('Password', setPassword, { key: 'password', name: 'password', type: 'password', autoComplete: 'current-password', value: password }),
        ];
    return h(
      'form',
      { className: 'playground-sign-in', onSubmit: submit },
      heading,
      ...fields,
      alert,
      h('button', { type: 'submit', className: 'graphiql-button', disabled: busy }, challenge ? 'Continue' : 'Sign in'),
      challenge && h('button', { type: 'button', className: 'graphiql-button', onClick: () => setChallenge(null) }, 'Back'),
      !challenge && h('p', { className: 'playground-hint' }, 'With the demo data: demo / welcome-to-dash.'),
    );
  }
  return { title: 'Sign in', icon: KeyIcon, content: SignInPanel };
}
