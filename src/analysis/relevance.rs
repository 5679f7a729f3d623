//! Relevance to the asker: evidence from bodies like the asker weighs more.
//!
//! Every adopter has a [`Profile`] (country, kind of body, size band). Against the asker's
//! profile, each adoption falls in one [`Likeness`] class, checked in this order:
//!
//! | class | adopter | weight |
//! | --- | --- | --- |
//! | `comparable` | same country, same kind, comparable size (same or neighbouring size band) | 1.0 |
//! | `sameKind` | same country, same kind, other or unknown size | 0.5 |
//! | `sameCountry` | same country, another kind | 0.3 |
//! | `sameLanguage` | another country sharing an official language | 0.15 |
//! | `elsewhere` | any other | 0.05 |
//!
//! The size band is `⌊log₂ population⌋`: neighbouring bands put two bodies at most four times
//! apart. Adoptions are tallied per profile when the index is built, so weighing them for an
//! asker costs one pass over a few dozen profiles, not over the adoptions.

use crate::domain::{CollectivityKind, Country};

/// A likeness class of an adopter to the asker, most alike first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Likeness {
    /// Same country, same kind, comparable size.
    Comparable,
    /// Same country, same kind, another or unknown size.
    SameKind,
    /// Same country, another kind.
    SameCountry,
    /// Another country sharing an official language.
    SameLanguage,
    /// Anywhere else.
    Elsewhere,
}

impl Likeness {
    /// The classes, most alike first.
    pub const ALL: [Likeness; 5] = [
        Likeness::Comparable,
        Likeness::SameKind,
        Likeness::SameCountry,
        Likeness::SameLanguage,
        Likeness::Elsewhere,
    ];

    /// How much an adoption of this class weighs.
    pub fn weight(self) -> f64 {
        match self {
            Likeness::Comparable => 1.0,
            Likeness::SameKind => 0.5,
            Likeness::SameCountry => 0.3,
            Likeness::SameLanguage => 0.15,
            Likeness::Elsewhere => 0.05,
        }
    }

    /// The name of its score part.
    pub fn part_name(self) -> &'static str {
        match self {
            Likeness::Comparable => "comparableAdoptions",
            Likeness::SameKind => "sameKindAdoptions",
            Likeness::SameCountry => "sameCountryAdoptions",
            Likeness::SameLanguage => "sameLanguageAdoptions",
            Likeness::Elsewhere => "otherAdoptions",
        }
    }
}

/// An unknown size band.
pub const UNKNOWN_SIZE: u8 = u8::MAX;

/// What relevance looks at in an adopter: its country (interned), kind and size band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Profile {
    /// The country (index in [`Countries`]).
    pub country: u16,
    /// The kind of body.
    pub kind: u8,
    /// `⌊log₂ population⌋`, or [`u8::MAX`] when unknown.
    pub size: u8,
}

/// The size band of a population.
pub fn size_band(population: Option<u64>) -> u8 {
    match population {
        Some(p) if p > 0 => p.ilog2() as u8,
        _ => UNKNOWN_SIZE,
    }
}

fn kind_code(kind: CollectivityKind) -> u8 {
    CollectivityKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0) as u8
}

/// The countries of the graph, interned, with their official languages.
#[derive(Debug, Default)]
pub struct Countries {
    codes: Vec<Country>,
}

impl Countries {
    /// The index of a country, interned on first sight.
    pub fn intern(&mut self, country: &Country) -> u16 {
        match self.codes.iter().position(|c| c == country) {
            Some(i) => i as u16,
            None => {
                self.codes.push(country.clone());
                (self.codes.len() - 1) as u16
            }
        }
    }

    /// The code of an interned country.
    pub fn code(&self, country: u16) -> &str {
        self.codes.get(country as usize).map_or("", |c| c.as_str())
    }

    /// The profile of a body.
    pub fn profile(
        &mut self,
        country: &Country,
        kind: CollectivityKind,
        population: Option<u64>,
    ) -> Profile {
        Profile {
            country: self.intern(country),
            kind: kind_code(kind),
            size: size_band(population),
        }
    }

    /// How alike `adopter` is to `asker`.
    pub fn likeness(&self, asker: &Profile, adopter: &Profile) -> Likeness {
        if asker.country != adopter.country {
            let shared = languages(self.code(asker.country))
                .iter()
                .any(|l| languages(self.code(adopter.country)).contains(l));
            return if shared {
                Likeness::SameLanguage
            } else {
                Likeness::Elsewhere
            };
        }
        if asker.kind != adopter.kind {
            return Likeness::SameCountry;
        }
        let comparable = asker.size != UNKNOWN_SIZE
            && adopter.size != UNKNOWN_SIZE
            && asker.size.abs_diff(adopter.size) <= 1;
        if comparable {
            Likeness::Comparable
        } else {
            Likeness::SameKind
        }
    }
}

/// The official languages of a country (ISO 639-1), for the countries public bodies in the
/// graph's sources come from; none for others (they share a language with nobody).
pub fn languages(country: &str) -> &'static [&'static str] {
    match country {
        "FR" | "MC" => &["fr"],
        "BE" => &["fr", "nl", "de"],
        "CH" => &["de", "fr", "it"],
        "LU" => &["fr", "de", "lb"],
        "CA" => &["en", "fr"],
        "IT" | "SM" | "VA" => &["it"],
        "DE" | "AT" | "LI" => &["de"],
        "ES" => &["es"],
        "PT" | "BR" => &["pt"],
        "NL" => &["nl"],
        "GB" | "IE" | "US" | "AU" | "NZ" => &["en"],
        _ => &[],
    }
}

/// What one group of adoptions (one profile) brings to the evidence.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// Adoptions.
    pub adoptions: u32,
    /// Σ status weight.
    pub strength: f64,
    /// SUCCESS + COST_SAVING + ½ PARTIAL outcomes.
    pub favourable: f64,
    /// ROLLBACK + VENDOR_SHUTDOWN outcomes.
    pub unfavourable: f64,
    /// Recent adoptions.
    pub recent: u32,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.adoptions += other.adoptions;
        self.strength += other.strength;
        self.favourable += other.favourable;
        self.unfavourable += other.unfavourable;
        self.recent += other.recent;
    }
}

/// Tallies per adopter profile, sorted by profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ByProfile(pub Vec<(Profile, Tally)>);

impl ByProfile {
    /// Adds a tally to a profile's.
    pub fn add(&mut self, profile: Profile, tally: &Tally) {
        match self.0.binary_search_by(|(p, _)| p.cmp(&profile)) {
            Ok(i) => self.0[i].1.add(tally),
            Err(i) => self.0.insert(i, (profile, *tally)),
        }
    }

    /// Adds all of another's tallies (both sorted: one linear merge).
    pub fn merge(&mut self, other: &ByProfile) {
        if other.0.is_empty() {
            return;
        }
        if self.0.is_empty() {
            self.0.clone_from(&other.0);
            return;
        }
        let (x, y) = (&self.0, &other.0);
        let mut merged = Vec::with_capacity(x.len() + y.len());
        let (mut i, mut j) = (0, 0);
        while i < x.len() && j < y.len() {
            match x[i].0.cmp(&y[j].0) {
                std::cmp::Ordering::Less => {
                    merged.push(x[i]);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    merged.push(y[j]);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    let mut t = x[i].1;
                    t.add(&y[j].1);
                    merged.push((x[i].0, t));
                    i += 1;
                    j += 1;
                }
            }
        }
        merged.extend_from_slice(&x[i..]);
        merged.extend_from_slice(&y[j..]);
        self.0 = merged;
    }

    /// Tallies per likeness class to `asker`, in [`Likeness::ALL`] order.
    pub fn by_likeness(&self, countries: &Countries, asker: &Profile) -> [Tally; 5] {
        let mut out = [Tally::default(); 5];
        for (p, t) in &self.0 {
            let class = countries.likeness(asker, p);
            out[class as usize].add(t);
        }
        out
    }

    /// Adoptions per country (code), most first, then by code.
    pub fn by_country(&self, countries: &Countries) -> Vec<(String, u32)> {
        let mut per: Vec<(u16, u32)> = Vec::new();
        for (p, t) in &self.0 {
            match per.iter_mut().find(|(c, _)| *c == p.country) {
                Some((_, n)) => *n += t.adoptions,
                None => per.push((p.country, t.adoptions)),
            }
        }
        let mut out: Vec<(String, u32)> = per
            .into_iter()
            .map(|(c, n)| (countries.code(c).to_owned(), n))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(code: &str) -> Country {
        Country::parse(code).unwrap()
    }

    #[test]
    fn likeness_goes_country_then_kind_then_size() {
        let mut c = Countries::default();
        let commune = CollectivityKind::Commune;
        let asker = c.profile(&country("FR"), commune, Some(30_000));
        let cases = [
            ("FR", commune, Some(20_000), Likeness::Comparable),
            ("FR", commune, Some(60_000), Likeness::Comparable),
            ("FR", commune, Some(2_000), Likeness::SameKind),
            ("FR", commune, None, Likeness::SameKind),
            (
                "FR",
                CollectivityKind::Region,
                Some(30_000),
                Likeness::SameCountry,
            ),
            ("BE", commune, Some(30_000), Likeness::SameLanguage),
            ("IT", commune, Some(30_000), Likeness::Elsewhere),
        ];
        for (code, kind, population, expected) in cases {
            let p = c.profile(&country(code), kind, population);
            assert_eq!(
                c.likeness(&asker, &p),
                expected,
                "{code} {kind:?} {population:?}"
            );
        }
    }

    #[test]
    fn weights_fall_with_likeness() {
        let w: Vec<f64> = Likeness::ALL.iter().map(|l| l.weight()).collect();
        assert!(w.windows(2).all(|p| p[0] > p[1]), "{w:?}");
    }

    #[test]
    fn tallies_group_by_profile_and_country() {
        let mut c = Countries::default();
        let fr = c.profile(&country("FR"), CollectivityKind::Commune, Some(100));
        let it = c.profile(&country("IT"), CollectivityKind::OtherPublicBody, None);
        let one = Tally {
            adoptions: 1,
            strength: 1.0,
            ..Default::default()
        };
        let mut by = ByProfile::default();
        by.add(it, &one);
        by.add(fr, &one);
        by.add(it, &one);
        assert_eq!(by.0.len(), 2);
        let mut merged = ByProfile::default();
        merged.merge(&by);
        merged.merge(&by);
        assert_eq!(merged.0.len(), 2);
        assert_eq!(
            merged.by_country(&c),
            [("IT".to_owned(), 4), ("FR".to_owned(), 2)]
        );
        assert_eq!(
            by.by_country(&c),
            [("IT".to_owned(), 2), ("FR".to_owned(), 1)]
        );
        let classes = by.by_likeness(&c, &fr);
        assert_eq!(classes[Likeness::Comparable as usize].adoptions, 1);
        assert_eq!(classes[Likeness::Elsewhere as usize].adoptions, 2);
    }
}
