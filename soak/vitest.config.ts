/** The soak's own logic (its plan, fault shares, options and checks) on small made-up runs; the soak itself is `pnpm soak`. */
import { defineProject, mergeConfig } from "vitest/config"
import shared from "../vitest.shared.js"

export default mergeConfig(shared, defineProject({ test: { name: "soak" } }))
