import type en from '../en/list';

/** Russian strings of the list screens; typed against the English ones. */
const ru: typeof en = {};

export default ru;
