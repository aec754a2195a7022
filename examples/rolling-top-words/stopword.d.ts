// The `stopword` package (v3) ships no types; these are the parts the example uses.
declare module 'stopword' {
  /** Removes the words of `stopwords` (English by default) from `words`. */
  export function removeStopwords(words: string[], stopwords?: string[]): string[];
  /** The English stop-word list. */
  export const eng: string[];
}
