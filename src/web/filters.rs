//! The filters, sort and page of a page's tables, read from query parameters (`departement`,
//! `taille`, `statut`, `licence`, `tri`, `ordre`, `page`, `tout`). A value that means nothing
//! is refused with a sentence saying which parameter and what it takes.

use crate::analysis::Index;
use crate::domain::{AdoptionStatus, SolutionKind};

use super::labels::{size_of, SIZES};
use super::Params;

/// Rows on one page of a table.
pub const PAGE_ROWS: usize = 50;
/// Most rows "voir tout" shows (beyond, pages and filters).
pub const MAX_ALL_ROWS: usize = 2_000;
/// Column keys a table may be sorted by.
pub const SORT_KEYS: [&str; 7] = [
    "collectivite",
    "solution",
    "besoin",
    "statut",
    "periode",
    "population",
    "departement",
];

/// Libre (with in-house) or proprietary solutions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Licence {
    /// Libre and in-house solutions.
    Libre,
    /// Proprietary solutions.
    Proprietary,
}

/// What the tables of a page keep, in which order, and which slice.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Adopters of this department (code).
    pub department: Option<String>,
    /// Adopters of this size class (key of [`SIZES`]).
    pub size: Option<&'static str>,
    /// Adoptions with this status.
    pub status: Option<AdoptionStatus>,
    /// Libre or proprietary solutions.
    pub licence: Option<Licence>,
    /// The column sorted by, and whether descending.
    pub sort: Option<(&'static str, bool)>,
    /// The page, from 1.
    pub page: usize,
    /// Every row (up to [`MAX_ALL_ROWS`]).
    pub all: bool,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Filters {
    /// The filters a request asks for, or a sentence saying which value is wrong.
    pub fn parse(p: &Params) -> Result<Self, String> {
        let mut f = Filters {
            page: 1,
            ..Filters::default()
        };
        if let Some(d) = given(&p.departement) {
            if d.len() > 3 || !d.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(format!(
                    "« departement » attend un code de département (38, 2A, 974), pas « {d} »."
                ));
            }
            f.department = Some(d.to_ascii_uppercase());
        }
        if let Some(t) = given(&p.taille) {
            f.size = Some(
                SIZES
                    .iter()
                    .find(|(k, _, _)| *k == t)
                    .map(|(k, _, _)| *k)
                    .ok_or_else(|| {
                        let keys: Vec<&str> = SIZES.iter().map(|(k, _, _)| *k).collect();
                        format!(
                            "« taille » attend l'une de {}, pas « {t} ».",
                            keys.join(", ")
                        )
                    })?,
            );
        }
        if let Some(s) = given(&p.statut) {
            f.status = Some(
                AdoptionStatus::ALL
                    .iter()
                    .copied()
                    .find(|k| k.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| {
                        format!("« statut » attend deployed, pilot, evaluating, abandoned ou replaced, pas « {s} ».")
                    })?,
            );
        }
        if let Some(l) = given(&p.licence) {
            f.licence = Some(match l {
                "libre" => Licence::Libre,
                "proprietaire" => Licence::Proprietary,
                _ => {
                    return Err(format!(
                        "« licence » attend libre ou proprietaire, pas « {l} »."
                    ))
                }
            });
        }
        if let Some(t) = given(&p.tri) {
            let key = SORT_KEYS.iter().find(|k| **k == t).ok_or_else(|| {
                format!(
                    "« tri » attend l'une de {}, pas « {t} ».",
                    SORT_KEYS.join(", ")
                )
            })?;
            let desc = match given(&p.ordre) {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(o) => return Err(format!("« ordre » attend asc ou desc, pas « {o} ».")),
            };
            f.sort = Some((key, desc));
        }
        if let Some(n) = given(&p.page) {
            f.page = n
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or_else(|| {
                    format!("« page » attend un numéro de page à partir de 1, pas « {n} ».")
                })?;
        }
        if let Some(t) = given(&p.tout) {
            if t != "1" {
                return Err(format!("« tout » attend 1, pas « {t} »."));
            }
            f.all = true;
        }
        Ok(f)
    }

    /// True when some filter narrows the rows.
    pub fn narrows(&self) -> bool {
        self.department.is_some()
            || self.size.is_some()
            || self.status.is_some()
            || self.licence.is_some()
    }

    /// Whether the adoption `a` passes the filters.
    pub fn keeps(&self, ix: &Index, a: u32) -> bool {
        let adoption = &ix.adoptions[a as usize];
        let c = &ix.collectivities[adoption.collectivity as usize];
        let kind = ix.solutions[adoption.solution as usize].kind;
        self.department.as_ref().is_none_or(|d| {
            c.department
                .as_deref()
                .is_some_and(|cd| cd.eq_ignore_ascii_case(d))
        }) && self.size.is_none_or(|s| size_of(c.population) == Some(s))
            && self.status.is_none_or(|s| adoption.status == s)
            && self.licence.is_none_or(|l| match l {
                Licence::Libre => kind != SolutionKind::Proprietary,
                Licence::Proprietary => kind == SolutionKind::Proprietary,
            })
    }

    /// The slice of `total` rows shown: all of them (up to [`MAX_ALL_ROWS`]) or one page.
    pub fn window(&self, total: usize) -> std::ops::Range<usize> {
        if self.all {
            return 0..total.min(MAX_ALL_ROWS);
        }
        let start = ((self.page - 1) * PAGE_ROWS).min(total);
        start..(start + PAGE_ROWS).min(total)
    }
}

/// Sorts adoptions by a column of the adoption tables (then by id, so ties are stable).
pub fn sort_adoptions(ix: &Index, rows: &mut [u32], key: &str, desc: bool, french: bool) {
    let text = |a: u32| -> String {
        let adoption = &ix.adoptions[a as usize];
        match key {
            "collectivite" => {
                crate::domain::fold(&ix.collectivities[adoption.collectivity as usize].name)
            }
            "solution" => crate::domain::fold(&ix.solutions[adoption.solution as usize].name),
            "besoin" => crate::domain::fold(ix.needs[adoption.need as usize].label.get(french)),
            "statut" => adoption.status.as_str().to_owned(),
            "periode" => adoption.started.map(|d| d.sort_key()).unwrap_or_default(),
            "population" => format!(
                "{:020}",
                ix.collectivities[adoption.collectivity as usize]
                    .population
                    .unwrap_or(0)
            ),
            "departement" => ix.collectivities[adoption.collectivity as usize]
                .department
                .clone()
                .unwrap_or_default(),
            _ => String::new(),
        }
    };
    let mut keyed: Vec<(String, u32)> = rows.iter().map(|&a| (text(a), a)).collect();
    keyed.sort();
    if desc {
        keyed.reverse();
    }
    for (slot, (_, a)) in rows.iter_mut().zip(keyed) {
        *slot = a;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        let mut p = Params::default();
        for (k, v) in pairs {
            let v = Some((*v).to_owned());
            match *k {
                "departement" => p.departement = v,
                "taille" => p.taille = v,
                "statut" => p.statut = v,
                "licence" => p.licence = v,
                "tri" => p.tri = v,
                "ordre" => p.ordre = v,
                "page" => p.page = v,
                "tout" => p.tout = v,
                _ => unreachable!(),
            }
        }
        p
    }

    #[test]
    fn filters_read_their_parameters() {
        let f = Filters::parse(&params(&[
            ("departement", "2a"),
            ("taille", "10000-50000"),
            ("statut", "deployed"),
            ("licence", "libre"),
            ("tri", "population"),
            ("ordre", "desc"),
            ("page", "3"),
        ]))
        .unwrap();
        assert_eq!(f.department.as_deref(), Some("2A"));
        assert_eq!(f.size, Some("10000-50000"));
        assert_eq!(f.status, Some(AdoptionStatus::Deployed));
        assert_eq!(f.licence, Some(Licence::Libre));
        assert_eq!(f.sort, Some(("population", true)));
        assert_eq!(f.window(200), 100..150);
        assert_eq!(f.window(120), 100..120);
        assert!(f.narrows());
    }

    #[test]
    fn bad_values_say_what_is_expected() {
        for (k, v) in [
            ("page", "0"),
            ("page", "abc"),
            ("statut", "great"),
            ("licence", "gpl"),
            ("tri", "prix"),
            ("taille", "huge"),
            ("departement", "<script>"),
            ("tout", "oui"),
        ] {
            let e = Filters::parse(&params(&[(k, v)])).unwrap_err();
            assert!(e.contains(k), "{e}");
        }
        let all = Filters::parse(&params(&[("tout", "1")])).unwrap();
        assert_eq!(all.window(5_000), 0..MAX_ALL_ROWS);
        assert_eq!(
            Filters::parse(&Params::default()).unwrap().window(10),
            0..10
        );
    }
}
