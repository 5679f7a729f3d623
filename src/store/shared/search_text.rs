//! The text both backends index for search and for the licence filter.

use crate::domain::{Collectivity, LocalizedText, Need, Solution};

/// The text a solution is found by, on every backend: its name and other names, its
/// description (both languages) and the labels of the needs it serves (`need_labels`), so a
/// solution is found by what it does (`visio` finds the tools serving videoconferencing).
pub fn solution_search_text(solution: &Solution, need_labels: &[String]) -> String {
    let mut text = solution.name.clone();
    for part in solution.aliases.iter().chain(need_labels) {
        text.push(' ');
        text.push_str(part);
    }
    if let Some(d) = &solution.description {
        for t in [&d.fr, &d.en].into_iter().flatten() {
            text.push(' ');
            text.push_str(t);
        }
    }
    text
}

/// The text a need is found by, on every backend: its label in both languages and its
/// publiccode category, words apart (`office-suites` is found by `office`).
pub fn need_search_text(need: &Need) -> String {
    format!(
        "{} {}",
        text_of(&Some(need.label.clone())),
        need.publiccode.as_deref().unwrap_or("").replace('-', " ")
    )
}

/// The text a collectivity is found by, on every backend: its name, INSEE code and SIREN.
pub fn collectivity_search_text(collectivity: &Collectivity) -> String {
    format!(
        "{} {} {}",
        collectivity.name,
        collectivity.insee.as_ref().map_or("", |i| i.as_str()),
        collectivity.siren.as_ref().map_or("", |s| s.as_str())
    )
}

/// The text of a need's label that solutions serving it are also found by (both languages).
pub fn need_label_text(need: &Need) -> String {
    [&need.label.fr, &need.label.en]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Both languages of a text, French first, as one string (empty when there is none).
fn text_of(t: &Option<LocalizedText>) -> String {
    t.as_ref()
        .map(|t| {
            format!(
                "{} {}",
                t.fr.as_deref().unwrap_or(""),
                t.en.as_deref().unwrap_or("")
            )
        })
        .unwrap_or_default()
}

/// `' ID1 ID2 '`: the upper-case licence ids of an SPDX expression, for LIKE filtering.
pub(crate) fn licence_key(expression: Option<&str>) -> String {
    let ids: Vec<String> = expression
        .unwrap_or("")
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !t.is_empty() && !matches!(*t, "AND" | "OR" | "WITH"))
        .map(str::to_uppercase)
        .collect();
    format!(" {} ", ids.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_keys_list_the_ids() {
        assert_eq!(
            licence_key(Some("MIT OR (Apache-2.0 AND GPL-2.0-only)")),
            " MIT APACHE-2.0 GPL-2.0-ONLY "
        );
        assert_eq!(licence_key(None), "  ");
    }
}
