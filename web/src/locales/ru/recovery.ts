import type en from '../en/recovery';

const recovery: typeof en = {};

export default recovery;
