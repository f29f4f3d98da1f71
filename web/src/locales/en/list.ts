/** Strings of the list screens (en). */
export default {};
