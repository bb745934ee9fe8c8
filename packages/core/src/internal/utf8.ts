/** UTF-8 helpers shared by validation and signing. */

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** The UTF-8 bytes of a string. */
export const bytes = (text: string): Uint8Array => encoder.encode(text)

/** The number of UTF-8 bytes a string takes. */
export const byteLength = (text: string): number => encoder.encode(text).length

/** Decodes UTF-8 bytes to a string. */
export const text = (data: Uint8Array): string => decoder.decode(data)
