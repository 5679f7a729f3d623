//! Reading seed files into one batch: where each record stands (file and line, for errors),
//! the nodes defined once, the references and citations they make.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::nodes::Cited;
use super::parse_file;
use super::records::{AdoptionRecord, CitedSource};
use crate::domain::{
    Adoption, Batch, Citation, NodeId, Outcome, ProductCycle, SourceId, WatchSource,
};
use crate::import::ImportError;

/// Where a record stands in the seed.
#[derive(Debug, Clone)]
pub(super) struct Place {
    pub(super) path: PathBuf,
    pub(super) line: usize,
}

impl Place {
    /// An import error at this place.
    pub(super) fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError::at(&self.path, self.line, message)
    }
}

/// A file's text, to find where records stand.
pub(super) struct FileText<'a> {
    path: &'a Path,
    lines: Vec<&'a str>,
}

impl FileText<'_> {
    /// The first line holding `key: value` (quoted or not); line 0 when none does.
    fn place_of(&self, key: &str, value: &str) -> Place {
        let line = self
            .lines
            .iter()
            .position(|l| {
                let l = l.trim_start().trim_start_matches("- ");
                l.strip_prefix(key)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .map(|rest| rest.trim().trim_matches(|c| c == '"' || c == '\'') == value)
                    .unwrap_or(false)
            })
            .map_or(0, |i| i + 1);
        Place {
            path: self.path.to_owned(),
            line,
        }
    }

    /// The line of an alternative: its `proprietary:` line right after its `libre:` line.
    fn place_of_pair(&self, libre: &str, proprietary: &str) -> Place {
        let line = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.contains(libre))
            .find(|(i, _)| {
                self.lines[*i..(*i + 8).min(self.lines.len())]
                    .iter()
                    .any(|l| l.contains(proprietary))
            })
            .map_or(0, |(i, _)| i + 1);
        Place {
            path: self.path.to_owned(),
            line,
        }
    }
}

/// The batch read from the seed, with where each record and reference stands.
#[derive(Default)]
pub(super) struct Reading {
    /// The nodes and citations read.
    pub(super) batch: Batch,
    /// The watch sources read, each with its place.
    pub(super) watch: Vec<(WatchSource, Place)>,
    /// The release cycles read, each with its place.
    pub(super) cycles: Vec<(ProductCycle, Place)>,
    /// Where each node is defined, by id.
    pub(super) defined: HashMap<String, Place>,
    /// Every reference a record makes: (from, to, where).
    pub(super) references: Vec<(NodeId, NodeId, Place)>,
}

impl Reading {
    fn define(&mut self, id: NodeId, place: Place) -> Result<(), ImportError> {
        if let Some(first) = self.defined.get(id.as_str()) {
            return Err(place.error(format!(
                "{id} is defined twice (first at {}:{})",
                first.path.display(),
                first.line
            )));
        }
        self.defined.insert(id.to_string(), place);
        Ok(())
    }

    fn refer(&mut self, from: impl Into<NodeId>, to: impl Into<NodeId>, place: &Place) {
        self.references
            .push((from.into(), to.into(), place.clone()));
    }

    fn cite(
        &mut self,
        subject: impl Into<NodeId>,
        sources: Vec<CitedSource>,
        place: &Place,
    ) -> Result<(), ImportError> {
        let subject: NodeId = subject.into();
        let mut cited: Vec<SourceId> = Vec::new();
        for CitedSource { source, locator } in sources {
            if cited.contains(&source) {
                return Err(place.error(format!(
                    "{subject} cites {source} twice: give one locator naming every passage"
                )));
            }
            cited.push(source.clone());
            self.refer(subject.clone(), source.clone(), place);
            self.batch.citations.push(Citation {
                locator,
                subject: subject.clone(),
                source,
            });
        }
        Ok(())
    }

    /// Adds one node read from a record at `place`: defined once, with its references and its
    /// citations (at least one when it must cite).
    fn add<T>(&mut self, cited: Cited<T>, place: &Place) -> Result<T, ImportError> {
        let Cited {
            id,
            node,
            refers,
            sources,
            must_cite,
        } = cited;
        self.define(id.clone(), place.clone())?;
        if must_cite && sources.is_empty() {
            return Err(place.error(format!("{id} cites no source: give at least one")));
        }
        for to in refers {
            self.refer(id.clone(), to, place);
        }
        self.cite(id, sources, place)?;
        Ok(node)
    }

    /// Adds the nodes of a file's records of one kind, each placed by `place_of`, into the
    /// batch's list `list`.
    fn add_all<R, T>(
        &mut self,
        records: Vec<R>,
        place_of: impl Fn(&R) -> Place,
        list: impl Fn(&mut Batch) -> &mut Vec<T>,
    ) -> Result<(), ImportError>
    where
        Cited<T>: From<R>,
    {
        for r in records {
            let place = place_of(&r);
            let node = self.add(Cited::from(r), &place)?;
            list(&mut self.batch).push(node);
        }
        Ok(())
    }

    /// Adds a file's adoptions and, after each, its outcomes.
    fn add_adoptions(
        &mut self,
        located: &FileText<'_>,
        records: Vec<AdoptionRecord>,
    ) -> Result<(), ImportError> {
        for mut r in records {
            let by_collectivity = located.place_of("collectivity", r.collectivity.as_str());
            let outcomes = std::mem::take(&mut r.outcomes);
            let cited = Cited::<Adoption>::try_from(r).map_err(|e| by_collectivity.error(e.0))?;
            let place = match located.place_of("id", cited.id.as_str()) {
                p if p.line > 0 => p,
                _ => by_collectivity,
            };
            let adoption = self.add(cited, &place)?;
            for (index, o) in outcomes.into_iter().enumerate() {
                let cited = Cited::<Outcome>::try_from((&adoption.id, index, o))
                    .map_err(|e| place.error(e.0))?;
                let outcome = self.add(cited, &place)?;
                self.batch.outcomes.push(outcome);
            }
            self.batch.adoptions.push(adoption);
        }
        Ok(())
    }
}

/// Keeps `item` at `place` unless `items` holds one with the same id already (`id_of`).
fn once<T>(
    items: &mut Vec<(T, Place)>,
    item: T,
    place: Place,
    id_of: impl Fn(&T) -> &str,
    hint: &str,
) -> Result<(), ImportError> {
    if let Some((_, first)) = items.iter().find(|(i, _)| id_of(i) == id_of(&item)) {
        return Err(place.error(format!(
            "{} is defined twice (first at {}:{}){hint}",
            id_of(&item),
            first.path.display(),
            first.line
        )));
    }
    items.push((item, place));
    Ok(())
}

/// Reads one seed file's records into `reading`, each kind in the order the graph needs.
pub(super) fn read_into(reading: &mut Reading, path: &Path, text: &str) -> Result<(), ImportError> {
    let file = parse_file(path, text)?;
    let located = FileText {
        path,
        lines: text.lines().collect(),
    };
    let by_id = |id: &str| located.place_of("id", id);
    reading.add_all(file.sources, |r| by_id(r.id.as_str()), |b| &mut b.sources)?;
    reading.add_all(file.needs, |r| by_id(r.id.as_str()), |b| &mut b.needs)?;
    reading.add_all(
        file.publishers,
        |r| by_id(r.id.as_str()),
        |b| &mut b.publishers,
    )?;
    reading.add_all(
        file.solutions,
        |r| by_id(r.id.as_str()),
        |b| &mut b.solutions,
    )?;
    reading.add_all(
        file.alternatives,
        |r| located.place_of_pair(r.libre.as_str(), r.proprietary.as_str()),
        |b| &mut b.alternatives,
    )?;
    reading.add_all(
        file.collectivities,
        |r| by_id(r.id.as_str()),
        |b| &mut b.collectivities,
    )?;
    reading.add_adoptions(&located, file.adoptions)?;
    reading.add_all(
        file.contributions,
        |r| by_id(r.id.as_str()),
        |b| &mut b.contributions,
    )?;
    for r in file.watch_sources {
        let (key, value) = r.anchor();
        let place = located.place_of(key, &value);
        let source = WatchSource::try_from(r).map_err(|e| place.error(e.0))?;
        let hint = ": give one an `id`";
        once(&mut reading.watch, source, place, |w| w.id.as_str(), hint)?;
    }
    for r in file.release_cycles {
        let place = located.place_of("id", &r.id);
        let cycle = ProductCycle::try_from(r).map_err(|e| place.error(e.0))?;
        once(&mut reading.cycles, cycle, place, |c| c.id.as_str(), "")?;
    }
    Ok(())
}
