//! The lexicon built from `words`: inflected forms, Zipf sampling tables,
//! the spinner's thesaurus and lookup sets.

use std::collections::{HashMap, HashSet};

use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use super::rng::Rng;
use super::words;

type Map<K, V> = HashMap<K, V, Xxh3DefaultBuilder>;
type Set<K> = HashSet<K, Xxh3DefaultBuilder>;

/// Zipf exponent for word sampling.
const ZIPF_S: f64 = 0.9;

/// Cumulative Zipf weights over ranks `0..n`.
pub(crate) struct Zipf {
    cum: Vec<f64>,
}

impl Zipf {
    /// Table for `n >= 1` ranks with exponent `s`.
    pub(crate) fn new(n: usize, s: f64) -> Self {
        let mut acc = 0.0;
        let cum = (0..n.max(1))
            .map(|i| {
                acc += 1.0 / ((i + 1) as f64).powf(s);
                acc
            })
            .collect();
        Zipf { cum }
    }

    /// A rank, small ranks being the most likely.
    pub(crate) fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cum[self.cum.len() - 1];
        let u = rng.f64() * total;
        self.cum
            .partition_point(|&c| c <= u)
            .min(self.cum.len() - 1)
    }
}

/// A topic's nouns with their plurals.
pub(crate) struct Topic {
    /// Topic name.
    pub name: &'static str,
    /// Singular forms.
    pub sing: Vec<String>,
    /// Plural forms, parallel to `sing`.
    pub plural: Vec<String>,
}

/// All words the generator and the spinner use.
pub(crate) struct Lexicon {
    /// Nouns (singular), in rank order.
    pub noun: Vec<String>,
    /// Noun plurals, parallel to `noun`.
    pub noun_pl: Vec<String>,
    /// Verb base forms, in rank order.
    pub verb: Vec<String>,
    /// Past tense, parallel to `verb`.
    pub verb_past: Vec<String>,
    /// Third person singular, parallel to `verb`.
    pub verb_3s: Vec<String>,
    /// -ing forms, parallel to `verb`.
    pub verb_ing: Vec<String>,
    /// Adjectives, in rank order.
    pub adj: Vec<String>,
    /// Adverbs, in rank order.
    pub adv: Vec<String>,
    /// Topic noun lists.
    pub topics: Vec<Topic>,
    noun_z: Zipf,
    verb_z: Zipf,
    adj_z: Zipf,
    adv_z: Zipf,
    groups: Vec<Vec<String>>,
    thesaurus: Map<String, u32>,
    function_thesaurus: Map<&'static str, u32>,
    function: Set<&'static str>,
    known: Set<String>,
    names: Set<&'static str>,
}

fn irregular_plural(w: &str) -> Option<&'static str> {
    words::IRREGULAR_PLURALS
        .iter()
        .find(|(s, _)| *s == w)
        .map(|(_, p)| *p)
}

fn ends_sibilant(w: &str) -> bool {
    w.ends_with('s')
        || w.ends_with('x')
        || w.ends_with('z')
        || w.ends_with("ch")
        || w.ends_with("sh")
}

fn consonant_y(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 2 && b[b.len() - 1] == b'y' && !b"aeiou".contains(&b[b.len() - 2])
}

/// Plural of a noun (last word of a compound).
pub(crate) fn plural(w: &str) -> String {
    if let Some(p) = irregular_plural(w) {
        return p.to_string();
    }
    if let Some((head, last)) = w.rsplit_once(' ') {
        return format!("{head} {}", plural(last));
    }
    if ends_sibilant(w) {
        format!("{w}es")
    } else if consonant_y(w) {
        format!("{}ies", &w[..w.len() - 1])
    } else {
        format!("{w}s")
    }
}

/// (past, third person singular, -ing) of a verb; compounds inflect their
/// first word.
pub(crate) fn verb_forms(w: &str) -> (String, String, String) {
    if let Some(&(_, past, ing)) = words::IRREGULAR_VERBS.iter().find(|(b, _, _)| *b == w) {
        let s3 = match w.split_once(' ') {
            Some((head, rest)) => format!("{} {rest}", third_person(head)),
            None => third_person(w),
        };
        return (past.to_string(), s3, ing.to_string());
    }
    if let Some((head, rest)) = w.split_once(' ') {
        let (p, s, g) = verb_forms(head);
        return (
            format!("{p} {rest}"),
            format!("{s} {rest}"),
            format!("{g} {rest}"),
        );
    }
    let past = if w.ends_with('e') {
        format!("{w}d")
    } else if consonant_y(w) {
        format!("{}ied", &w[..w.len() - 1])
    } else {
        format!("{w}ed")
    };
    let ing = if let Some(stem) = w.strip_suffix("ie") {
        format!("{stem}ying")
    } else if w.ends_with('e') && !w.ends_with("ee") && !w.ends_with("oe") && !w.ends_with("ye") {
        format!("{}ing", &w[..w.len() - 1])
    } else {
        format!("{w}ing")
    };
    (past, third_person(w), ing)
}

fn third_person(w: &str) -> String {
    match w {
        "have" => "has".to_string(),
        "be" => "is".to_string(),
        _ if ends_sibilant(w) || w.ends_with('o') => format!("{w}es"),
        _ if consonant_y(w) => format!("{}ies", &w[..w.len() - 1]),
        _ => format!("{w}s"),
    }
}

/// Words of all groups, ordered by member position then group order (so
/// the first, most common, member of every group ranks first).
fn rank_order(groups: &'static [&'static [&'static str]]) -> Vec<&'static str> {
    let max = groups.iter().map(|g| g.len()).max().unwrap_or(0);
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    for m in 0..max {
        for g in groups {
            if let Some(w) = g.get(m) {
                if seen.insert(w) {
                    out.push(*w);
                }
            }
        }
    }
    out
}

impl Lexicon {
    /// Builds the lexicon (deterministic, independent of any seed).
    pub(crate) fn new() -> Self {
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut thesaurus: Map<String, u32> = Map::default();
        let mut add_group = |forms: Vec<String>, groups: &mut Vec<Vec<String>>| {
            let mut uniq: Vec<String> = Vec::new();
            for f in forms {
                if !uniq.contains(&f) {
                    uniq.push(f);
                }
            }
            if uniq.len() < 2 {
                return;
            }
            let id = groups.len() as u32;
            for f in &uniq {
                if !f.contains(' ') && !thesaurus.contains_key(f) {
                    thesaurus.insert(f.clone(), id);
                }
            }
            groups.push(uniq);
        };

        // Nouns.
        let nouns = rank_order(words::NOUN_GROUPS);
        let noun: Vec<String> = nouns.iter().map(|w| w.to_string()).collect();
        let noun_pl: Vec<String> = noun.iter().map(|w| plural(w)).collect();
        for g in words::NOUN_GROUPS {
            add_group(g.iter().map(|w| w.to_string()).collect(), &mut groups);
            add_group(g.iter().map(|w| plural(w)).collect(), &mut groups);
        }
        // Verbs.
        let verbs = rank_order(words::VERB_GROUPS);
        let verb: Vec<String> = verbs.iter().map(|w| w.to_string()).collect();
        let forms: Vec<(String, String, String)> = verb.iter().map(|w| verb_forms(w)).collect();
        let verb_past = forms.iter().map(|f| f.0.clone()).collect();
        let verb_3s = forms.iter().map(|f| f.1.clone()).collect();
        let verb_ing = forms.iter().map(|f| f.2.clone()).collect();
        for g in words::VERB_GROUPS {
            add_group(g.iter().map(|w| w.to_string()).collect(), &mut groups);
            let f: Vec<(String, String, String)> = g.iter().map(|w| verb_forms(w)).collect();
            add_group(f.iter().map(|x| x.0.clone()).collect(), &mut groups);
            add_group(f.iter().map(|x| x.1.clone()).collect(), &mut groups);
            add_group(f.iter().map(|x| x.2.clone()).collect(), &mut groups);
        }
        // Adjectives and adverbs.
        let adj: Vec<String> = rank_order(words::ADJ_GROUPS)
            .iter()
            .map(|w| w.to_string())
            .collect();
        let adv: Vec<String> = rank_order(words::ADV_GROUPS)
            .iter()
            .map(|w| w.to_string())
            .collect();
        for g in words::ADJ_GROUPS.iter().chain(words::ADV_GROUPS) {
            add_group(g.iter().map(|w| w.to_string()).collect(), &mut groups);
        }
        // Function-word synonyms (rarely used by the spinner).
        let mut function_thesaurus: Map<&'static str, u32> = Map::default();
        let fstart = groups.len();
        for g in words::FUNCTION_SYNONYMS {
            let id = groups.len() as u32;
            for w in g.iter() {
                function_thesaurus.entry(*w).or_insert(id);
            }
            groups.push(g.iter().map(|w| w.to_string()).collect());
        }
        debug_assert!(fstart <= groups.len());

        let topics: Vec<Topic> = words::TOPICS
            .iter()
            .map(|(name, ws)| Topic {
                name,
                sing: ws.iter().map(|w| w.to_string()).collect(),
                plural: ws.iter().map(|w| plural(w)).collect(),
            })
            .collect();

        let function: Set<&'static str> = words::FUNCTION_WORDS.iter().copied().collect();
        let mut known: Set<String> = Set::default();
        for list in [&noun, &noun_pl, &verb, &adj, &adv] {
            for w in list.iter() {
                known.insert(w.clone());
            }
        }
        for f in &forms {
            known.insert(f.0.clone());
            known.insert(f.1.clone());
            known.insert(f.2.clone());
        }
        for t in &topics {
            for w in t.sing.iter().chain(&t.plural) {
                known.insert(w.clone());
            }
        }
        for w in thesaurus.keys() {
            known.insert(w.clone());
        }
        let mut names: Set<&'static str> = Set::default();
        for list in [
            words::FIRST_NAMES,
            words::LAST_NAMES,
            words::COMPANY_STEMS,
            words::MASCOTS,
            words::INDUSTRIES,
        ] {
            names.extend(list.iter().copied());
        }
        for (city, _) in words::CITIES {
            names.extend(city.split(' '));
        }

        Lexicon {
            noun_z: Zipf::new(noun.len(), ZIPF_S),
            verb_z: Zipf::new(verb.len(), ZIPF_S),
            adj_z: Zipf::new(adj.len(), ZIPF_S),
            adv_z: Zipf::new(adv.len(), ZIPF_S),
            noun,
            noun_pl,
            verb,
            verb_past,
            verb_3s,
            verb_ing,
            adj,
            adv,
            topics,
            groups,
            thesaurus,
            function_thesaurus,
            function,
            known,
            names,
        }
    }

    /// A noun rank.
    pub(crate) fn noun_idx(&self, rng: &mut Rng) -> usize {
        self.noun_z.sample(rng)
    }
    /// A verb rank.
    pub(crate) fn verb_idx(&self, rng: &mut Rng) -> usize {
        self.verb_z.sample(rng)
    }
    /// An adjective.
    pub(crate) fn adj(&self, rng: &mut Rng) -> &str {
        &self.adj[self.adj_z.sample(rng)]
    }
    /// An adverb.
    pub(crate) fn adv(&self, rng: &mut Rng) -> &str {
        &self.adv[self.adv_z.sample(rng)]
    }

    /// The synonym group of a lowercase content word, if it has one.
    pub(crate) fn synonyms(&self, w: &str) -> Option<&[String]> {
        self.thesaurus
            .get(w)
            .map(|&g| self.groups[g as usize].as_slice())
    }

    /// The synonym group of a function word, if it has one.
    pub(crate) fn function_synonyms(&self, w: &str) -> Option<&[String]> {
        self.function_thesaurus
            .get(w)
            .map(|&g| self.groups[g as usize].as_slice())
    }

    /// Whether `w` is a function word.
    pub(crate) fn is_function(&self, w: &str) -> bool {
        self.function.contains(w)
    }

    /// Whether a lowercase word is an ordinary (non-name) word.
    pub(crate) fn is_known(&self, w: &str) -> bool {
        self.function.contains(w) || self.known.contains(w)
    }

    /// Whether a capitalised word is a name (person, city, company part).
    pub(crate) fn is_name(&self, w: &str) -> bool {
        self.names.contains(w)
    }

    /// Number of distinct single content words (base forms) in the lexicon.
    #[cfg(test)]
    pub(crate) fn content_word_count(&self) -> usize {
        let mut s: Set<&str> = Set::default();
        for w in self
            .noun
            .iter()
            .chain(&self.verb)
            .chain(&self.adj)
            .chain(&self.adv)
        {
            s.insert(w);
        }
        for t in &self.topics {
            for w in &t.sing {
                s.insert(w);
            }
        }
        s.len()
    }

    /// Number of words with a synonym entry.
    #[cfg(test)]
    pub(crate) fn thesaurus_len(&self) -> usize {
        self.thesaurus.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections() {
        assert_eq!(plural("company"), "companies");
        assert_eq!(plural("tax"), "taxes");
        assert_eq!(plural("crisis"), "crises");
        assert_eq!(plural("interest rate"), "interest rates");
        assert_eq!(plural("day"), "days");
        assert_eq!(
            verb_forms("raise"),
            ("raised".into(), "raises".into(), "raising".into())
        );
        assert_eq!(
            verb_forms("cut"),
            ("cut".into(), "cuts".into(), "cutting".into())
        );
        assert_eq!(
            verb_forms("deny"),
            ("denied".into(), "denies".into(), "denying".into())
        );
        assert_eq!(
            verb_forms("step down"),
            (
                "stepped down".into(),
                "steps down".into(),
                "stepping down".into()
            )
        );
        assert_eq!(
            verb_forms("carry on"),
            (
                "carried on".into(),
                "carries on".into(),
                "carrying on".into()
            )
        );
        assert_eq!(
            verb_forms("free"),
            ("freed".into(), "frees".into(), "freeing".into())
        );
    }

    #[test]
    fn vocabulary_sizes() {
        let lex = Lexicon::new();
        eprintln!(
            "content words {}, thesaurus entries {}",
            lex.content_word_count(),
            lex.thesaurus_len()
        );
        assert!(
            lex.content_word_count() >= 1500,
            "{}",
            lex.content_word_count()
        );
        assert!(lex.thesaurus_len() >= 500, "{}", lex.thesaurus_len());
        assert!(lex
            .synonyms("raised")
            .is_some_and(|g| g.iter().any(|w| w == "increased")));
        assert!(lex.is_known("the") && lex.is_name("Paris"));
    }
}
