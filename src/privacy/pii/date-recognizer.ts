import { type PiiRecognizer, piiRegex as re } from './pii-recognizer.js';

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const WEEKDAY = String.raw`(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?\.?,? )?`;
const D = String.raw`(?:0?[1-9]|[12]\d|3[01])`;
const M = '(?:0?[1-9]|1[0-2])';
/** Presidio's DateRecognizer patterns, plus month-name dates ("March 4, 2022", "4 March 2022"). */
export const dateRecognizer: PiiRecognizer = {
  name: 'DateRecognizer',
  entity: 'DATE_TIME',
  patterns: [
    {
      name: 'ISO 8601 datetime',
      regex: re(
        String.raw`\b\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T[0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:[+-][0-2]\d:[0-5]\d|Z)`,
      ),
      score: 0.8,
    },
    {
      name: 'dd/mm/yyyy or mm/dd/yyyy',
      regex: re(String.raw`(?<![\d/])(?:${D}/${M}|${M}/${D})/(?:\d{4}|\d{2})(?![\d/])`),
      score: 0.6,
    },
    { name: 'yyyy/mm/dd', regex: re(String.raw`(?<![\d/])\d{4}/${M}/${D}(?![\d/])`), score: 0.6 },
    {
      name: 'dd-mm-yyyy or mm-dd-yyyy',
      regex: re(String.raw`(?<![\d-])(?:${D}-${M}|${M}-${D})-\d{4}(?![\d-])`),
      score: 0.6,
    },
    { name: 'yyyy-mm-dd', regex: re(String.raw`(?<![\d-])\d{4}-${M}-${D}(?![\d-]|T\d)`), score: 0.6 },
    {
      name: 'dd.mm.yyyy',
      regex: re(String.raw`(?<![\d.])${D}\.${M}\.(?:\d{4}|\d{2})(?!\d|\.\d)`),
      score: 0.6,
    },
    { name: 'dd-MMM-yyyy', regex: re(String.raw`\b${D}-${MONTH}-(?:\d{4}|\d{2})\b`, 'i'), score: 0.6 },
    {
      name: 'Month d, yyyy',
      regex: re(String.raw`\b${WEEKDAY}${MONTH}\.? ${D}(?:st|nd|rd|th)?,? \d{4}\b`),
      score: 0.6,
    },
    {
      name: 'd Month yyyy',
      regex: re(String.raw`\b${WEEKDAY}${D}(?:st|nd|rd|th)? (?:of )?${MONTH}\.?,? \d{4}\b`),
      score: 0.6,
    },
    { name: 'mm/yyyy', regex: re(String.raw`(?<![\d/])${M}/\d{4}(?![\d/])`), score: 0.2 },
    { name: 'mm/yy', regex: re(String.raw`(?<![\d/.])${M}/\d{2}(?![\d/])`), score: 0.1 },
  ],
  context: ['date', 'birthday', 'born', 'dob', 'birth', 'expiry', 'expires'],
};
