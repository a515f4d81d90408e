import type { ApiKeyCreate, ApiKeyCreated, ApiKeyList } from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { ConflictError, NotFoundError } from "../http/errors.js";
import { newId } from "../ids.js";
import type { ApiKeyAuthenticator } from "./api-key-authenticator.js";
import { generateApiKey } from "./api-key-secret.js";
import * as store from "./api-key-store.js";

const DAY_MS = 86_400_000;

/** API key use cases: create (the key is returned once), list, revoke. */
export function createApiKeyService(
  { db, clock, logger }: Pick<AppDeps, "db" | "clock" | "logger">,
  authenticator: Pick<ApiKeyAuthenticator, "invalidate">,
) {
  return {
    async create(input: z.output<typeof ApiKeyCreate>): Promise<ApiKeyCreated> {
      const now = clock.now();
      const { key, hash, prefix } = generateApiKey();
      const row = await store
        .insertApiKey(db.db, {
          id: newId(now.getTime()),
          name: input.name,
          scope: input.scope,
          key_hash: hash,
          prefix,
          created_at: now,
          last_used_at: null,
          expires_at: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY_MS) : null,
        })
        .catch((error: unknown) => {
          if ((error as { constraint?: unknown }).constraint === "api_keys_name_key") {
            throw new ConflictError("conflict", `an API key named "${input.name}" already exists`, {
              name: input.name,
            });
          }
          throw error;
        });
      authenticator.invalidate();
      logger.info("API key created", { id: row.id, name: row.name, scope: row.scope });
      return { ...store.toApiKey(row), key };
    },

    async list(): Promise<ApiKeyList> {
      return { items: (await store.listApiKeys(db.db)).map(store.toApiKey) };
    },

    async delete(id: string): Promise<Record<string, never>> {
      if (!(await store.deleteApiKey(db.db, id))) {
        throw new NotFoundError("api_key_not_found", `no API key with id ${id}`, { id });
      }
      authenticator.invalidate();
      logger.info("API key revoked", { id });
      return {};
    },
  };
}

/** The API key use cases. */
export type ApiKeyService = ReturnType<typeof createApiKeyService>;
