/** Strings of the recovery screens (see en.ts). */
export default {};
