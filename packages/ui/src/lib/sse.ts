/** One server-sent event: its name (`event:` field, "message" by default) and its data lines joined. */
export interface SseMessage {
  readonly event: string;
  readonly data: string;
}

/**
 * Parses a text/event-stream incrementally: feed it chunks as they arrive, it returns the complete
 * events and keeps the unfinished tail for the next chunk. Comment lines (":") are heartbeats.
 */
export class SseParser {
  private buffer = "";

  push(chunk: string): SseMessage[] {
    this.buffer += chunk.replace(/\r\n?/g, "\n");
    const messages: SseMessage[] = [];
    let end: number;
    while ((end = this.buffer.indexOf("\n\n")) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line === "" || line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
      }
      if (data.length > 0) messages.push({ event, data: data.join("\n") });
    }
    return messages;
  }
}
