//! Text search over the index: needs, solutions and collectivities found by the words of
//! their names and texts, ranked as a practitioner reads a result list.
//!
//! Every node is found by the same text the stores index ([`crate::store::need_search_text`],
//! [`crate::store::solution_search_text`], [`crate::store::collectivity_search_text`]): folded
//! words, each search term matching a whole word or, from
//! [`crate::domain::MIN_PREFIX_CHARS`] characters on, the beginning of one; several terms
//! written as one word match too ("libre office" finds LibreOffice, "next cloud" Nextcloud).
//! The ranking, best first:
//!
//! 1. **how the text matched**: a name that is exactly the search ("Paris", "Le Pont-de-Claix"),
//!    then names holding every term, then the other text (a description, a need served, a code);
//! 2. **the kind**: needs, then solutions, then collectivities (this graph is about software: a
//!    search for "libre" lists LibreOffice before the commune of Ancy-le-Libre);
//! 3. **how prominent it is**: a need by its adoptions; a solution by the sources that cite it
//!    (the catalogues and records that know it: LibreOffice is in the SILL, govoss and Munich's
//!    list), then its adoptions; a collectivity by its population (the one a reader most likely
//!    means: Grenoble-Alpes-Métropole before a university named after Grenoble), then its
//!    adoptions;
//! 4. then terms matched as whole words; the shorter label; the order of the index (the
//!    store's dump, by id).
//!
//! A term's matches are one range of the sorted vocabulary, and their postings one slice of
//! one array: a search reads the postings of its rarest term and checks the others on those
//! candidates only, so a common prefix (`saint`: 4,479 names) costs a sort of a few thousand
//! integers, not a full-text scoring.

use std::cmp::Reverse;

use super::csr::Csr;
use super::Index;
use crate::domain::{matches_prefix, search_terms, EntityKind, NodeId};

/// A node found by text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Its kind: need, solution or collectivity.
    pub kind: EntityKind,
    /// Its index among the nodes of its kind.
    pub ix: u32,
    /// Relevance, higher is better (its parts: [`TextIndex::search`]).
    pub score: f64,
}

/// The words of every searchable node, sorted, with their postings.
#[derive(Debug, Default)]
pub struct TextIndex {
    /// Every folded word, sorted, once.
    words: Vec<Box<str>>,
    /// The entries (numbers) holding each word.
    postings: Csr,
    /// The searchable nodes.
    entries: Vec<Entry>,
}

/// One searchable node.
#[derive(Debug)]
struct Entry {
    kind: EntityKind,
    ix: u32,
    /// Each name's words in order (a need's label in both languages, a solution's name and
    /// other names, a collectivity's name).
    names: Box<[Box<[u32]>]>,
    /// The words of the names, sorted, once.
    name_words: Box<[u32]>,
    /// Every word of its text (names included), sorted, once.
    words: Box<[u32]>,
    /// How prominent it is, first (see [`Draft::prominence`]).
    prominence: u64,
    /// Then (see [`Draft::then`]).
    then: u64,
    /// The characters of its label.
    label_chars: u32,
}

/// A search: its terms, the words each matches, and, for two terms or more, the terms written
/// as one word with the words that matches.
struct Query<'a> {
    terms: &'a [String],
    spans: Vec<Span>,
    joined: Option<(String, Span)>,
}

/// How a search term matches: the words of the vocabulary it matches, `lo..hi`.
#[derive(Debug, Clone, Copy)]
struct Span {
    lo: u32,
    hi: u32,
    /// The word equal to the term, if any (always `lo` then).
    exact: Option<u32>,
}

impl Span {
    fn any_in(&self, sorted: &[u32]) -> bool {
        let at = sorted.partition_point(|&w| w < self.lo);
        sorted.get(at).is_some_and(|&w| w < self.hi)
    }

    fn exactly_in(&self, sorted: &[u32]) -> bool {
        self.exact.is_some_and(|w| sorted.binary_search(&w).is_ok())
    }
}

/// How the text of a node matched, best last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    /// Some term only in the other text.
    Text = 1,
    /// Every term in a name.
    Names = 2,
    /// A name is exactly the search.
    Exact = 3,
}

/// A node's text while the index is built.
struct Draft {
    kind: EntityKind,
    ix: u32,
    names: Vec<Vec<String>>,
    words: Vec<String>,
    /// How prominent the node is: a need's adoptions, the sources citing a solution (the
    /// catalogues and records that know it), a collectivity's population.
    prominence: u64,
    /// Then: a solution's and a collectivity's adoptions (0 for needs).
    then: u64,
    label_chars: u32,
}

/// The sort key of a candidate: greater is better.
type Rank = (Tier, u8, u64, u64, usize, Reverse<u32>);

impl TextIndex {
    /// The text index of `ix`: live needs, every solution and every collectivity.
    pub fn build(ix: &Index) -> Self {
        let mut drafts = Vec::new();
        for (i, n) in ix.needs.iter().enumerate() {
            if n.retired.is_some() {
                continue;
            }
            let names = [&n.label.fr, &n.label.en].into_iter().flatten();
            drafts.push(Draft {
                kind: EntityKind::Need,
                ix: i as u32,
                names: names.map(|t| words_of(t)).collect(),
                words: words_of(&crate::store::need_search_text(n)),
                prominence: ix.adoptions_of_need.get(i as u32).len() as u64,
                then: 0,
                label_chars: n.label.get(true).chars().count() as u32,
            });
        }
        // Each need's label text once, for the solutions serving it.
        let need_labels: Vec<String> = ix.needs.iter().map(crate::store::need_label_text).collect();
        for (i, s) in ix.solutions.iter().enumerate() {
            let needs: Vec<String> = ix
                .needs_of_solution
                .get(i as u32)
                .iter()
                .map(|&n| need_labels[n as usize].clone())
                .collect();
            let names = std::iter::once(&s.name).chain(&s.aliases);
            drafts.push(Draft {
                kind: EntityKind::Solution,
                ix: i as u32,
                names: names.map(|t| words_of(t)).collect(),
                words: words_of(&crate::store::solution_search_text(s, &needs)),
                prominence: u64::from(ix.solution_source_counts[i]),
                then: ix.adoptions_of_solution.get(i as u32).len() as u64,
                label_chars: s.name.chars().count() as u32,
            });
        }
        for (i, c) in ix.collectivities.iter().enumerate() {
            drafts.push(Draft {
                kind: EntityKind::Collectivity,
                ix: i as u32,
                names: vec![words_of(&c.name)],
                words: words_of(&crate::store::collectivity_search_text(c)),
                prominence: c.population.unwrap_or(0),
                then: ix.adoptions_of_collectivity.get(i as u32).len() as u64,
                label_chars: c.name.chars().count() as u32,
            });
        }
        Self::from_drafts(drafts)
    }

    fn from_drafts(drafts: Vec<Draft>) -> Self {
        let mut words: Vec<&str> = drafts
            .iter()
            .flat_map(|d| d.words.iter().chain(d.names.iter().flatten()))
            .map(String::as_str)
            .collect();
        words.sort_unstable();
        words.dedup();
        let number = |w: &String| words.binary_search(&w.as_str()).unwrap_or_default() as u32;
        let sorted = |ws: &mut dyn Iterator<Item = u32>| {
            let mut v: Vec<u32> = ws.collect();
            v.sort_unstable();
            v.dedup();
            v.into_boxed_slice()
        };
        let entries: Vec<Entry> = drafts
            .iter()
            .map(|d| {
                let names: Box<[Box<[u32]>]> = d
                    .names
                    .iter()
                    .map(|n| n.iter().map(number).collect())
                    .collect();
                let name_words = sorted(&mut names.iter().flatten().copied());
                let all = sorted(&mut d.words.iter().map(number).chain(name_words.iter().copied()));
                Entry {
                    kind: d.kind,
                    ix: d.ix,
                    names,
                    name_words,
                    words: all,
                    prominence: d.prominence,
                    then: d.then,
                    label_chars: d.label_chars,
                }
            })
            .collect();
        let pairs: Vec<(u32, u32)> = entries
            .iter()
            .enumerate()
            .flat_map(|(e, entry)| entry.words.iter().map(move |&w| (w, e as u32)))
            .collect();
        Self {
            postings: Csr::build(words.len(), &pairs),
            words: words.into_iter().map(Box::from).collect(),
            entries,
        }
    }

    /// How many nodes can be found.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no node can be found.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The vocabulary's words `term` matches: itself, and the words it begins when it has
    /// [`crate::domain::MIN_PREFIX_CHARS`] characters or more.
    fn span(&self, term: &str) -> Span {
        let lo = self.words.partition_point(|w| &**w < term);
        let exact = (self.words.get(lo).is_some_and(|w| &**w == term)).then_some(lo as u32);
        let hi = if matches_prefix(term) {
            lo + self.words[lo..].partition_point(|w| w.starts_with(term))
        } else {
            lo + usize::from(exact.is_some())
        };
        Span {
            lo: lo as u32,
            hi: hi as u32,
            exact,
        }
    }

    fn postings_of(&self, span: Span) -> &[u32] {
        self.postings.get_range(span.lo, span.hi)
    }

    /// The nodes of `kinds` (all when empty) whose text matches every term of `text` (see
    /// [`search_terms`]), best first (see the module), at most `limit`. The score is
    /// `100·tier + 10·kind + 9·n/(n+10)`: the tier 3 when a name is exactly the search, 2 when
    /// every term is in a name, 1 otherwise; the kind 2 for needs, 1 for solutions, 0 for
    /// collectivities; `n` the prominence: a need's adoptions, the sources citing a solution, a
    /// collectivity's inhabitants in tens of thousands. It falls with the rank (ties are broken
    /// by what it leaves out: adoptions, whole words, label length).
    pub fn search(&self, terms: &[String], kinds: &[EntityKind], limit: usize) -> Vec<Found> {
        if terms.is_empty() || limit == 0 {
            return Vec::new();
        }
        let query = Query {
            terms,
            spans: terms.iter().map(|t| self.span(t)).collect(),
            joined: (terms.len() > 1).then(|| {
                let joined = terms.concat();
                let span = self.span(&joined);
                (joined, span)
            }),
        };
        let Some(driver) = query
            .spans
            .iter()
            .min_by_key(|s| self.postings_of(**s).len())
        else {
            return Vec::new();
        };
        let mut candidates = self.postings_of(*driver).to_vec();
        if let Some((_, span)) = &query.joined {
            candidates.extend_from_slice(self.postings_of(*span));
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut ranked: Vec<(Rank, u32)> = candidates
            .into_iter()
            .filter_map(|e| {
                let entry = &self.entries[e as usize];
                if !kinds.is_empty() && !kinds.contains(&entry.kind) {
                    return None;
                }
                Some((self.rank(entry, &query)?, e))
            })
            .collect();
        let best = |a: &(Rank, u32), b: &(Rank, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if ranked.len() > limit {
            ranked.select_nth_unstable_by(limit - 1, best);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(best);
        ranked
            .into_iter()
            .map(|(rank, e)| {
                let entry = &self.entries[e as usize];
                let (tier, kind, prominence, ..) = rank;
                let n = match entry.kind {
                    EntityKind::Collectivity => prominence as f64 / 10_000.0,
                    _ => prominence as f64,
                };
                Found {
                    kind: entry.kind,
                    ix: entry.ix,
                    score: 100.0 * f64::from(tier as u8)
                        + 10.0 * f64::from(kind)
                        + 9.0 * n / (n + 10.0),
                }
            })
            .collect()
    }

    /// How `entry` ranks for `query`; `None` when it does not match: not every term is in
    /// its text, and the terms written as one word ("libre office" as "libreoffice") are not
    /// either.
    fn rank(&self, entry: &Entry, query: &Query<'_>) -> Option<Rank> {
        let every_term = query.spans.iter().all(|s| s.any_in(&entry.words));
        let joined = query
            .joined
            .as_ref()
            .filter(|(_, span)| span.any_in(&entry.words));
        if !every_term && joined.is_none() {
            return None;
        }
        let spelled = |text: &str| entry.names.iter().any(|name| self.spells(name, text));
        let exact = (every_term
            && entry.names.iter().any(|name| {
                name.len() == query.terms.len()
                    && name
                        .iter()
                        .zip(query.terms)
                        .all(|(&w, t)| *self.words[w as usize] == **t)
            }))
            || joined.is_some_and(|(text, _)| spelled(text));
        let in_names = (every_term && query.spans.iter().all(|s| s.any_in(&entry.name_words)))
            || joined.is_some_and(|(_, span)| span.any_in(&entry.name_words));
        let tier = if exact {
            Tier::Exact
        } else if in_names {
            Tier::Names
        } else {
            Tier::Text
        };
        let kind = match entry.kind {
            EntityKind::Need => 2,
            EntityKind::Solution => 1,
            _ => 0,
        };
        let whole = query
            .spans
            .iter()
            .filter(|s| s.exactly_in(&entry.words))
            .count();
        Some((
            tier,
            kind,
            entry.prominence,
            entry.then,
            whole,
            Reverse(entry.label_chars),
        ))
    }

    /// Whether the words of `name`, written together, are `text` ("LibreOffice" and
    /// "Libre Office" both spell `libreoffice`).
    fn spells(&self, name: &[u32], mut text: &str) -> bool {
        for &w in name {
            match text.strip_prefix(&*self.words[w as usize]) {
                Some(rest) => text = rest,
                None => return false,
            }
        }
        text.is_empty()
    }
}

/// The folded words of a text.
fn words_of(text: &str) -> Vec<String> {
    search_terms(text, usize::MAX)
}

impl Index {
    /// The id and label of a node found by text (a need's label in French when it has one,
    /// as the stores label it).
    pub fn found(&self, found: &Found) -> (NodeId, &str) {
        let i = found.ix as usize;
        match found.kind {
            EntityKind::Need => {
                let n = &self.needs[i];
                (n.id.clone().into(), n.label.get(true))
            }
            EntityKind::Solution => {
                let s = &self.solutions[i];
                (s.id.clone().into(), &s.name)
            }
            _ => {
                let c = &self.collectivities[i];
                (c.id.clone().into(), &c.name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A node of `kind` as prominent as `prominence` (a need's adoptions, a solution's
    /// sources).
    fn draft(kind: EntityKind, ix: u32, name: &str, text: &str, prominence: u64) -> Draft {
        Draft {
            kind,
            ix,
            names: vec![words_of(name)],
            words: words_of(&format!("{name} {text}")),
            prominence,
            then: 0,
            label_chars: name.chars().count() as u32,
        }
    }

    fn commune(ix: u32, name: &str, population: u64) -> Draft {
        draft(EntityKind::Collectivity, ix, name, "", population)
    }

    /// (kind, index) of each result, best first.
    fn found(
        index: &TextIndex,
        text: &str,
        kinds: &[EntityKind],
        limit: usize,
    ) -> Vec<(EntityKind, u32)> {
        index
            .search(&search_terms(text, 8), kinds, limit)
            .iter()
            .map(|f| (f.kind, f.ix))
            .collect()
    }

    fn sample() -> TextIndex {
        use EntityKind::{Need, Solution};
        TextIndex::from_drafts(vec![
            draft(Need, 0, "Bureautique", "Office suite office suites", 4),
            draft(Solution, 0, "LibreOffice", "Suite bureautique libre", 30),
            draft(Solution, 1, "LibreNMS", "Supervision réseau", 2),
            draft(Solution, 2, "Microsoft Office", "Suite bureautique", 12),
            draft(
                Solution,
                3,
                "Collabora Online",
                "LibreOffice en ligne, libre",
                5,
            ),
            commune(0, "Ancy-le-Libre", 180),
            commune(1, "Luçay-le-Libre", 150),
            commune(2, "Paris", 2_100_000),
            commune(3, "Paris-l'Hôpital", 500),
            commune(4, "Cormeilles-en-Parisis", 25_000),
            commune(5, "Saint-Denis", 113_000),
            commune(6, "Saint-Lô", 19_000),
            commune(7, "Lacanau", 5_000),
            commune(8, "Le Pont-de-Claix", 11_000),
        ])
    }

    #[test]
    fn software_comes_before_places_that_share_a_word() {
        use EntityKind::{Collectivity, Solution};
        // LibreOffice's name begins with the term, the communes have it as a whole word: names
        // alike, software first, the most cited first; then the communes, the more populous
        // first; Collabora has the word in its text only, so comes last.
        assert_eq!(
            found(&sample(), "libre", &[], 10),
            vec![
                (Solution, 0),
                (Solution, 1),
                (Collectivity, 0),
                (Collectivity, 1),
                (Solution, 3),
            ]
        );
    }

    #[test]
    fn a_name_that_is_the_search_comes_first() {
        use EntityKind::Collectivity;
        // "Parisis" begins with "paris": after the exact name, by population.
        assert_eq!(
            found(&sample(), "Paris", &[], 10),
            vec![(Collectivity, 2), (Collectivity, 4), (Collectivity, 3)]
        );
        assert_eq!(
            found(&sample(), "le pont de claix", &[], 10),
            vec![(Collectivity, 8)]
        );
        // The whole name beats a more populous name that holds the word; a body without
        // inhabitants (a university) comes after them.
        let index = TextIndex::from_drafts(vec![
            commune(0, "Grenoble-Alpes-Métropole", 450_000),
            commune(1, "Grenoble", 160_000),
            Draft {
                then: 3,
                ..commune(2, "Université Grenoble Alpes", 0)
            },
        ]);
        assert_eq!(
            found(&index, "grenoble", &[], 10),
            vec![(Collectivity, 1), (Collectivity, 0), (Collectivity, 2)]
        );
        let scores: Vec<f64> = index
            .search(&search_terms("grenoble", 8), &[], 10)
            .iter()
            .map(|f| f.score)
            .collect();
        // 16 and 45 tens of thousands of inhabitants: 9·16/26 and 9·45/55.
        assert_eq!(
            scores,
            vec![300.0 + 144.0 / 26.0, 200.0 + 405.0 / 55.0, 200.0]
        );
    }

    #[test]
    fn names_come_before_other_text_whatever_the_kind() {
        use EntityKind::{Need, Solution};
        // "bureautique" names the need; the suites only have it in their text.
        assert_eq!(
            found(&sample(), "bureautique", &[], 10),
            vec![(Need, 0), (Solution, 0), (Solution, 2)]
        );
        // "office" is a word of Microsoft Office's name, not of LibreOffice's.
        assert_eq!(
            found(&sample(), "office", &[], 10),
            vec![(Solution, 2), (Need, 0)],
            "{:?}",
            sample().search(&search_terms("office", 8), &[], 10)
        );
    }

    #[test]
    fn terms_written_apart_find_the_name_written_together() {
        use EntityKind::Solution;
        let index = sample();
        assert_eq!(
            found(&index, "libre office", &[], 2),
            vec![(Solution, 0), (Solution, 3)]
        );
        let hits = index.search(&search_terms("Libre Office", 8), &[], 1);
        assert_eq!(hits[0].score, 316.75, "the name itself");
        assert_eq!(found(&index, "libre offi", &[], 1), vec![(Solution, 0)]);
        // A word of the name, not the whole name: the names tier (200), a solution (10), 12
        // sources (9·12/22).
        let micro = index.search(&search_terms("micro soft", 8), &[], 5);
        assert_eq!((micro.len(), micro[0].kind, micro[0].ix), (1, Solution, 2));
        assert!((micro[0].score - (210.0 + 108.0 / 22.0)).abs() < 1e-9);
    }

    #[test]
    fn short_terms_match_whole_words_and_longer_ones_beginnings() {
        use EntityKind::Collectivity;
        let index = sample();
        assert_eq!(found(&index, "lo", &[], 10), vec![(Collectivity, 6)]);
        assert!(found(&index, "la", &[], 10).is_empty(), "not Lacanau");
        assert_eq!(found(&index, "lac", &[], 10), vec![(Collectivity, 7)]);
        assert_eq!(
            found(&index, "saint", &[], 10),
            vec![(Collectivity, 5), (Collectivity, 6)],
            "the more populous first"
        );
        assert!(
            found(&index, "saint paris", &[], 10).is_empty(),
            "every term"
        );
        assert!(found(&index, "xyz", &[], 10).is_empty());
    }

    #[test]
    fn kinds_and_limit_bound_the_answer() {
        use EntityKind::{Collectivity, Solution};
        let index = sample();
        assert_eq!(
            found(&index, "libre", &[Collectivity], 10),
            vec![(Collectivity, 0), (Collectivity, 1)]
        );
        assert_eq!(
            found(&index, "libre", &[], 2),
            vec![(Solution, 0), (Solution, 1)]
        );
        assert!(found(&index, "libre", &[], 0).is_empty());
        assert!(found(&index, "libre", &[EntityKind::Publisher], 10).is_empty());
    }

    #[test]
    fn the_score_states_tier_kind_and_evidence() {
        let index = sample();
        let hits = index.search(&search_terms("libreoffice", 8), &[], 10);
        // LibreOffice: exact name (300), a solution (10), 30 sources (9·30/40 = 6.75).
        assert_eq!(hits[0].score, 316.75);
        // Collabora: in its text (100), a solution (10), 5 sources (3).
        assert_eq!(hits[1].score, 113.0);
        assert_eq!(hits.len(), 2);
        assert!(index.len() == 14 && !index.is_empty());
    }
}
