//! Text: labels in two languages, and the folding that makes search accent- and case-insensitive.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::ValidationError;

/// Longest localised text accepted, in characters, per language.
const MAX_TEXT_CHARS: usize = 4_000;

/// Text in French and/or English; at least one is present and none is blank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawLocalizedText")]
pub struct LocalizedText {
    /// The French text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    /// The English text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocalizedText {
    fr: Option<String>,
    en: Option<String>,
}

impl TryFrom<RawLocalizedText> for LocalizedText {
    type Error = ValidationError;
    fn try_from(raw: RawLocalizedText) -> Result<Self, Self::Error> {
        LocalizedText::new(raw.fr, raw.en)
    }
}

impl LocalizedText {
    /// Builds a text from its two languages, trimming them; blank ones count as absent.
    pub fn new(fr: Option<String>, en: Option<String>) -> Result<Self, ValidationError> {
        let clean = |t: Option<String>, lang: &str| -> Result<Option<String>, ValidationError> {
            match t.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) {
                Some(t) if t.chars().count() > MAX_TEXT_CHARS => Err(ValidationError::new(
                    format!("the {lang} text is longer than {MAX_TEXT_CHARS} characters"),
                )),
                other => Ok(other),
            }
        };
        let text = Self {
            fr: clean(fr, "French")?,
            en: clean(en, "English")?,
        };
        if text.fr.is_none() && text.en.is_none() {
            return Err(ValidationError::new(
                "a text needs at least one of `fr` or `en`",
            ));
        }
        Ok(text)
    }

    /// The text in the language asked for, else in the other one.
    pub fn get(&self, prefer_french: bool) -> &str {
        let (first, second) = if prefer_french {
            (&self.fr, &self.en)
        } else {
            (&self.en, &self.fr)
        };
        first.as_deref().or(second.as_deref()).unwrap_or_default()
    }
}

/// Folds text for comparison and search: decomposed, accents dropped, ligatures expanded, lower case.
///
/// `"Échirolles"` and `"echirolles"` fold to the same string; so do `"Œuvre"` and `"oeuvre"`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Fewest characters a search term needs to match the beginning of a word; a shorter one
/// matches whole words only. A one- or two-letter prefix matches a good part of a national
/// graph (`s` begins words of 13,881 names) and ranking all of those costs tens of
/// milliseconds a search, for an answer nobody reads; `la` or `d` still find the word itself.
pub const MIN_PREFIX_CHARS: usize = 3;

/// Whether `term` (one of [`search_terms`]) matches the beginning of words, not only whole
/// words: it has at least [`MIN_PREFIX_CHARS`] characters.
pub fn matches_prefix(term: &str) -> bool {
    term.chars().count() >= MIN_PREFIX_CHARS
}

/// Splits free text into folded search terms (letters and digits), at most `max` of them.
pub fn search_terms(text: &str, max: usize) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(max)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_ligatures() {
        assert_eq!(fold("Échirolles"), "echirolles");
        assert_eq!(fold("Visioconférence"), "visioconference");
        assert_eq!(fold("Œuvre"), "oeuvre");
    }

    #[test]
    fn splits_search_terms() {
        assert_eq!(
            search_terms("  Grenoble-Alpes-Métropole!", 10),
            vec!["grenoble", "alpes", "metropole"]
        );
        assert_eq!(search_terms("a b c", 2), vec!["a", "b"]);
        assert!(search_terms("\"*()", 5).is_empty());
    }

    #[test]
    fn short_terms_match_whole_words() {
        assert!(!matches_prefix("s"));
        assert!(!matches_prefix("la"));
        assert!(matches_prefix("vis"));
        assert!(matches_prefix("été"));
    }

    #[test]
    fn localized_text_needs_one_language() {
        assert!(LocalizedText::new(None, Some("  ".into())).is_err());
        let t = LocalizedText::new(Some("Visioconférence".into()), None).unwrap();
        assert_eq!(t.get(false), "Visioconférence");
    }
}
