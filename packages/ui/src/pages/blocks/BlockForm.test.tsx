// @vitest-environment happy-dom
import { randomUUID } from "node:crypto";
import type { Block } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../App.js";
import { api, click, fieldErrorOf, openOn, typeInto, until } from "../../lib/page-test.test-helper.js";
import { render } from "../../lib/render.test-helper.js";
import { startUiTestServer, type UiTestServer } from "../../lib/test-server.test-helper.js";

describe("the block pages against a real server", () => {
  let server: UiTestServer;
  const name = `ui-bucket-${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    server = await startUiTestServer();
    openOn(server, "/");
  });
  afterAll(() => server?.close());

  const field = (container: HTMLElement, path: string) =>
    container.querySelector<HTMLInputElement>(`[name="${path}"]`)!;
  const submit = (container: HTMLElement) =>
    click(container.querySelector<HTMLButtonElement>("[data-testid=save-block]"));

  it("creates a block from its type's schema: field errors, secrets as passwords, then its masked page", async () => {
    openOn(server, "/blocks/new?type=s3-bucket");
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      await until(() => container.querySelector("[data-testid=block-form]"));
      // The type's defaults fill the form; the secret is a password input.
      expect(field(container, "region").value).toBe("us-east-1");
      expect(field(container, "credentials.secretAccessKey").type).toBe("password");
      expect(field(container, "credentials.accessKeyId").type).toBe("text");

      typeInto(field(container, "@name"), "Not A Name");
      typeInto(field(container, "bucket"), "ab");
      typeInto(field(container, "endpoint"), "not a url");
      await submit(container);
      expect(container.querySelector("[data-testid=field-error]")?.textContent).toContain(
        "lowercase letters",
      );
      expect(fieldErrorOf(container, "bucket")).toBe("must be at least 3 characters");
      expect(fieldErrorOf(container, "endpoint")).toBe("must be a URL");
      // A half-filled group is checked too.
      typeInto(field(container, "credentials.accessKeyId"), "AKIA123");
      await submit(container);
      expect(fieldErrorOf(container, "credentials.secretAccessKey")).toBe("is required");

      typeInto(field(container, "@name"), name);
      typeInto(field(container, "bucket"), "results");
      typeInto(field(container, "endpoint"), "http://127.0.0.1:9000");
      typeInto(field(container, "credentials.secretAccessKey"), "s3cr3t-value");
      await submit(container);
      await until(() => window.location.pathname === `/blocks/s3-bucket/${name}`);
      const data = await until(() => container.querySelector("[data-testid=block-data]"));
      expect(data.textContent).toContain("AKIA123");
      expect(data.textContent).toContain("********");
      expect(container.innerHTML).not.toContain("s3cr3t-value");
    } finally {
      unmount();
    }
  });

  it("edits it keeping the masked secret, refuses a second block of the same name, and deletes after confirming", async () => {
    openOn(server, `/blocks/s3-bucket/${name}/edit`);
    const first = render(<App baseUrl={server.url} />);
    try {
      const secret = await until(() => field(first.container, "credentials.secretAccessKey"));
      expect(secret.value).toBe("********");
      typeInto(field(first.container, "bucket"), "results-2");
      await submit(first.container);
      await until(() => window.location.pathname === `/blocks/s3-bucket/${name}`);
    } finally {
      first.unmount();
    }
    const stored = await api<Block>(server, "GET", `/api/blocks/s3-bucket/${name}?includeSecrets=true`);
    expect(stored.data).toMatchObject({
      bucket: "results-2",
      credentials: { secretAccessKey: "s3cr3t-value" },
    });

    openOn(server, "/blocks/new?type=s3-bucket");
    const second = render(<App baseUrl={server.url} />);
    try {
      await until(() => second.container.querySelector("[data-testid=block-form]"));
      typeInto(field(second.container, "@name"), name);
      typeInto(field(second.container, "bucket"), "other");
      await submit(second.container);
      await until(() =>
        second.container.querySelector("[data-testid=field-error]")?.textContent?.includes("exists"),
      );
    } finally {
      second.unmount();
    }

    openOn(server, `/blocks/s3-bucket/${name}`);
    const third = render(<App baseUrl={server.url} />);
    try {
      await click(
        await until(() => third.container.querySelector<HTMLButtonElement>("[data-testid=delete-block]")),
      );
      expect(third.container.textContent).toContain(`Delete block s3-bucket/${name}?`);
      await click(third.container.querySelector<HTMLButtonElement>("[data-testid=confirm-delete]"));
      await until(() => window.location.pathname === "/blocks");
    } finally {
      third.unmount();
    }
    const gone = await fetch(`${server.url}/api/blocks/s3-bucket/${name}`);
    expect(gone.status).toBe(404);
  });

  it("shows the catalog of block types, built-in and custom, with their fields, and the blocks of a type", async () => {
    // A type of this test's own: a shared test database keeps the blocks of earlier test runs.
    const slug = `ui-type-${randomUUID().slice(0, 8)}`;
    await api(server, "PUT", `/api/block-types/${slug}`, {
      name: "UI test service",
      description: "A service reached with a token.",
      schema: {
        type: "object",
        properties: { host: { type: "string", description: "where it runs" }, token: { type: "string" } },
        required: ["host", "token"],
      },
      secretFields: ["token"],
    });
    await api(server, "PUT", `/api/blocks/${slug}/${name}-svc`, { data: { host: "h", token: "hidden" } });
    openOn(server, `/blocks?type=${slug}`);
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      const rows = await until(() => {
        const found = container.querySelectorAll("[data-testid=block-row]");
        return found.length > 0 && found;
      });
      expect([...rows].map((r) => r.querySelector("a")?.textContent)).toEqual([`${name}-svc`]);
      expect(rows[0]?.textContent).toContain("UI test service");
      expect(rows[0]?.textContent).toContain("token");
      const types = await until(() => {
        const found = [...container.querySelectorAll("[data-testid=block-type]")];
        return found.length > 0 && found;
      });
      const s3 = types.find((t) => t.querySelector("code")?.textContent === "s3-bucket");
      expect(s3?.textContent).toContain("built-in");
      expect(s3?.textContent).toContain("credentials");
      const custom = types.find((t) => t.querySelector("code")?.textContent === slug);
      expect(custom?.textContent).toContain("custom");
      expect(custom?.textContent).toContain("where it runs");
      expect(custom?.querySelector(".tag-secret")?.parentElement?.textContent).toContain("token");
      expect(types.map((t) => t.querySelector("code")?.textContent)).toEqual(
        expect.arrayContaining(["secret", "json", "s3-bucket", "local-file-system", "webhook"]),
      );
    } finally {
      unmount();
    }
  });
});
