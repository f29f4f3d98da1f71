/** Strings of the conversation screens (en). */
export default {};
