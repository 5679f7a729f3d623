//! Entity resolution: one solution per real product across datasets.
//!
//! A record is matched to a known solution (in the store or earlier in the same import) by, in
//! order: SILL id, Wikidata QID, repository URL, then normalised name (folded, punctuation dropped,
//! generic suffixes such as "server" or "meet" removed, a parenthesised name tried too, so
//! `Jitsi`, `Jitsi Meet` and `Webconf (Jitsi)` meet). Every record merged is listed on the solution's
//! `merge_evidence` (`<record>: <rule> <value>`). A wrong merge is undone with the overrides
//! file `seed/resolution/overrides.yaml`: `distinct` keeps a record apart from a solution,
//! `aliases` maps extra names to a solution.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::common::{read_text, Existing};
use super::ImportError;
use crate::domain::{fold, Solution, SolutionId, SolutionKind, WebUrl, WikidataId};

/// Words dropped from the end of a name before matching.
const GENERIC_SUFFIXES: [&str; 6] = [
    "server",
    "meet",
    "community edition",
    "community",
    "ce",
    "desktop",
];

/// Normalises a product name for matching: folded, alphanumeric words, generic suffixes removed.
pub fn normalise(name: &str) -> String {
    let words: Vec<String> = fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let mut joined = words.join(" ");
    for suffix in GENERIC_SUFFIXES {
        if let Some(stripped) = joined.strip_suffix(&format!(" {suffix}")) {
            joined = stripped.to_owned();
        }
    }
    joined
}

/// The names a record may be known by: itself, and the name in parentheses (`Webconf (Jitsi)`).
pub fn name_keys(name: &str) -> Vec<String> {
    let mut keys = vec![normalise(name)];
    if let (Some(open), Some(close)) = (name.find('('), name.rfind(')')) {
        if open < close {
            keys.push(normalise(&name[open + 1..close]));
        }
    }
    keys.retain(|k| !k.is_empty());
    keys.dedup();
    keys
}

/// Normalises a repository URL: lower case, no scheme, no `.git`, no trailing slash.
pub fn repo_key(url: &str) -> String {
    let u = url.trim().to_lowercase();
    let u = u
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.");
    u.trim_end_matches('/').trim_end_matches(".git").to_owned()
}

/// The overrides file: corrections to entity resolution kept in the seed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Extra names for solutions: name → solution id.
    #[serde(default)]
    pub aliases: HashMap<String, SolutionId>,
    /// Records kept apart from a solution they would otherwise merge into.
    #[serde(default)]
    pub distinct: Vec<Distinct>,
}

/// A record that must not merge into a solution.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distinct {
    /// The record's locator (`sill-api-2022-03/software.csv#ID=55`).
    pub record: String,
    /// The solution it must stay apart from.
    pub solution: SolutionId,
}

impl Overrides {
    /// Loads the overrides file; an absent file means no overrides.
    pub fn load(path: Option<&Path>) -> Result<Self, ImportError> {
        let Some(path) = path.filter(|p| p.is_file()) else {
            return Ok(Self::default());
        };
        let text = read_text(path)?;
        serde_norway::from_str(&text).map_err(|e| {
            let line = e.location().map_or(0, |l| l.line());
            ImportError::at(path, line, e.to_string())
        })
    }
}

/// What a record is known by.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    /// Its locator (file and record).
    pub record: String,
    /// Its name.
    pub name: String,
    /// Its SILL id.
    pub sill: Option<u32>,
    /// Its Wikidata QID.
    pub wikidata: Option<WikidataId>,
    /// Its repository.
    pub repository: Option<WebUrl>,
    /// Its kind, when the dataset says: a proprietary record never merges with a libre one.
    pub kind: Option<SolutionKind>,
}

/// A match and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The solution matched.
    pub solution: SolutionId,
    /// The evidence: `<record>: <rule> <value>`.
    pub evidence: String,
}

/// The ids that tell two products apart: SILL id, QID, repository, and whether proprietary.
type Strong = (Option<u32>, Option<String>, Option<String>, bool);

/// Indexes of known solutions by QID, repository and name.
#[derive(Debug, Default)]
pub struct Resolver {
    by_sill: HashMap<u32, SolutionId>,
    by_qid: HashMap<String, SolutionId>,
    by_repo: HashMap<String, SolutionId>,
    by_name: HashMap<String, Vec<SolutionId>>,
    /// The overrides' aliases: curated, so they hold even when repositories or QIDs differ.
    curated: HashMap<String, SolutionId>,
    distinct: Vec<(String, SolutionId)>,
    /// The strong ids (SILL id, QID) of each indexed solution.
    strong: HashMap<SolutionId, Strong>,
}

impl Resolver {
    /// Indexes the store's solutions and the overrides.
    pub fn new(existing: &Existing, overrides: &Overrides) -> Self {
        let mut r = Self {
            distinct: overrides
                .distinct
                .iter()
                .map(|d| (d.record.clone(), d.solution.clone()))
                .collect(),
            ..Self::default()
        };
        let mut solutions: Vec<&Solution> = existing.solutions.values().collect();
        solutions.sort_by(|a, b| a.id.cmp(&b.id));
        for (name, id) in &overrides.aliases {
            r.by_name.insert(normalise(name), vec![id.clone()]);
            r.curated.insert(normalise(name), id.clone());
        }
        // Names before aliases, so that an alias never shadows another product's own name.
        for s in &solutions {
            r.register_names(s, false);
        }
        for s in &solutions {
            r.register(s);
        }
        r
    }

    /// Adds a solution's keys (the first solution to claim a key keeps it).
    pub fn register(&mut self, s: &Solution) {
        self.strong.insert(
            s.id.clone(),
            (
                s.sill,
                s.wikidata.as_ref().map(|q| q.as_str().to_owned()),
                s.repository.as_ref().map(|r| repo_key(r.as_str())),
                s.kind == SolutionKind::Proprietary,
            ),
        );
        if let Some(n) = s.sill {
            self.by_sill.entry(n).or_insert(s.id.clone());
        }
        if let Some(q) = &s.wikidata {
            self.by_qid
                .entry(q.as_str().to_owned())
                .or_insert(s.id.clone());
        }
        if let Some(r) = &s.repository {
            self.by_repo
                .entry(repo_key(r.as_str()))
                .or_insert(s.id.clone());
        }
        self.register_names(s, true);
    }

    fn register_names(&mut self, s: &Solution, with_aliases: bool) {
        let aliases = if with_aliases { &s.aliases[..] } else { &[] };
        // A solution is known by its full names only; the name in parentheses is tried for
        // records (`Webconf (Jitsi)`), never registered (`EOLE (Ubuntu)` is not Ubuntu).
        for name in std::iter::once(&s.name).chain(aliases) {
            let key = normalise(name);
            if key.is_empty() {
                continue;
            }
            let ids = self.by_name.entry(key).or_default();
            if !ids.contains(&s.id) {
                ids.push(s.id.clone());
            }
        }
    }

    /// False when an override keeps the record apart, or when the record and the solution
    /// carry different SILL ids, QIDs or repositories (two distinct products whose names look alike:
    /// `Swift (OpenStack)` is not OpenStack).
    fn allowed(&self, c: &Candidate, id: &SolutionId) -> bool {
        if !self.allowed_curated(c, id) {
            return false;
        }
        let (sill, qid, repo, _) = self.strong.get(id).cloned().unwrap_or_default();
        let differs =
            |a: Option<String>, b: Option<String>| matches!((a, b), (Some(a), Some(b)) if a != b);
        !(differs(sill.map(|n| n.to_string()), c.sill.map(|n| n.to_string()))
            || differs(qid, c.wikidata.as_ref().map(|q| q.as_str().to_owned()))
            || differs(repo, c.repository.as_ref().map(|r| repo_key(r.as_str()))))
    }

    /// False when an override keeps the record apart, or when one is proprietary and the other
    /// not: the only checks a curated alias must pass.
    fn allowed_curated(&self, c: &Candidate, id: &SolutionId) -> bool {
        if self.distinct.iter().any(|(r, s)| *r == c.record && s == id) {
            return false;
        }
        let proprietary = self.strong.get(id).is_some_and(|s| s.3);
        c.kind
            .is_none_or(|kind| (kind == SolutionKind::Proprietary) == proprietary)
    }

    /// The known solution this record is, if any, with the evidence.
    pub fn resolve(&self, c: &Candidate) -> Option<Match> {
        let found = |rule: &str, value: &str, id: Option<&SolutionId>| {
            id.filter(|id| self.allowed(c, id)).map(|id| Match {
                solution: id.clone(),
                evidence: format!("{}: {rule} {value}", c.record),
            })
        };
        if let Some(n) = c.sill {
            if let Some(m) = found("sill id", &n.to_string(), self.by_sill.get(&n)) {
                return Some(m);
            }
        }
        if let Some(q) = &c.wikidata {
            if let Some(m) = found("wikidata", q.as_str(), self.by_qid.get(q.as_str())) {
                return Some(m);
            }
        }
        if let Some(r) = &c.repository {
            let key = repo_key(r.as_str());
            if let Some(m) = found("repository", &key, self.by_repo.get(&key)) {
                return Some(m);
            }
        }
        let keys = name_keys(&c.name);
        for key in &keys {
            if let Some(id) = self
                .curated
                .get(key)
                .filter(|id| self.allowed_curated(c, id))
            {
                return Some(Match {
                    solution: id.clone(),
                    evidence: format!("{}: curated alias \"{key}\"", c.record),
                });
            }
        }
        keys.into_iter().find_map(|key| {
            let ids = self.by_name.get(&key)?;
            ids.iter()
                .find_map(|id| found("name", &format!("\"{key}\""), Some(id)))
        })
    }
}

/// The solutions of one import: records are resolved against the store's solutions and the
/// import's earlier records, and merged into them.
#[derive(Debug)]
pub struct Merger<'a> {
    resolver: Resolver,
    existing: &'a Existing,
    solutions: std::collections::BTreeMap<String, Solution>,
}

impl<'a> Merger<'a> {
    /// Starts with the store's solutions and the overrides.
    pub fn new(existing: &'a Existing, overrides: &Overrides) -> Self {
        Self {
            resolver: Resolver::new(existing, overrides),
            existing,
            solutions: std::collections::BTreeMap::new(),
        }
    }

    /// The solution a record is, without adding it.
    pub fn lookup(&self, candidate: &Candidate) -> Option<Match> {
        self.resolver.resolve(candidate)
    }

    /// Adds a record's solution: merged into the solution it resolves to, or added as new.
    /// Returns the id it ended under.
    pub fn add(&mut self, record: Solution, candidate: &Candidate) -> SolutionId {
        let candidate = &Candidate {
            kind: candidate.kind.or(Some(record.kind)),
            ..candidate.clone()
        };
        let found = self.resolver.resolve(candidate);
        let own = self.free_id(&record);
        // A match keeps its evidence even when it lands on the record's own id.
        let (target, evidence) = match found {
            Some(m) => (m.solution, Some(m.evidence)),
            None => (own, None),
        };
        let mut record = record;
        record.id = target.clone();
        if record.needs.iter().any(|n| n.as_str() != "need:other") {
            record.needs.retain(|n| n.as_str() != "need:other");
        }
        let known = self
            .solutions
            .get(target.as_str())
            .or_else(|| self.existing.solutions.get(target.as_str()))
            .cloned();
        let record_key = format!("{}:", candidate.record);
        let merged = match known {
            Some(mut known) => {
                let evidence = evidence
                    .unwrap_or_else(|| format!("{} same id {}", record_key, target.as_str()));
                let seen = known
                    .merge_evidence
                    .iter()
                    .any(|e| e.starts_with(&record_key));
                merge(
                    &mut known,
                    &record,
                    &candidate.record,
                    if seen { String::new() } else { evidence },
                );
                known
            }
            None => {
                let mut record = record;
                record.merge_evidence = vec![format!("{record_key} first record")];
                if record.description.is_some() && record.description_sources.is_empty() {
                    record.description_sources = vec![candidate.record.clone()];
                }
                record
            }
        };
        self.resolver.register(&merged);
        self.solutions.insert(target.to_string(), merged);
        target
    }

    /// The record's own id, unless a solution of the other side (libre / proprietary) holds it:
    /// then the id gets the kind as a suffix (`solution:docker-proprietary`).
    fn free_id(&self, record: &Solution) -> SolutionId {
        let held = self
            .solutions
            .get(record.id.as_str())
            .or_else(|| self.existing.solutions.get(record.id.as_str()));
        match held {
            Some(h)
                if (h.kind == SolutionKind::Proprietary)
                    != (record.kind == SolutionKind::Proprietary) =>
            {
                let suffix = record.kind.as_str().to_lowercase();
                SolutionId::parse(&format!("{}-{suffix}", record.id)).unwrap_or(record.id.clone())
            }
            _ => record.id.clone(),
        }
    }

    /// The solution under this id, as merged so far.
    pub fn get_mut(&mut self, id: &SolutionId) -> Option<&mut Solution> {
        if !self.solutions.contains_key(id.as_str()) {
            let known = self.existing.solutions.get(id.as_str())?.clone();
            self.solutions.insert(id.to_string(), known);
        }
        self.solutions.get_mut(id.as_str())
    }

    /// The solutions merged so far, by id.
    pub fn solutions(&self) -> impl Iterator<Item = &Solution> {
        self.solutions.values()
    }

    /// The merged solutions, by id.
    pub fn finish(self) -> Vec<Solution> {
        self.solutions.into_values().collect()
    }
}

/// Merges a dataset's view of a solution (from the record `origin`) into a known one: stated
/// facts under the field policy of [`super::policy`], lists united, and the evidence and the
/// record's name kept.
pub fn merge(known: &mut Solution, record: &Solution, origin: &str, evidence: String) {
    // A dataset saying a public body built it (SILL `public`) refines LIBRE into INTERNAL.
    if record.kind == SolutionKind::Internal && known.kind == SolutionKind::Libre {
        known.kind = SolutionKind::Internal;
    }
    super::policy::merge_facts(known, record, origin);
    if known.plugin_of.is_none() {
        known.plugin_of.clone_from(&record.plugin_of);
    }
    let other_need = |n: &crate::domain::NeedId| n.as_str() != "need:other";
    for need in &record.needs {
        if !known.needs.contains(need) && other_need(need) {
            known.needs.push(need.clone());
        }
    }
    if known.needs.iter().any(other_need) {
        known.needs.retain(other_need);
    }
    for s in &record.similar {
        if !known.similar.contains(s) && *s != known.id {
            known.similar.push(s.clone());
        }
    }
    for y in &record.sill_history {
        if !known.sill_history.iter().any(|k| k.year == y.year) {
            known.sill_history.push(y.clone());
        }
    }
    known.sill_history.sort_by_key(|y| y.year);
    // A publiccode.yml's facts: the file that gave them first keeps them (two files describing
    // one product do not mix), and a newer read of that same file replaces them.
    if let Some(facts) = &record.publiccode {
        let same_file = known
            .publiccode
            .as_ref()
            .is_none_or(|k| k.record == facts.record);
        if same_file {
            known.publiccode = Some(facts.clone());
        }
    }
    if record.name != known.name && !known.aliases.contains(&record.name) {
        known.aliases.push(record.name.clone());
    }
    if !evidence.is_empty() && !known.merge_evidence.contains(&evidence) {
        known.merge_evidence.push(evidence);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_across_spellings() {
        assert_eq!(normalise("Jitsi Meet"), "jitsi");
        assert_eq!(normalise("PeerTube"), normalise("Peertube"));
        assert!(name_keys("Webconf (Jitsi)").contains(&"jitsi".to_owned()));
        assert_eq!(normalise("Nextcloud Server"), "nextcloud");
    }

    #[test]
    fn repository_urls_normalise() {
        assert_eq!(
            repo_key("https://GitHub.com/jitsi/jitsi-meet.git/"),
            repo_key("http://github.com/jitsi/jitsi-meet")
        );
    }
}
