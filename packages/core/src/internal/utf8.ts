/** UTF-8 helpers shared by validation and signing. */

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** The UTF-8 bytes of a string. */
export const bytes = (text: string): Uint8Array => encoder.encode(text)

/** The number of UTF-8 bytes a string takes, counted without encoding it (lone surrogates count 3, as encoded). */
export const byteLength = (text: string): number => {
  let length = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) length += 1
    else if (code < 0x800) length += 2
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += 4
        i++
      } else length += 3
    } else length += 3
  }
  return length
}

/** Decodes UTF-8 bytes to a string. */
export const text = (data: Uint8Array): string => decoder.decode(data)
