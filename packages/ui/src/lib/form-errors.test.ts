import { SluiceApiError } from "@sluice/client";
import { describe, expect, it } from "vitest";
import { errorsByPath, serverFieldErrors } from "./form-errors.js";

describe("the server's field issues as form errors", () => {
  it("makes paths relative to the form's value, whether from the schema check or the body's shape", () => {
    const error = new SluiceApiError(
      400,
      "validation_failed",
      "invalid data",
      {
        issues: [
          { path: "data.credentials.secretAccessKey", message: "is required" },
          { path: "body.data.bucket", message: "too short" },
          { path: "data", message: "must be an object" },
        ],
      },
      "saveBlock",
    );
    expect(serverFieldErrors(error, "data")).toEqual([
      { path: "credentials.secretAccessKey", message: "is required" },
      { path: "bucket", message: "too short" },
      { path: "", message: "must be an object" },
    ]);
  });

  it("answers undefined for errors without field issues, and keeps the first message per field", () => {
    expect(serverFieldErrors(new Error("offline"), "parameters")).toBeUndefined();
    expect(
      serverFieldErrors(new SluiceApiError(409, "conflict", "no pool", undefined, "x"), "parameters"),
    ).toBeUndefined();
    expect(
      errorsByPath([
        { path: "a", message: "first" },
        { path: "a", message: "second" },
      ]),
    ).toEqual(new Map([["a", "first"]]));
  });
});
