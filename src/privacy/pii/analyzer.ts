import { InvalidParameterError } from '../../core/index.js';
import { personMatches } from './person.js';
import { PII_ENTITIES, PII_RECOGNIZERS, type PiiEntity, type PiiRecognizer } from './recognizers.js';

/** One detected span: `text.slice(start, end)` is `text`. */
export interface PiiMatch {
  /** Entity type. */
  entity: PiiEntity;
  /** Start offset (UTF-16 code units, inclusive). */
  start: number;
  /** End offset (exclusive). */
  end: number;
  /** Confidence in [0, 1]. */
  score: number;
  /** The matched text. */
  text: string;
}

/** Options of `scanText`. */
export interface ScanTextOptions {
  /** Entity types to report (default: all). */
  entities?: readonly PiiEntity[];
  /** Matches scoring below this are dropped (default 0.4: a "very weak" pattern needs a context word). */
  minScore?: number;
  /** Pattern recognizers to run (default: `PII_RECOGNIZERS`). */
  recognizers?: readonly PiiRecognizer[];
  /** Score added by a context word (Presidio's context_similarity_factor, default 0.35). */
  contextBoost?: number;
  /** Floor of a context-boosted score (Presidio's min_score_with_context_similarity, default 0.4). */
  minScoreWithContext?: number;
  /** Tokens before a match searched for context words (Presidio's context_prefix_count, default 5). */
  contextWindow?: number;
}

/** Checks an entity list (e.g. from a CLI flag) and returns it typed. */
export function checkPiiEntities(entities: readonly string[], where = 'scanText'): PiiEntity[] {
  const bad = entities.filter((e) => !(PII_ENTITIES as readonly string[]).includes(e));
  if (bad.length > 0) {
    throw new InvalidParameterError(
      `The 'entities' option of ${where} must list entity types among ${PII_ENTITIES.join(', ')}. Got '${bad.join(', ')}' instead.`,
    );
  }
  return [...entities] as PiiEntity[];
}

function hasContext(text: string, start: number, words: readonly string[], window: number): boolean {
  if (words.length === 0) return false;
  const before = text.slice(Math.max(0, start - 200), start).toLowerCase();
  const tokens = before.match(/[\p{L}\p{N}]+/gu) ?? [];
  return tokens.slice(-window).some((t) => words.some((w) => t === w || t === `${w}s` || t === `${w}es`));
}

function validated(
  r: PiiRecognizer,
  text: string,
): { text: string; verdict: boolean | undefined } | undefined {
  let candidate = text;
  for (;;) {
    const verdict = r.validate ? r.validate(candidate) : undefined;
    if (verdict !== false) return { text: candidate, verdict };
    const cut = Math.max(candidate.lastIndexOf(' '), candidate.lastIndexOf('-'));
    if (!r.shrinkOnInvalid || cut <= 0) return undefined;
    candidate = candidate.slice(0, cut);
  }
}

/**
 * Keeps the best of overlapping matches: higher score first, then the longer span, then the
 * earlier one (Presidio's analyzer keeps overlaps of different types; Steward resolves them so
 * each character is redacted once).
 */
export function resolvePiiOverlaps(matches: readonly PiiMatch[]): PiiMatch[] {
  const order = [...matches].sort(
    (a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: PiiMatch[] = [];
  for (const m of order) {
    if (kept.every((k) => m.end <= k.start || m.start >= k.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Finds PII in a text, as Presidio's AnalyzerEngine does with its pattern recognizers and the
 * LemmaContextAwareEnhancer: each regex match starts at its pattern's score; validation sets it
 * to 1.0 (valid checksum) or drops it (invalid); a context word among the `contextWindow` tokens
 * before an unvalidated match gives `score = max(min(score + 0.35, 1), 0.4)`; overlaps are resolved
 * by score, then length. Token matching is by lower-cased word or its plural, not by lemma.
 */
export function scanText(text: string, options: ScanTextOptions = {}): PiiMatch[] {
  const minScore = options.minScore ?? 0.4;
  if (!(minScore >= 0 && minScore <= 1)) {
    throw new InvalidParameterError(
      `The 'minScore' option of scanText must be in [0, 1]. Got ${minScore} instead.`,
    );
  }
  const boost = options.contextBoost ?? 0.35;
  const floor = options.minScoreWithContext ?? 0.4;
  const window = options.contextWindow ?? 5;
  const wanted = new Set(options.entities ?? PII_ENTITIES);
  const found: PiiMatch[] = [];
  for (const r of options.recognizers ?? PII_RECOGNIZERS) {
    if (!wanted.has(r.entity)) continue;
    for (const p of r.patterns) {
      const regex = p.regex.global ? p.regex : new RegExp(p.regex.source, `${p.regex.flags}g`);
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        if (m[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        const trimmed = r.entity === 'URL' ? m[0].replace(/[.,;:!?'"]+$/, '') : m[0];
        const v = validated(r, trimmed);
        if (v === undefined) continue;
        let score = v.verdict === true ? 1 : p.score;
        if (v.verdict !== true) {
          if (hasContext(text, m.index, r.context, window)) {
            score = Math.max(Math.min(score + boost, 1), floor);
          } else if (hasContext(text, m.index, r.negativeContext ?? [], window)) {
            continue;
          }
        }
        found.push({ entity: r.entity, start: m.index, end: m.index + v.text.length, score, text: v.text });
      }
    }
  }
  if (wanted.has('PERSON')) found.push(...personMatches(text));
  return resolvePiiOverlaps(found.filter((m) => m.score >= minScore));
}
