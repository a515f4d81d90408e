// @ts-check
import js from "@eslint/js";
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/**
 * Package boundaries (STYLE.md): B may import A where A <- B.
 * contracts <- client <- sdk, worker, cli, ui ; contracts <- server <- cli ; worker <- cli.
 * The ui (browser code) reaches the server only through @sluice/client, never @sluice/server.
 * The sdk may load @sluice/server only through a dynamic import for ephemeral mode (docs/decisions/0003).
 */
/** @type {Record<string, string[]>} */
const allowed = {
  contracts: [],
  client: ["contracts"],
  server: ["contracts"],
  sdk: ["contracts", "client"],
  worker: ["contracts", "client"],
  cli: ["contracts", "client", "server", "sdk", "worker"],
  ui: ["contracts", "client"],
};

const boundaryConfigs = Object.entries(allowed).map(([pkg, deps]) => {
  const forbidden = Object.keys(allowed).filter((p) => p !== pkg && !deps.includes(p));
  /** @type {import("eslint").Linter.Config} */
  const config = {
    files: [`packages/${pkg}/src/**/*.ts`, `packages/${pkg}/src/**/*.tsx`],
    // The ui's tests run in Node and start a real server process; the browser rules are for the app.
    ...(pkg === "ui"
      ? { ignores: ["**/*.test.ts", "**/*.test.tsx", "**/*.test-helper.ts", "**/*.test-helper.tsx"] }
      : {}),
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...forbidden.map((p) => ({
              group: [`@sluice/${p}`, `@sluice/${p}/*`],
              message: `@sluice/${pkg} may not import @sluice/${p} (see the dependency rule in docs/ARCHITECTURE.md).`,
            })),
            { group: ["@sluice/*/src/*"], message: "Import another package through its entry point." },
            ...(pkg === "contracts" ? [{ group: ["node:*"], message: "contracts does no I/O." }] : []),
            ...(pkg === "ui" ? [{ group: ["node:*"], message: "the ui runs in the browser." }] : []),
          ],
        },
      ],
    },
  };
  return config;
});

export default tseslint.config(
  {
    ignores: [
      "packages/*/bin/**",
      "**/dist/**",
      "**/node_modules/**",
      "coverage/**",
      ".sluice/**",
      "docs/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "import-x": importX },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/only-throw-error": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "no-empty": ["error", { allowEmptyCatch: false }],
    },
  },
  {
    files: [
      "**/*.test.ts",
      "**/*.test.tsx",
      "**/*.test-helper.ts",
      "**/*.test-helper.tsx",
      "tests/**/*.ts",
      "bench/**/*.ts",
    ],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      // Benchmarks and tests use async no-ops on purpose: they stand for task bodies.
      "@typescript-eslint/require-await": "off",
    },
  },
  ...boundaryConfigs,
);
