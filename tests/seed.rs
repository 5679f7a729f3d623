//! The seed is true to the interview it cites: every fact citing
//! `source:interview-vivant-2025` names the paragraphs that state it, and those paragraphs
//! hold the fact's key terms (names, figures, dates).
//!
//! Paragraphs are numbered as `../shared/seeds/SOURCE.md` says: the interview's text split at
//! blank lines, numbered from 1 in file order (the title is §1). A locator is
//! `interview-vivant-2025-10-21.txt#` followed by `§N` (one paragraph), `§N-M` (N to M), or
//! several of these joined by commas (`§2,§35`): every paragraph needed to state the fact.
//!
//! The table of (locator, key terms) is derived from the seed itself, as built into the binary
//! and loaded into a real store; the interview is read from the shared folder
//! (`RETEX_SHARED_DATA/../seeds`, the same mechanism as the dataset tests: missing in CI fails).

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use retex::domain::{fold, Batch, Citation, PartialDate};
use retex::store::sqlite::SqliteStore;
use retex::store::Store;

const INTERVIEW: &str = "source:interview-vivant-2025";
const FILE: &str = "interview-vivant-2025-10-21.txt";

/// The interview's folder beside the shared data, or `None` outside CI when it is absent.
fn interview_text() -> Option<String> {
    let data = common::shared_data()?;
    let path: PathBuf = data.join("../seeds").join(FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{}: {e} (the interview is missing in CI)", path.display())
        }
        Err(e) => {
            eprintln!(
                "notice: skipping the interview test: {}: {e}",
                path.display()
            );
            None
        }
    }
}

/// The interview's paragraphs: text split at blank lines, in file order (index 0 is §1).
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The paragraph numbers a locator names, or why it is not one.
fn paragraph_numbers(locator: &str, count: usize) -> Result<Vec<usize>, String> {
    let list = locator
        .strip_prefix(&format!("{FILE}#"))
        .ok_or_else(|| format!("`{locator}` does not start with `{FILE}#`"))?;
    let mut numbers = Vec::new();
    for part in list.split(',') {
        let bad = || format!("`{part}` in `{locator}` is not §N or §N-M");
        let part = part.strip_prefix('§').ok_or_else(bad)?;
        let (from, to) = match part.split_once('-') {
            Some((a, b)) => (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?),
            None => {
                let n: usize = part.parse().map_err(|_| bad())?;
                (n, n)
            }
        };
        if from == 0 || from > to || to > count {
            return Err(format!(
                "`{locator}` names §{from}-{to}; the interview has §1 to §{count}"
            ));
        }
        numbers.extend(from..=to);
    }
    Ok(numbers)
}

/// A key term a passage must hold.
#[derive(Debug, Clone)]
enum Term {
    /// A name: found when the passage holds the whole name, or one of its words of three
    /// letters or more that is not a word of its publisher's name (`Gendarmerie` for
    /// "Gendarmerie nationale", `Linux` for "GNU/Linux", `Office` for "Microsoft Office");
    /// with several names, one of them suffices (a publisher named by its product).
    Name(Vec<String>, Vec<String>),
    /// A figure, as a whole number token (`80` in "80%").
    Number(f64),
    /// A date: its year, and its month by its French name when it has one.
    Date(PartialDate),
}

const MONTHS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

/// A folded passage, its tokens (letters and digits) and its letters and digits run together.
struct Passage {
    folded: String,
    tokens: BTreeSet<String>,
    squashed: String,
}

impl Passage {
    fn new(text: &str) -> Self {
        let folded = fold(text);
        let tokens = words(&folded).into_iter().collect();
        let squashed = folded.chars().filter(|c| c.is_alphanumeric()).collect();
        Passage {
            folded,
            tokens,
            squashed,
        }
    }

    fn holds(&self, term: &Term) -> bool {
        match term {
            Term::Name(names, publisher) => names.iter().any(|n| self.holds_name(n, publisher)),
            Term::Number(v) => v.fract() == 0.0 && self.tokens.contains(&format!("{v:.0}")),
            Term::Date(d) => {
                let text = d.to_string();
                let year_ok = self.tokens.contains(&text[..4]);
                let month_ok = match text.get(5..7).and_then(|m| m.parse::<usize>().ok()) {
                    Some(m) => self.tokens.contains(MONTHS[m - 1]),
                    None => true,
                };
                year_ok && month_ok
            }
        }
    }

    fn holds_name(&self, name: &str, publisher: &[String]) -> bool {
        let folded = fold(name);
        if self.folded.contains(&folded) {
            return true;
        }
        words(&folded)
            .into_iter()
            .filter(|w| w.chars().count() >= 3 && !publisher.contains(w))
            .any(|w| self.tokens.contains(&w) || (w.len() >= 6 && self.squashed.contains(&w)))
    }
}

fn words(folded: &str) -> Vec<String> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The key terms of the node a citation supports, from the seed's own facts.
struct Facts<'a> {
    dump: &'a Batch,
}

impl Facts<'_> {
    fn solution_name(&self, id: &str) -> Option<Term> {
        let s = self.dump.solutions.iter().find(|s| s.id.as_str() == id)?;
        if s.unnamed {
            return None;
        }
        let publisher = s
            .publisher
            .as_ref()
            .and_then(|p| self.dump.publishers.iter().find(|x| &x.id == p))
            .map(|p| words(&fold(&p.name)))
            .unwrap_or_default();
        Some(Term::Name(vec![s.name.clone()], publisher))
    }

    fn collectivity_name(&self, id: &str) -> Option<Term> {
        let c = self
            .dump
            .collectivities
            .iter()
            .find(|c| c.id.as_str() == id)?;
        (!c.unnamed).then(|| Term::Name(vec![c.name.clone()], Vec::new()))
    }

    fn terms(&self, subject: &str) -> Vec<Term> {
        let d = self.dump;
        let mut terms: Vec<Term> = Vec::new();
        let interview_figures = |figures: &[retex::domain::Figure]| -> Vec<Term> {
            figures
                .iter()
                .filter(|f| f.source.as_ref().is_some_and(|s| s.as_str() == INTERVIEW))
                .map(|f| Term::Number(f.value))
                .collect()
        };
        if let Some(c) = d.collectivities.iter().find(|c| c.id.as_str() == subject) {
            terms.extend(self.collectivity_name(subject));
            terms.extend(interview_figures(&c.figures));
        } else if let Some(p) = d.publishers.iter().find(|p| p.id.as_str() == subject) {
            if !p.unnamed {
                let mut names = vec![p.name.clone()];
                names.extend(
                    d.solutions
                        .iter()
                        .filter(|s| s.publisher.as_ref() == Some(&p.id))
                        .map(|s| s.name.clone()),
                );
                terms.push(Term::Name(names, Vec::new()));
            }
            terms.extend(p.closed.map(Term::Date));
        } else if d.solutions.iter().any(|s| s.id.as_str() == subject) {
            terms.extend(self.solution_name(subject));
        } else if let Some(a) = d.alternatives.iter().find(|a| a.id.as_str() == subject) {
            terms.extend(self.solution_name(a.libre.as_str()));
            terms.extend(self.solution_name(a.proprietary.as_str()));
        } else if let Some(a) = d.adoptions.iter().find(|a| a.id.as_str() == subject) {
            terms.extend(self.collectivity_name(a.collectivity.as_str()));
            terms.extend(self.solution_name(a.solution.as_str()));
            terms.extend(
                a.replaced
                    .iter()
                    .filter_map(|r| self.solution_name(r.as_str())),
            );
            terms.extend(a.started.into_iter().chain(a.ended).map(Term::Date));
            terms.extend(a.scale.map(|n| Term::Number(n as f64)));
        } else if let Some(o) = d.outcomes.iter().find(|o| o.id.as_str() == subject) {
            terms.extend(o.date.map(Term::Date));
            terms.extend(interview_figures(&o.figures));
        } else if let Some(c) = d.contributions.iter().find(|c| c.id.as_str() == subject) {
            terms.extend(self.collectivity_name(c.collectivity.as_str()));
            terms.extend(
                c.solution
                    .as_ref()
                    .and_then(|s| self.solution_name(s.as_str())),
            );
            terms.extend(
                c.software
                    .as_ref()
                    .map(|s| Term::Name(vec![s.clone()], Vec::new())),
            );
            terms.extend(c.share_percent.map(Term::Number));
            terms.extend(c.started.into_iter().chain(c.ended).map(Term::Date));
        } else {
            panic!("{subject} cites the interview but is of no kind this test knows");
        }
        terms
    }
}

/// Every way the interview citations stray from the text: one line each.
fn mismatches(citations: &[Citation], facts: &Facts, paragraphs: &[String]) -> Vec<String> {
    let mut wrong = Vec::new();
    for c in citations.iter().filter(|c| c.source.as_str() == INTERVIEW) {
        let Some(locator) = &c.locator else {
            wrong.push(format!(
                "{} cites the interview without a locator",
                c.subject
            ));
            continue;
        };
        let numbers = match paragraph_numbers(locator, paragraphs.len()) {
            Ok(n) => n,
            Err(e) => {
                wrong.push(format!("{}: {e}", c.subject));
                continue;
            }
        };
        let text: String = numbers.iter().map(|n| paragraphs[n - 1].as_str()).collect();
        let passage = Passage::new(&text);
        for term in facts.terms(c.subject.as_str()) {
            if !passage.holds(&term) {
                wrong.push(format!("{} at {locator}: {term:?} is not there", c.subject));
            }
        }
    }
    wrong
}

async fn seeded_dump() -> Batch {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("retex.db"))
        .await
        .unwrap();
    retex::import::seed::load_embedded(&store).await.unwrap();
    store.dump().await.unwrap()
}

#[tokio::test]
async fn every_interview_citation_names_a_paragraph_that_states_the_fact() {
    let Some(text) = interview_text() else { return };
    let paragraphs = paragraphs(&text);
    assert_eq!(
        paragraphs.len(),
        36,
        "the interview's paragraph count changed"
    );
    assert!(
        paragraphs[0].starts_with("L'Open Source"),
        "§1 is the title"
    );
    let dump = seeded_dump().await;
    let facts = Facts { dump: &dump };
    let cited: Vec<&Citation> = dump
        .citations
        .iter()
        .filter(|c| c.source.as_str() == INTERVIEW)
        .collect();
    assert!(
        cited.len() >= 25,
        "only {} interview citations",
        cited.len()
    );
    let wrong = mismatches(&dump.citations, &facts, &paragraphs);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The table is not vacuous: most citations carry key terms, and these were checked.
    let with_terms = cited
        .iter()
        .filter(|c| !facts.terms(c.subject.as_str()).is_empty())
        .count();
    assert!(
        with_terms * 10 >= cited.len() * 8,
        "{with_terms} of {}",
        cited.len()
    );
}

#[tokio::test]
async fn a_citation_of_the_wrong_paragraph_is_caught() {
    let Some(text) = interview_text() else { return };
    let paragraphs = paragraphs(&text);
    let dump = seeded_dump().await;
    let facts = Facts { dump: &dump };
    let moved = |subject: &str, locator: &str| {
        let mut c = dump
            .citations
            .iter()
            .find(|c| c.subject.as_str() == subject && c.source.as_str() == INTERVIEW)
            .unwrap_or_else(|| panic!("{subject} cites the interview"))
            .clone();
        c.locator = Some(locator.to_owned());
        mismatches(&[c], &facts, &paragraphs)
    };
    // Fontaine's BigBlueButton is §35; §3 names Fontaine but not BigBlueButton.
    let wrong = moved("adoption:fontaine-bigbluebutton", &format!("{FILE}#§3"));
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(wrong[0].contains("BigBlueButton"), "{wrong:?}");
    // Échirolles's figures (60, 70, 80) are in §21, not in §17.
    let wrong = moved("collectivity:fr-commune-38151", &format!("{FILE}#§17"));
    assert_eq!(wrong.len(), 3, "{wrong:?}");
    // Out of range, malformed, or missing.
    assert!(moved("solution:vlc", &format!("{FILE}#§37"))[0].contains("§1 to §36"));
    assert!(moved("solution:vlc", "interview.txt#§29")[0].contains("does not start"));
    assert!(moved("solution:vlc", &format!("{FILE}#29"))[0].contains("is not §N"));
}

#[tokio::test]
async fn the_interview_facts_the_issue_listed_are_in_the_seed() {
    let dump = seeded_dump().await;
    let by_id: HashMap<&str, &retex::domain::Adoption> =
        dump.adoptions.iter().map(|a| (a.id.as_str(), a)).collect();
    // No fact about LibreOffice cites the interview, which never names it.
    assert!(!dump
        .citations
        .iter()
        .any(|c| c.source.as_str() == INTERVIEW && c.subject.as_str().contains("libreoffice")));
    // The Gendarmerie's Linux adoption is gone; its SILL usages stand, citing SILL.
    assert!(!by_id.contains_key("adoption:gendarmerie-gnu-linux"));
    for id in [
        "adoption:gendarmerie-lemonldap-ng",
        "adoption:gendarmerie-vlc",
    ] {
        assert!(by_id.contains_key(id), "{id}");
        let cites: Vec<_> = dump
            .citations
            .iter()
            .filter(|c| c.subject.as_str() == id)
            .collect();
        assert_eq!(cites.len(), 1);
        assert_eq!(cites[0].source.as_str(), "source:sill-2022");
    }
    // Échirolles's Linux move: a volunteer-first pilot that has replaced nothing yet.
    let linux = by_id["adoption:echirolles-gnu-linux"];
    assert_eq!(linux.status.as_str(), "PILOT");
    assert!(linux.replaced.is_empty());
    // "environ 80 %" keeps its approximation and its scope in the figure's name.
    let echirolles = dump
        .collectivities
        .iter()
        .find(|c| c.id.as_str() == "collectivity:fr-commune-38151")
        .unwrap();
    let share = echirolles.figures.iter().find(|f| f.value == 80.0).unwrap();
    assert_eq!(share.name, "libre-share-of-infrastructure-software-approx");
    // Data kept in-house, and the outcomes stated: 6 to 9 months gained among them.
    let infra = by_id["adoption:echirolles-libre-infrastructure"];
    assert_eq!(infra.hosting.map(|h| h.as_str()), Some("SELF_HOSTED"));
    let gained: Vec<f64> = dump
        .outcomes
        .iter()
        .filter(|o| o.adoption == infra.id)
        .flat_map(|o| o.figures.iter().map(|f| f.value))
        .collect();
    assert_eq!(gained, vec![6.0, 9.0]);
    let plugin = dump
        .contributions
        .iter()
        .find(|c| c.id.as_str() == "contribution:echirolles-wordpress-plugin")
        .unwrap();
    assert_eq!(plugin.kind.as_str(), "CODE");
    assert_eq!(
        plugin.solution.as_ref().unwrap().as_str(),
        "solution:wordpress"
    );
}
