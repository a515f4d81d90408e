/** The page of a block. */
export function blockPath(type: string, name: string): string {
  return `/blocks/${encodeURIComponent(type)}/${encodeURIComponent(name)}`;
}

/** The form creating a block, of `type` when given. */
export function newBlockPath(type?: string): string {
  return type ? `/blocks/new?type=${encodeURIComponent(type)}` : "/blocks/new";
}
