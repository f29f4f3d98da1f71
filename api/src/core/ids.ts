const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be a row id; anything else is answered NOT_FOUND without asking the database. */
export function isUuid(id: string): boolean {
  return UUID_PATTERN.test(id);
}
