//! Function words, per language, and the cheap detector that picks them.
//!
//! An n-gram made only of function words ("of the", "in a", "it was")
//! occurs in nearly every English article: it is no evidence of copying,
//! and left in it lifts the similarity of unrelated articles, which costs
//! LSH candidates by the million on large corpora. Such n-grams are not
//! shingles. (Function words inside an n-gram with a content word stay:
//! they anchor the phrase, and spinners seldom replace them.)

/// The function words, lower-case.
pub const WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "out", "over", "own", "said", "same", "says",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until",
    "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "whom", "why", "will", "with", "would", "you", "your", "yours", "s", "t", "would've", "may",
    "might", "must", "shall", "since", "though", "although", "yet", "per", "via", "upon", "within",
    "without", "among",
];

/// Spanish function words (folded: lower case, accents kept).
pub const SPANISH: &[&str] = &[
    "a", "al", "algo", "algunos", "ante", "antes", "aquí", "así", "aunque", "bien", "cada", "como",
    "con", "contra", "cual", "cuando", "de", "del", "desde", "donde", "dijo", "durante", "e", "el",
    "él", "ella", "ellas", "ellos", "en", "entre", "era", "es", "esa", "ese", "eso", "esta",
    "está", "están", "este", "esto", "estos", "fue", "fueron", "ha", "había", "han", "hasta",
    "hay", "la", "las", "le", "les", "lo", "los", "más", "me", "mi", "muy", "ni", "no", "nos", "o",
    "otra", "otro", "otros", "para", "pero", "por", "porque", "que", "qué", "se", "sea", "según",
    "ser", "si", "sí", "sin", "sino", "sobre", "son", "su", "sus", "también", "tan", "te", "tiene",
    "todo", "todos", "tras", "tu", "un", "una", "uno", "unos", "y", "ya",
];

/// French function words (elided forms folded as `normalize` folds them:
/// `qu'il` -> `quil`).
pub const FRENCH: &[&str] = &[
    "à",
    "a",
    "ai",
    "après",
    "au",
    "aussi",
    "aux",
    "avait",
    "avant",
    "avec",
    "avons",
    "ce",
    "celle",
    "ces",
    "cest",
    "cet",
    "cette",
    "ceux",
    "chez",
    "comme",
    "dans",
    "de",
    "des",
    "déjà",
    "dont",
    "du",
    "dun",
    "dune",
    "elle",
    "elles",
    "en",
    "entre",
    "est",
    "et",
    "été",
    "était",
    "être",
    "il",
    "ils",
    "je",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "lors",
    "lui",
    "mais",
    "me",
    "même",
    "mes",
    "ne",
    "notamment",
    "nous",
    "on",
    "ont",
    "ou",
    "où",
    "par",
    "pas",
    "plus",
    "pour",
    "qu",
    "que",
    "quil",
    "qui",
    "sa",
    "sans",
    "se",
    "selon",
    "sera",
    "ses",
    "son",
    "sont",
    "sur",
    "ta",
    "te",
    "tes",
    "ton",
    "tous",
    "tout",
    "très",
    "tu",
    "un",
    "une",
    "vous",
    "y",
];

/// German function words (`ß` folded to `ss`).
pub const GERMAN: &[&str] = &[
    "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bis", "da", "damit", "dann", "das",
    "dass", "dem", "den", "der", "des", "die", "doch", "dort", "du", "durch", "ein", "eine",
    "einem", "einen", "einer", "eines", "er", "es", "für", "gegen", "hat", "hatte", "hier", "ich",
    "ihm", "ihn", "ihr", "im", "in", "ist", "ja", "jetzt", "kann", "kein", "keine", "laut", "man",
    "mehr", "mit", "nach", "nicht", "noch", "nun", "nur", "ob", "oder", "ohne", "sagte", "schon",
    "sehr", "sein", "seine", "sich", "sie", "sind", "so", "über", "um", "und", "uns", "unter",
    "vom", "von", "vor", "war", "waren", "was", "weil", "wenn", "werden", "wie", "wieder", "wir",
    "wird", "wurde", "wurden", "zu", "zum", "zur", "zwischen",
];

/// Portuguese function words.
pub const PORTUGUESE: &[&str] = &[
    "a", "à", "ao", "aos", "após", "as", "até", "com", "como", "da", "das", "de", "disse", "do",
    "dos", "e", "é", "ela", "ele", "eles", "em", "entre", "era", "essa", "esse", "está", "foi",
    "há", "isso", "já", "mais", "mas", "me", "muito", "na", "não", "nas", "no", "nos", "o", "os",
    "ou", "para", "pela", "pelo", "por", "que", "se", "segundo", "sem", "ser", "seu", "seus",
    "sobre", "sua", "suas", "são", "também", "tem", "um", "uma", "umas", "uns",
];

/// Italian function words (`l'anno` folds to one word and is not one).
pub const ITALIAN: &[&str] = &[
    "a", "al", "alla", "alle", "anche", "aveva", "che", "ci", "come", "con", "da", "dal", "dalla",
    "degli", "dei", "del", "della", "delle", "detto", "di", "dopo", "e", "è", "ed", "era",
    "essere", "gli", "ha", "hanno", "i", "il", "in", "io", "la", "le", "lo", "loro", "ma", "mi",
    "ne", "nel", "nella", "non", "o", "per", "più", "quando", "questa", "questo", "se", "secondo",
    "si", "sono", "stata", "stato", "su", "sua", "sulla", "suo", "tra", "un", "una", "uno",
];

/// Russian function words.
pub const RUSSIAN: &[&str] = &[
    "а",
    "без",
    "более",
    "бы",
    "был",
    "была",
    "были",
    "было",
    "в",
    "вам",
    "вас",
    "весь",
    "во",
    "вот",
    "все",
    "всех",
    "вы",
    "где",
    "да",
    "для",
    "до",
    "его",
    "ее",
    "её",
    "если",
    "есть",
    "еще",
    "ещё",
    "же",
    "за",
    "заявил",
    "и",
    "из",
    "или",
    "им",
    "их",
    "к",
    "как",
    "когда",
    "который",
    "которые",
    "кто",
    "ли",
    "между",
    "меня",
    "мне",
    "может",
    "мы",
    "на",
    "над",
    "нас",
    "не",
    "него",
    "нее",
    "нет",
    "ни",
    "них",
    "но",
    "о",
    "об",
    "однако",
    "он",
    "она",
    "они",
    "оно",
    "от",
    "по",
    "под",
    "при",
    "с",
    "со",
    "сообщил",
    "так",
    "также",
    "то",
    "того",
    "тоже",
    "только",
    "том",
    "ту",
    "у",
    "уже",
    "чем",
    "что",
    "чтобы",
    "эти",
    "это",
    "этого",
    "этой",
    "я",
];

/// The function words as a set of word hashes: shingling sees words as
/// hashes, so the test is one probe of a small table.
pub type StopSet = crate::normalize::WordSet;

/// The English function words above, as a [`StopSet`].
pub fn english() -> StopSet {
    StopSet::of(WORDS)
}

/// The function-word sets of the languages covered, and the detector
/// that picks one per article.
///
/// Why per language: in Spanish "de la", "en el" or in Russian "и в" are
/// what "of the" is in English, shared by every article, so they must be
/// skipped the same way; with English words only, a Spanish article kept
/// every such bigram and unrelated Spanish stories looked alike.
///
/// The detector: the first [`SAMPLE`] words are looked up in the English
/// set; when at least a quarter are English function words (English
/// running text has 40-50%, other languages' texts a few percent, from
/// shared spellings such as "a", "in", "no"), the article is English and
/// nothing else is looked up. Otherwise each other set is counted over the
/// same words and the one with most hits is taken, if it has more hits
/// than English and at least [`MIN_HITS`]; else English (a text of names,
/// numbers or a script with no list, such as Chinese or Arabic, keeps the
/// English set, which matches none of its words). Function words make up
/// a third or more of running text in every one of these languages, and
/// the lists overlap little beyond one-letter words, so a few dozen words
/// decide.
#[derive(Debug, Clone)]
pub struct Languages {
    english: StopSet,
    others: Vec<(&'static str, StopSet)>,
}

/// Words an article's language is judged on.
pub const SAMPLE: usize = 64;
/// Hits a language other than English needs to be chosen.
pub const MIN_HITS: usize = 4;

impl Default for Languages {
    fn default() -> Self {
        Self::new()
    }
}

impl Languages {
    /// The sets of English, Spanish, French, German, Portuguese, Italian
    /// and Russian.
    pub fn new() -> Self {
        Languages {
            english: english(),
            others: [
                ("es", SPANISH),
                ("fr", FRENCH),
                ("de", GERMAN),
                ("pt", PORTUGUESE),
                ("it", ITALIAN),
                ("ru", RUSSIAN),
            ]
            .into_iter()
            .map(|(l, w)| (l, StopSet::of(w)))
            .collect(),
        }
    }

    /// The language of an article's word hashes (`"en"`, `"es"`, ...; see
    /// the type's docs) and its function words.
    pub fn detect(&self, words: &[u64]) -> (&'static str, &StopSet) {
        let sample = &words[..words.len().min(SAMPLE)];
        let hits = |set: &StopSet| sample.iter().filter(|&&h| set.contains_hash(h)).count();
        let en = hits(&self.english);
        if 4 * en >= sample.len() {
            return ("en", &self.english);
        }
        let mut best = ("en", &self.english, en.max(MIN_HITS - 1));
        for (lang, set) in &self.others {
            let n = hits(set);
            if n > best.2 {
                best = (lang, set, n);
            }
        }
        (best.0, best.1)
    }
}

/// Whether a folded (lower-case) word is an English function word.
pub fn is_stopword(w: &[u8]) -> bool {
    WORDS.iter().any(|s| s.as_bytes() == w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_agrees_with_list() {
        let set = english();
        for w in WORDS {
            assert!(set.contains(w.as_bytes()), "{w}");
        }
        for w in ["minister", "pakistan", "thee", "", "becauseof"] {
            assert!(!set.contains(w.as_bytes()), "{w}");
        }
    }

    fn detect(text: &str) -> &'static str {
        let words: Vec<u64> = text
            .split(' ')
            .map(|w| crate::normalize::word_hash(w.as_bytes()))
            .collect();
        Languages::new().detect(&words).0
    }

    #[test]
    fn detector_picks_the_language() {
        assert_eq!(
            detect("the minister said on monday that the talks of the union would go on"),
            "en"
        );
        assert_eq!(
            detect("el gobierno de españa anunció que los precios de la energía bajarán en el mes"),
            "es"
        );
        assert_eq!(
            detect("le gouvernement a annoncé que les prix de lénergie vont baisser dans le pays"),
            "fr"
        );
        assert_eq!(
            detect(
                "die regierung hat am montag mitgeteilt dass die preise für energie nicht steigen"
            ),
            "de"
        );
        assert_eq!(detect("o governo disse que os preços da energia vão cair no próximo mês segundo o ministro"), "pt");
        assert_eq!(detect("il governo ha detto che i prezzi della energia scenderanno nel mese secondo il ministro"), "it");
        assert_eq!(
            detect("правительство заявило что цены на энергию в стране не будут расти и это"),
            "ru"
        );
        // No list, no function words: English, whose set matches nothing.
        assert_eq!(detect("東 京 都 は 発 表 し た"), "en");
        assert_eq!(detect("Acme Corp 2024 Q3 Lahore Oslo"), "en");
    }

    #[test]
    fn every_list_is_folded() {
        let n = crate::normalize::Normalizer::new(&[]).unwrap();
        // (The English list predates this test and holds "would've", which
        // folds to "wouldve": left as it is, so English shingles do not change.)
        for list in [SPANISH, FRENCH, GERMAN, PORTUGUESE, ITALIAN, RUSSIAN] {
            for w in list {
                assert_eq!(n.normalize(w).text, *w, "{w}");
            }
        }
    }

    #[test]
    fn function_and_content_words() {
        assert!(is_stopword(b"the") && is_stopword(b"of") && is_stopword(b"said"));
        assert!(!is_stopword(b"minister") && !is_stopword(b"pakistan") && !is_stopword(b"2024"));
    }
}
