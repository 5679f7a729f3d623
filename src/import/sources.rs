//! The `Source` node of each dataset version the importers read, with its licence.
//!
//! Where the curated seed already defines a dataset's source (same id), the importers cite
//! that one, so the seed and the imports meet; the definitions here mirror the seed's.

use crate::domain::{Licence, LocalizedText, PartialDate, Source, SourceId, SourceKind, WebUrl};

fn make(
    id: &str,
    title: &str,
    url: &str,
    publisher: &str,
    published: Option<&str>,
    licence: &str,
) -> Source {
    Source {
        id: SourceId::parse(id).expect("static source ids are valid"),
        title: title.to_owned(),
        titles: None,
        kind: SourceKind::Dataset,
        url: Some(WebUrl::parse(url).expect("static URLs are valid")),
        publisher: Some(publisher.to_owned()),
        published: published.map(|p| PartialDate::parse(p).expect("static dates are valid")),
        licence: Some(Licence::parse(licence).expect("static licences are valid")),
        retired: None,
    }
}

/// `source` with its title in French and, where it has one, in English: the English title is
/// `title`, unless `english` says there is none (a French dataset's own name).
fn titled(source: Source, french: &str, english: bool) -> Source {
    let en = english.then(|| source.title.clone());
    Source {
        titles: Some(
            LocalizedText::new(Some(french.to_owned()), en).expect("static titles are valid"),
        ),
        ..source
    }
}

/// INSEE/DGCL découpage administratif 2026 (Etalab-2.0).
pub fn decoupage() -> Source {
    titled(
        make(
            "source:decoupage-administratif-2026",
            "Découpage administratif 2026 (@etalab/decoupage-administratif 6.0.0)",
            "https://github.com/etalab/decoupage-administratif",
            "Etalab (DINUM), from INSEE and DGCL data",
            None,
            "etalab-2.0",
        ),
        "Découpage administratif 2026 (@etalab/decoupage-administratif 6.0.0)",
        false,
    )
}

/// SILL software.csv and services.csv of 2022-02 (Etalab-2.0).
pub fn sill_2022() -> Source {
    titled(
        make(
            "source:sill-2022",
            "SILL — software.csv and services.csv (sill-api, data of 2022-02-14)",
            "https://github.com/codegouvfr/sill-api",
            "DINUM / groupes MIM",
            Some("2022-02-14"),
            "etalab-2.0",
        ),
        "SILL (Socle interministériel de logiciels libres) — software.csv et services.csv (sill-api, données du 14 février 2022)",
        true,
    )
}

/// The consolidated sill.json of 2022-05 (Etalab-2.0).
pub fn sill_consolidated() -> Source {
    titled(
        make(
            "source:sill-consolidated-2022",
            "SILL — consolidated sill.json (sill-data, 2022-05)",
            "https://github.com/etalab/sill-data",
            "DINUM / groupes MIM",
            Some("2022-05-10"),
            "etalab-2.0",
        ),
        "SILL (Socle interministériel de logiciels libres) — sill.json consolidé (sill-data, mai 2022)",
        true,
    )
}

/// The yearly SILL CSVs 2018–2021 (Etalab-2.0).
pub fn sill_historic() -> Source {
    titled(
        make(
            "source:sill-2018-2021",
            "SILL — yearly CSVs 2018 to 2021 (DISIC/sill, commit 0f8bd5c)",
            "https://github.com/DISIC/sill",
            "DINUM / groupes MIM",
            Some("2021-06-09"),
            "etalab-2.0",
        ),
        "SILL (Socle interministériel de logiciels libres) — CSV annuels de 2018 à 2021 (DISIC/sill, commit 0f8bd5c)",
        true,
    )
}

/// govoss-catalog replaces.json and proprietary.json (CC BY 4.0).
pub fn govoss() -> Source {
    titled(
        Source {
            published: None,
            ..make(
                "source:govoss-catalog",
                "govoss-catalog — replaces.json and proprietary.json (commit 077db48)",
                "https://github.com/sarapis/govoss-catalog",
                "Sarapis",
                None,
                "CC-BY-4.0",
            )
        },
        "govoss-catalog — replaces.json et proprietary.json (commit 077db48)",
        true,
    )
}

/// endoflife.date product pages and release-data (MIT).
pub fn endoflife() -> Source {
    titled(
        make(
            "source:endoflife-date",
            "endoflife.date — product pages (commit a70eca3) and release-data (commit f626bde)",
            "https://github.com/endoflife-date/endoflife.date",
            "endoflife.date contributors",
            Some("2026-08-22"),
            "MIT",
        ),
        "endoflife.date — pages des produits (commit a70eca3) et release-data (commit f626bde)",
        true,
    )
}

/// The City of Munich's open source pages (MIT).
pub fn munich() -> Source {
    titled(
        make(
            "source:munich-opensource-2026",
            "opensource.muenchen.de — software pages (it-at-m, commit 68c02f1)",
            "https://github.com/it-at-m/opensource.muenchen.de",
            "Landeshauptstadt München, it@M",
            Some("2026-08-06"),
            "MIT",
        ),
        "opensource.muenchen.de — pages des logiciels (it-at-m, commit 68c02f1)",
        true,
    )
}

/// code.gouv.fr's data on public-sector organisations, forges and OSPOs (Etalab-2.0).
pub fn codegouv() -> Source {
    titled(
        make(
            "source:codegouvfr-data",
            "code.gouv.fr data — public-sector forge accounts and OSPOs",
            "https://git.sr.ht/~codegouvfr/codegouvfr-data",
            "DINUM",
            None,
            "etalab-2.0",
        ),
        "Données de code.gouv.fr — comptes des organismes publics sur les forges et OSPO",
        true,
    )
}

/// A publiccode.yml file: its licence is the repository's, unknown in general.
pub fn publiccode(slug: &str, title: &str, url: Option<WebUrl>) -> Source {
    Source {
        id: SourceId::from_name(&format!("publiccode-{slug}"))
            .unwrap_or_else(|_| SourceId::parse("source:publiccode").expect("valid id")),
        title: title.to_owned(),
        titles: None,
        kind: SourceKind::Catalogue,
        url,
        publisher: None,
        published: None,
        licence: None,
        retired: None,
    }
}
