// The bundle's precompiled schema validators (script/validators.mjs generates one module per schema at build time).
declare module 'hmm-watch-validator:*' {
  import type { ValidateFunction } from 'ajv';
  export const validators: Record<string, ValidateFunction>;
}
