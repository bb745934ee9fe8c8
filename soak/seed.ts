/** Creates the soak's accounts in the emulator, over its control endpoints (`plan.ts` says which). */
import type { EmulatorProcess } from "../benchmarks/emulator.js"
import { attrAccount, attrNames, attrsFor, lookupAccount, ownedAccount, type Population, tagsFor } from "./plan.js"

/** Seeds lookup, attribute and owned accounts, and names the attributes. */
export const seed = async (emulator: EmulatorProcess, population: Population, processes: number) => {
  await emulator.seedRange(population.lookups, lookupAccount, tagsFor)
  await emulator.setAttrNames(attrNames)
  await emulator.seedRange(population.attrs, attrAccount)
  const values: Record<string, Record<string, string>> = {}
  for (let i = 0; i < population.attrs; i++) {
    const attrs = attrsFor(i)
    if (Object.keys(attrs).length > 0) values[attrAccount(i)] = { ...attrs }
  }
  await emulator.seedAttrs(values)
  for (let w = 0; w < processes; w++) await emulator.seedRange(population.perWorker, (j) => ownedAccount(w, j), tagsFor)
}
