/**
 * Renders markdown as plain terminal text: headings underlined, emphasis and code marks dropped,
 * links as "text (url)", list bullets normalised, and pipe tables aligned. Not a full parser: it
 * keeps anything it does not recognise as written.
 */
export function renderMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  const out: string[] = [];
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(`    ${line}`);
      continue;
    }
    if (isTableRow(line) && isSeparatorRow(lines[i + 1] ?? "")) {
      const rows = [splitRow(line)];
      i += 2;
      while (i < lines.length && isTableRow(lines[i] ?? "")) rows.push(splitRow(lines[i++] ?? ""));
      i -= 1;
      out.push(alignRows(rows.map((r) => r.map(inline))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const text = inline(heading[2] ?? "");
      out.push(text);
      if ((heading[1] ?? "").length <= 2) out.push((heading[1] === "#" ? "=" : "-").repeat(text.length));
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet) {
      out.push(`${bullet[1] ?? ""}• ${inline(bullet[2] ?? "")}`);
      continue;
    }
    if (/^\s*([-*_])\s*\1\s*\1[\s\-*_]*$/.test(line)) {
      out.push("─".repeat(40));
      continue;
    }
    out.push(inline(line.replace(/^>\s?/, "│ ")));
  }
  return out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function inline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\(([^)]+)\)/g, "[image: $1] ($2)")
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, "$1 ($2)")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^*\w])[*_]([^*_\s][^*_]*?)[*_](?=[^*\w]|$)/g, "$1$2")
    .replace(/`([^`]+)`/g, "$1");
}

function isTableRow(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line);
}

function isSeparatorRow(line: string): boolean {
  return /^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(line);
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((c) => c.trim());
}

/** Aligns rows of cells into columns; the first row is a header, underlined. */
export function alignRows(rows: readonly (readonly string[])[]): string {
  const count = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: count }, (_, c) =>
    Math.max(...rows.map((r) => [...(r[c] ?? "")].length)),
  );
  const line = (r: readonly string[]) =>
    widths
      .map((w, c) => (r[c] ?? "").padEnd(w))
      .join("  ")
      .trimEnd();
  const [header, ...body] = rows;
  return [line(header ?? []), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
