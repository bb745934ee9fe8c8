/**
 * One linter and one formatter for the whole repository: typescript-eslint's recommended rules, and
 * dprint through `@effect/eslint-plugin` with Effect's own style (2 spaces, 120 columns, no
 * semicolons, double quotes, no trailing commas). `pnpm lint` checks; `pnpm lint:fix` formats.
 */
import * as effect from "@effect/eslint-plugin"
import tseslint from "typescript-eslint"

export default tseslint.config(
  {
    ignores: ["**/dist/**", "**/build/**", "**/docs/**", "**/node_modules/**", "**/.tmp/**", "benchmarks/results/**"]
  },
  ...tseslint.configs.recommended,
  ...effect.configs.dprint,
  {
    rules: {
      "@effect/dprint": ["error", {
        config: {
          indentWidth: 2,
          lineWidth: 120,
          semiColons: "asi",
          quoteStyle: "alwaysDouble",
          trailingCommas: "never",
          operatorPosition: "maintain",
          "arrowFunction.useParentheses": "force"
        }
      }],
      // Unused parameters are named with a leading underscore; `exactOptionalPropertyTypes` and the
      // compiler's noUnused* checks cover the rest.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }]
    }
  },
  {
    // Tests read untyped JSON answers and feed the server deliberately ill-typed bodies.
    files: ["**/test/**/*.ts", "**/timing/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" }
  }
)
