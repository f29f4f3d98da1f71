import type en from '../en/conversation';

/** Russian strings of the conversation screens; typed against the English ones. */
const ru: typeof en = {};

export default ru;
