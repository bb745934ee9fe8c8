/** The published packages, packed and installed into a fresh npm application (see test/Packaging.test.ts). */
import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

export default mergeConfig(shared, defineProject({ test: { name: "packaging" } }))
