import type { PiiMatch } from './analyzer.js';

/** Honorifics: a capitalised name right after one is a person at score 0.85. */
export const PERSON_HONORIFICS = ['Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Dr', 'Prof', 'Sir', 'Dame'];

/** Cue words and phrases: a capitalised name right after one (and an optional ':' or 'is') is a person at 0.6. */
export const PERSON_CUES = [
  'name',
  'named',
  'patient',
  'customer',
  'client',
  'employee',
  'applicant',
  'tenant',
  'member',
  'contact',
  'dear',
  'attn',
  'signed',
  'signed by',
  'reviewed by',
  'approved by',
  'prepared by',
  'written by',
  'seen by',
  'treated by',
  'referred by',
  'submitted by',
  'reported by',
  'cc',
  'nurse',
  'officer',
  'agent',
  'holder',
  'cardholder',
  'owner',
  'guest',
  'witness',
];

// Capitalised words that follow a cue but are not names ("Customer Service", "name: Unknown").
const NOT_NAMES = new Set(
  (
    'The A An This That These Those It He She They We You I Our Your His Her Their My Service Services ' +
    'Support Portal Account Accounts Number Id ID Care Record Records Relations Success Experience Team ' +
    'Name Names Unknown None Please Thank Thanks Hello Hi Sir Madam All Group Department Office Desk ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June ' +
    'July August September October November December Email Phone Address Card Date Street Road Ave ' +
    'Avenue Hospital Clinic Bank Inc Ltd LLC Corp Company Mobile Number Status Code Order Invoice Ref ' +
    'Yes No Not Is Was Has Had Data File Report Manager Admin Administrator Customer Patient Client Valued'
  )
    .split(' ')
    .concat(PERSON_HONORIFICS),
);

const TOKEN = String.raw`(?:\p{Lu}'\p{Lu}\p{Ll}+|(?:Mc|Mac)?\p{Lu}\p{Ll}+)(?:-\p{Lu}\p{Ll}+)?`;
const INITIAL = String.raw`\p{Lu}\.`;
const cue = (w: string) => `[${w[0].toUpperCase()}${w[0]}]${w.slice(1)}`;
const HONORIFIC_RE = new RegExp(
  String.raw`(?<![\p{L}])(?:${PERSON_HONORIFICS.join('|')})\.? +((?:${INITIAL} ?)?${TOKEN}(?: +(?:${INITIAL} )?${TOKEN}){0,2})`,
  'gu',
);
const CUE_RE = new RegExp(
  String.raw`(?<![\p{L}])(?:${PERSON_CUES.map(cue).join('|')})(?: +is)?(?: *[:,-] *| +)(${TOKEN}(?: +(?:${INITIAL} )?${TOKEN}){0,2})`,
  'gu',
);

function trimNonNames(name: string): string | undefined {
  const words = name.split(/ +/);
  let end = words.length;
  while (end > 0 && NOT_NAMES.has(words[end - 1].replace(/\.$/, ''))) end--;
  if (end === 0 || NOT_NAMES.has(words[0])) return undefined;
  return words.slice(0, end).join(' ');
}

/**
 * Finds person names by context alone (no NER model): one to three capitalised tokens right after
 * an honorific (Mr., Dr., ... → 0.85) or a cue word ("name:", "patient", "customer", "Dear", ...
 * → 0.6). The span covers the name, not the cue. Names without such a cue are not found.
 */
export function personMatches(text: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  const scan = (regex: RegExp, score: number, requireCue: boolean) => {
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      const name = trimNonNames(m[1]);
      if (name === undefined) continue;
      // One word after a weak cue ("member Since") is too weak; after "name:" or "Dear" it is a name.
      if (requireCue && !/ /.test(name) && !/^(name|named|dear|patient|customer|client)/i.test(m[0]))
        continue;
      const start = m.index + m[0].length - m[1].length;
      out.push({ entity: 'PERSON', start, end: start + name.length, score, text: name });
      regex.lastIndex = start + name.length;
    }
  };
  scan(HONORIFIC_RE, 0.85, false);
  scan(CUE_RE, 0.6, true);
  return out;
}
