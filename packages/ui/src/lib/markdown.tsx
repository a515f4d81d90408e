import type { ReactNode } from "react";

/**
 * Renders the markdown subset artifacts use (headings, paragraphs, lists, tables, fenced code,
 * quotes, rules; inline code, bold, italic, links) as React elements. Nothing is ever injected as
 * HTML: raw HTML in the source shows as text, and only http(s), mailto and relative links are kept.
 */
export function Markdown({ source }: { source: string }) {
  return <div className="markdown">{renderBlocks(source.replace(/\r\n?/g, "\n").split("\n"))}</div>;
}

const TABLE_DIVIDER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** A table starts with a header row followed by a divider row such as `| --- | :-: |`. */
function startsTable(lines: string[], i: number): boolean {
  const next = lines[i + 1] ?? "";
  return (lines[i] ?? "").includes("|") && next.includes("|") && TABLE_DIVIDER.test(next);
}

function renderBlocks(lines: string[]): ReactNode[] {
  const out: ReactNode[] = [];
  let i = 0;
  const key = () => `b${out.length}`;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      i += 1;
      continue;
    }
    const fence = /^```/.exec(line);
    if (fence) {
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !/^```/.test(lines[i] ?? "")) code.push(lines[i++] ?? "");
      i += 1;
      out.push(
        <pre key={key()}>
          <code>{code.join("\n")}</code>
        </pre>,
      );
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min((heading[1] ?? "#").length + 2, 6);
      const Tag = `h${level}` as "h3";
      out.push(<Tag key={key()}>{renderInline(heading[2] ?? "")}</Tag>);
      i += 1;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push(<hr key={key()} />);
      i += 1;
      continue;
    }
    if (startsTable(lines, i)) {
      const head = splitRow(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && (lines[i] ?? "").includes("|") && (lines[i] ?? "").trim() !== "") {
        rows.push(splitRow(lines[i++] ?? ""));
      }
      out.push(
        <table key={key()}>
          <thead>
            <tr>
              {head.map((cell, c) => (
                <th key={c}>{renderInline(cell)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>
                {head.map((_, c) => (
                  <td key={c}>{renderInline(row[c] ?? "")}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>,
      );
      continue;
    }
    const listMatch = /^\s*([-*+]|\d+[.)])\s+/.exec(line);
    if (listMatch) {
      const ordered = /\d/.test(listMatch[1] ?? "");
      const items: string[] = [];
      while (i < lines.length) {
        const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(lines[i] ?? "");
        if (!item) break;
        items.push(item[2] ?? "");
        i += 1;
      }
      const children = items.map((item, n) => <li key={n}>{renderInline(item)}</li>);
      out.push(ordered ? <ol key={key()}>{children}</ol> : <ul key={key()}>{children}</ul>);
      continue;
    }
    if (line.startsWith(">")) {
      const quoted: string[] = [];
      while (i < lines.length && (lines[i] ?? "").startsWith(">")) {
        quoted.push((lines[i++] ?? "").replace(/^>\s?/, ""));
      }
      out.push(<blockquote key={key()}>{renderBlocks(quoted)}</blockquote>);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && (lines[i] ?? "").trim() !== "" && !startsBlock(lines, i)) {
      paragraph.push((lines[i++] ?? "").trim());
    }
    if (paragraph.length === 0) paragraph.push((lines[i++] ?? "").trim());
    out.push(<p key={key()}>{renderInline(paragraph.join(" "))}</p>);
  }
  return out;
}

function startsBlock(lines: string[], i: number): boolean {
  const line = lines[i] ?? "";
  return /^(```|#{1,6}\s|>|\s*([-*+]|\d+[.)])\s)/.test(line) || startsTable(lines, i);
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

/** A link target kept only for safe schemes: no javascript:, data: or vbscript: URLs. */
export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith("//")) return undefined;
  return trimmed;
}

const INLINE = /`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*]+)\*|_([^_]+)_/;

function renderInline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  while (rest.length > 0) {
    const match = INLINE.exec(rest);
    if (!match) {
      out.push(rest);
      break;
    }
    if (match.index > 0) out.push(rest.slice(0, match.index));
    const k = out.length;
    const [, code, linkText, href, bold1, bold2, em1, em2] = match;
    if (code !== undefined) out.push(<code key={k}>{code}</code>);
    else if (linkText !== undefined && href !== undefined) {
      const safe = safeHref(href);
      out.push(
        safe === undefined ? (
          linkText
        ) : (
          <a key={k} href={safe} target="_blank" rel="noopener noreferrer">
            {renderInline(linkText)}
          </a>
        ),
      );
    } else if (bold1 !== undefined || bold2 !== undefined)
      out.push(<strong key={k}>{renderInline(bold1 ?? bold2 ?? "")}</strong>);
    else out.push(<em key={k}>{renderInline(em1 ?? em2 ?? "")}</em>);
    rest = rest.slice(match.index + match[0].length);
  }
  return out;
}
