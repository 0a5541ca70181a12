/** steward/privacy/accountant: the RDP and PRV accountants of the Sampled Gaussian Mechanism (as Opacus) and the privacy budget ledger. */
export { erfc, erfcx, logNdtr, ndtr } from './log-ndtr.js';
export { MAX_NOISE_MULTIPLIER, type NoiseMultiplierOptions, noiseMultiplierFor } from './noise-multiplier.js';
export {
  composeBasic,
  LEDGER_RELATIVE_SLACK,
  PRIVACY_LEDGER_FORMAT,
  type PrivacyCharge,
  type PrivacyCost,
  PrivacyLedger,
  type PrivacyLedgerEntry,
  type PrivacyLedgerSummary,
} from './privacy-ledger.js';
export { type PrvEpsilon, type PrvEpsilonOptions, prvEpsilon } from './prv.js';
export {
  computeRdp,
  type EpsilonAtOrder,
  epsilonForSgm,
  OPACUS_DEFAULT_ORDERS,
  rdpToEpsilon,
  type SgmEpsilonOptions,
} from './rdp.js';
export { RdpAccountant, restoreRdpAccountant, type SgmHistoryEntry } from './rdp-accountant.js';
