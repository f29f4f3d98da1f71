import type en from '../en/security';

const security: typeof en = {};

export default security;
