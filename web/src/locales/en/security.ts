/** Strings of the security screens (see en.ts). */
export default {};
