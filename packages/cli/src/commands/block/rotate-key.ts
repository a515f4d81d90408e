import { existsSync, readFileSync, renameSync } from "node:fs";
import type { Command } from "commander";
import type { EncryptionKey, Keyring, KeyRotationSummary, ServerConfig } from "@sluice/server";
import { CliError, UsageError } from "../../errors.js";
import { printLine, printNote, withProgress } from "../../output.js";
import { withDatabase, type ServerModule } from "../db.js";

interface RotateOptions {
  newKeyFile?: string;
  newKeyOut?: string;
}

/** How one rotation gets its keys and saves the new one. */
interface RotationPlan {
  readonly keyring: Keyring;
  readonly newKey: EncryptionKey;
  /** Saves the new key; runs inside the transaction, before it commits. */
  saveNewKey(): void;
  /** Runs after the commit. */
  finish(): void;
  /** What to tell the operator afterwards. */
  nextSteps(): string[];
}

function readNewKeyFile(server: ServerModule, path: string): EncryptionKey {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --new-key-file ${path}: ${(error as Error).message}`);
  }
  try {
    return server.parseEncryptionKey(text);
  } catch (error) {
    // The message of an InvalidEncryptionKeyError never repeats the text.
    throw new UsageError(`--new-key-file ${path} does not hold a key: ${(error as Error).message}`);
  }
}

/** The key comes from SLUICE_ENCRYPTION_KEY (always so on PostgreSQL): the new one goes to --new-key-out. */
function environmentPlan(
  server: ServerModule,
  current: EncryptionKey,
  config: ServerConfig,
  opts: RotateOptions,
): RotationPlan {
  if (opts.newKeyFile && opts.newKeyOut) {
    throw new UsageError(
      `pass --new-key-file or --new-key-out, not both: the new key is already in ${opts.newKeyFile}`,
    );
  }
  if (!opts.newKeyFile && !opts.newKeyOut) {
    throw new UsageError(
      "--new-key-out PATH is required: the key is set by SLUICE_ENCRYPTION_KEY, so the new key must be " +
        "written to a file (created with mode 0600) for you to give to every server; or pass --new-key-file PATH",
    );
  }
  if (opts.newKeyOut && existsSync(opts.newKeyOut)) {
    throw new UsageError(`--new-key-out ${opts.newKeyOut} already exists; name a new file`);
  }
  const newKey = opts.newKeyFile ? readNewKeyFile(server, opts.newKeyFile) : server.generateEncryptionKey();
  const where = opts.newKeyOut ?? opts.newKeyFile!;
  return {
    keyring: new server.Keyring(current, config.previousEncryptionKeys),
    newKey,
    saveNewKey: () => {
      if (opts.newKeyOut) server.writeKeyFileExclusive(opts.newKeyOut, newKey);
    },
    finish: () => undefined,
    nextSteps: () => [
      opts.newKeyOut
        ? `New key written to ${where} (mode 0600); keep it in your secret store.`
        : `New key: ${where}.`,
      "Next, on every server using this database:",
      `  1. set SLUICE_ENCRYPTION_KEY to the new key (the content of ${where}) and put the old key (${current.id})`,
      "     in SLUICE_ENCRYPTION_PREVIOUS_KEYS, then restart it; until then it answers encryption_key_mismatch for blocks.",
      `  2. once all run the new key, run \`sluice block rotate-key --new-key-file ${where}\` again (with those`,
      "     settings) to move blocks saved meanwhile by servers still on the old key; then drop the old key.",
    ],
  };
}

/** The embedded server's key file: the new key goes to encryption.key.next, then replaces encryption.key. */
function keyFilePlan(server: ServerModule, config: ServerConfig, opts: RotateOptions): RotationPlan {
  const path = server.keyFilePath(config.home);
  const nextPath = server.nextKeyFilePath(config.home);
  if (opts.newKeyOut) {
    throw new UsageError(
      `--new-key-out is for keys set with SLUICE_ENCRYPTION_KEY; this key is the file ${path}`,
    );
  }
  const current = server.readKeyFile(path);
  if (!current) {
    throw new CliError(
      `no encryption key file at ${path}: the server makes one at its first start; nothing to rotate`,
    );
  }
  const pending = server.readKeyFile(nextPath);
  const fromFile = opts.newKeyFile ? readNewKeyFile(server, opts.newKeyFile) : undefined;
  if (pending && fromFile && fromFile.id !== pending.id) {
    throw new UsageError(
      `${nextPath} holds the new key of an unfinished rotation; run \`sluice block rotate-key\` without --new-key-file to finish it first`,
    );
  }
  if (pending) printNote(`Finishing the rotation to the key in ${nextPath} (${pending.id}).`);
  const newKey = pending ?? fromFile ?? server.generateEncryptionKey();
  return {
    keyring: new server.Keyring(current, [...(pending ? [pending] : []), ...config.previousEncryptionKeys]),
    newKey,
    saveNewKey: () => {
      if (!pending) server.writeKeyFileExclusive(nextPath, newKey);
    },
    // After the commit every block needs the new key: put it where the server reads its key.
    finish: () => renameSync(nextPath, path),
    nextSteps: () => [
      `${path} now holds key ${newKey.id}; the old key ${current.id} is no longer kept (database backups taken before now need it).`,
    ],
  };
}

function printSummary(summary: KeyRotationSummary): void {
  const n = summary.reEncrypted;
  printLine(`Re-encrypted ${n} block${n === 1 ? "" : "s"} under key ${summary.newKeyId}.`);
  for (const [keyId, count] of Object.entries(summary.previousKeys))
    printLine(`  from key ${keyId}: ${count}`);
}

/** `sluice block rotate-key`: works on the database directly, like `sluice db upgrade`. */
export function registerRotateKeyCommand(block: Command): void {
  block
    .command("rotate-key")
    .description(
      "Re-encrypt every block under a new key, in one transaction (works on the database directly)",
    )
    .option("--new-key-file <path>", "use the key in this file (base64 or hex) instead of generating one")
    .option(
      "--new-key-out <path>",
      "with SLUICE_ENCRYPTION_KEY: write the generated key here (mode 0600, must not exist)",
    )
    .action(async (opts: RotateOptions) => {
      const server = await import("@sluice/server");
      const config = server.loadServerConfig(process.env);
      let plan: RotationPlan;
      if (config.encryptionKey) plan = environmentPlan(server, config.encryptionKey, config, opts);
      else if (config.databaseUrl)
        throw new CliError(`${server.MISSING_KEY_MESSAGE} Set it to the current key to rotate.`);
      else plan = keyFilePlan(server, config, opts);
      await withDatabase(async (srv, db, where) => {
        if (!(await srv.isSchemaCurrent(db))) {
          throw new CliError(`the database (${where}) is not migrated; run \`sluice db upgrade\` first`);
        }
        const summary = await withProgress("Re-encrypting blocks", () =>
          srv.reencryptBlocks(db, plan.keyring, plan.newKey, () => plan.saveNewKey()),
        );
        plan.finish();
        printNote(`Database: ${where}`);
        printSummary(summary);
        for (const line of plan.nextSteps()) printLine(line);
      });
    });
}
