// The reference Porter algorithm, as the engine's porter_stem filter applies it,
// with Porter's own two departures: "bli" -> "ble" and "logi" -> "log".

const step2list: Record<string, string> = {
  ational: 'ate', tional: 'tion', enci: 'ence', anci: 'ance', izer: 'ize', bli: 'ble', alli: 'al',
  entli: 'ent', eli: 'e', ousli: 'ous', ization: 'ize', ation: 'ate', ator: 'ate', alism: 'al',
  iveness: 'ive', fulness: 'ful', ousness: 'ous', aliti: 'al', iviti: 'ive', biliti: 'ble', logi: 'log',
};
const step3list: Record<string, string> = { icate: 'ic', ative: '', alize: 'al', iciti: 'ic', ical: 'ic', ful: '', ness: '' };

const c = '[^aeiou]';
const v = '[aeiouy]';
const C = `${c}[^aeiouy]*`;
const V = `${v}[aeiou]*`;
const mgr0 = new RegExp(`^(${C})?${V}${C}`);
const meq1 = new RegExp(`^(${C})?${V}${C}(${V})?$`);
const mgr1 = new RegExp(`^(${C})?${V}${C}${V}${C}`);
const sV = new RegExp(`^(${C})?${v}`);
const cvc = new RegExp(`^${C}${v}[^aeiouwxy]$`);
const step1a1 = /^(.+?)(ss|i)es$/;
const step1a2 = /^(.+?)([^s])s$/;
const step1b1 = /^(.+?)eed$/;
const step1b2 = /^(.+?)(ed|ing)$/;
const step1bAtBlIz = /(at|bl|iz)$/;
const step1bDouble = /([^aeiouylsz])\1$/;
const step1c = /^(.+?)y$/;
const step2 = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const step3 = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
const step4 = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
const step4ion = /^(.+?)(s|t)(ion)$/;
const step5 = /^(.+?)e$/;

/** The Porter stemmer on one lowercase word. */
export function porterStem(word: string): string {
  if (word.length < 3) return word;
  let w = word;
  const firstY = w.startsWith('y');
  if (firstY) w = `Y${w.slice(1)}`;

  let m = step1a1.exec(w);
  if (m) w = `${m[1]}${m[2]}`;
  else if ((m = step1a2.exec(w))) w = `${m[1]}${m[2]}`;

  if ((m = step1b1.exec(w))) {
    if (mgr0.test(m[1] ?? '')) w = w.slice(0, -1);
  } else if ((m = step1b2.exec(w))) {
    const stem = m[1] ?? '';
    if (sV.test(stem)) {
      w = stem;
      if (step1bAtBlIz.test(w)) w += 'e';
      else if (step1bDouble.test(w)) w = w.slice(0, -1);
      else if (cvc.test(w)) w += 'e';
    }
  }

  if ((m = step1c.exec(w))) {
    const stem = m[1] ?? '';
    if (sV.test(stem)) w = `${stem}i`;
  }

  if ((m = step2.exec(w))) {
    const stem = m[1] ?? '';
    if (mgr0.test(stem)) w = stem + (step2list[m[2] ?? ''] ?? '');
  }

  if ((m = step3.exec(w))) {
    const stem = m[1] ?? '';
    if (mgr0.test(stem)) w = stem + (step3list[m[2] ?? ''] ?? '');
  }

  if ((m = step4.exec(w))) {
    const stem = m[1] ?? '';
    if (mgr1.test(stem)) w = stem;
  } else if ((m = step4ion.exec(w))) {
    const stem = `${m[1]}${m[2]}`;
    if (mgr1.test(stem)) w = stem;
  }

  if ((m = step5.exec(w))) {
    const stem = m[1] ?? '';
    if (mgr1.test(stem) || (meq1.test(stem) && !cvc.test(stem))) w = stem;
  }
  if (w.endsWith('ll') && mgr1.test(w)) w = w.slice(0, -1);

  if (firstY) w = `y${w.slice(1)}`;
  return w;
}
