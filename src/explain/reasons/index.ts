/** steward/explain/reasons: Regulation B style principal reasons for adverse decisions, ranked by SHAP and rendered from templates. */
export * from './reason-codes.js';
export {
  type CellValue,
  DEFAULT_REASON_TEMPLATE,
  REASON_PLACEHOLDERS,
  type ReasonPlaceholder,
} from './reason-templates.js';
