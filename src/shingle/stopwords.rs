//! English function words.
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

/// The function words as a set of word hashes: shingling sees words as
/// hashes, so the test is one probe of a small table.
pub type StopSet = crate::normalize::WordSet;

/// The English function words above, as a [`StopSet`].
pub fn english() -> StopSet {
    StopSet::of(WORDS)
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

    #[test]
    fn function_and_content_words() {
        assert!(is_stopword(b"the") && is_stopword(b"of") && is_stopword(b"said"));
        assert!(!is_stopword(b"minister") && !is_stopword(b"pakistan") && !is_stopword(b"2024"));
    }
}
