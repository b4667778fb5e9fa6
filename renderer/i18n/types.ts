// Type-checked translation keys: t('login.title') compiles only if the key exists in `en`,
// and `zh` must have exactly the same shape (see zh.ts).
import type { en } from './en';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

/** The shape every language's messages must have: the same keys as English, any text. */
export type MessageShape<T> = { [K in keyof T]: T[K] extends string ? string : MessageShape<T[K]> };
