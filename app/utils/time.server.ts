/** Current UTC time as ISO text: the format every timestamp column uses. */
export function nowIso(): string {
  return new Date().toISOString();
}
