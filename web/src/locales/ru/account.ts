import type en from '../en/account';

/** Russian strings of the account screens; typed against the English ones. */
const ru: typeof en = {};

export default ru;
