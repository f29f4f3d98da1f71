/** Strings of the account screens (en). */
export default {};
