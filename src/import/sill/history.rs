//! The SILL's earlier editions (2018 to 2021): the status each gave a solution, read from the
//! old yearly CSV files, by SILL id (2020, 2021) or by normalised name (2018, 2019).

use std::collections::HashMap;
use std::path::Path;

use super::read_csv;
use super::SILL_2020;
use crate::domain::{SillStatus, SillYear};
use crate::import::resolve::normalise;
use crate::import::ImportError;

const SILL_2019: &str = "disic-sill-2018-2021/sill-2019.csv";
const SILL_2018: &str = "disic-sill-2018-2021/sill-2018-sources.csv";

/// Reads an old yearly CSV into (column → value) maps.
fn read_loose(path: &Path) -> Result<Vec<HashMap<String, String>>, ImportError> {
    if !path.is_file() {
        return Ok(Vec::new());
    }
    Ok(read_csv::<HashMap<String, String>>(path)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// The status an edition's code gives (`R`, `O`, `FR`/`FV`).
pub(super) fn status(code: &str) -> Option<SillStatus> {
    match code.trim() {
        "R" => Some(SillStatus::Recommended),
        "O" => Some(SillStatus::Observation),
        "FR" | "FV" => Some(SillStatus::NoLongerRecommended),
        _ => None,
    }
}

/// The years a `;`-separated list names.
pub(super) fn years(text: &str) -> Vec<u16> {
    text.split(';')
        .filter_map(|y| y.trim().parse().ok())
        .collect()
}

/// The statuses of earlier editions: by SILL id (2020, 2021) and by normalised name (2018, 2019).
#[derive(Default)]
pub(super) struct History {
    by_id_2020: HashMap<u32, (SillStatus, Vec<u16>)>,
    /// The 2020 edition's `composant` of each SILL id.
    pub(super) component_2020: HashMap<u32, String>,
    by_name: HashMap<(u16, String), SillStatus>,
}

impl History {
    /// Reads the earlier editions found in the SILL folder (missing ones are empty).
    pub(super) fn read(dir: &Path) -> Result<Self, ImportError> {
        let mut h = Self::default();
        for row in read_loose(&dir.join(SILL_2020))? {
            let id = row.get("ID").and_then(|v| v.trim().parse().ok());
            let st = row.get("statut").and_then(|v| status(v));
            if let (Some(id), Some(st)) = (id, st) {
                let ys = years(row.get("annees").map_or("", String::as_str));
                h.by_id_2020.insert(id, (st, ys));
            }
            if let (Some(id), Some(c)) = (id, row.get("composant")) {
                if !c.trim().is_empty() {
                    h.component_2020.insert(id, c.trim().to_owned());
                }
            }
        }
        for (year, file, name_col, status_col) in [
            (2019, SILL_2019, "LOGICIEL", "STATUT"),
            (2018, SILL_2018, "LOGICIEL", "STATUT"),
        ] {
            for row in read_loose(&dir.join(file))? {
                let name = row.get(name_col).map(|n| normalise(n));
                let st = row.get(status_col).and_then(|v| status(v));
                if let (Some(name), Some(st)) = (name, st) {
                    h.by_name.entry((year, name)).or_insert(st);
                }
            }
        }
        Ok(h)
    }

    /// The status history of a solution in the SILL of `years`, with its 2022 status.
    pub(super) fn of(
        &self,
        id: u32,
        name: &str,
        in_years: &[u16],
        current: Option<SillStatus>,
    ) -> Vec<SillYear> {
        let mut out = Vec::new();
        for &year in in_years {
            let st = match year {
                y if y >= 2022 => current,
                2020 | 2021 => self
                    .by_id_2020
                    .get(&id)
                    .filter(|(_, ys)| ys.contains(&year))
                    .map(|(s, _)| *s),
                y => self.by_name.get(&(y, normalise(name))).copied(),
            };
            if let Some(status) = st {
                out.push(SillYear { year, status });
            }
        }
        out
    }
}
