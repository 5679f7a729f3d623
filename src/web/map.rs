//! Adopters by department as a server-rendered SVG tile chart: one tile per department,
//! grouped in rows by region, darker for more adopters. The data hold no department
//! outlines, so this is a chart of the administrative map, not a geographic one (the page
//! says so); the same counts follow as a list.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::html::esc;
use super::labels::{count, department_name, number, region_name, ADOPTER};
use super::places::DEPARTMENTS;
use super::Ctx;

const TILE: f64 = 34.0;
const GAP: f64 = 3.0;
const LABEL_W: f64 = 210.0;

/// Distinct adopters per department code among these adoptions.
fn adopters_per_department(ctx: &Ctx<'_>, adoptions: &[u32]) -> BTreeMap<String, u64> {
    let ix = &ctx.ix;
    let mut adopters: Vec<u32> = adoptions
        .iter()
        .map(|&a| ix.adoptions[a as usize].collectivity)
        .collect();
    adopters.sort_unstable();
    adopters.dedup();
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    for c in adopters {
        if let Some(d) = &ix.collectivities[c as usize].department {
            *out.entry(d.to_ascii_uppercase()).or_default() += 1;
        }
    }
    out
}

/// The shade class of a count, on five steps relative to the largest.
fn shade(n: u64, max: u64) -> usize {
    if n == 0 {
        return 0;
    }
    let ratio = n as f64 / max.max(1) as f64;
    1 + ((ratio * 3.999).floor() as usize).min(3)
}

/// The section drawing the adopters of these adoptions by department, with its list.
pub fn adopters_by_department(ctx: &Ctx<'_>, adoptions: &[u32]) -> String {
    let lang = ctx.lang;
    let counts = adopters_per_department(ctx, adoptions);
    if counts.is_empty() {
        return String::new();
    }
    let max = counts.values().copied().max().unwrap_or(1);
    // Metropolitan regions (codes 11 and up) first, then the overseas ones (01 to 06); the
    // overseas collectivities (three-digit codes) are not in a region and are left out.
    let mut regions: BTreeMap<(bool, &str), Vec<&str>> = BTreeMap::new();
    for (code, _, region) in DEPARTMENTS {
        if region.len() == 2 && super::places::region(region).is_some() {
            regions
                .entry((region.as_bytes().first() == Some(&b'0'), region))
                .or_default()
                .push(code);
        }
    }
    let widest = regions.values().map(Vec::len).max().unwrap_or(1) as f64;
    let width = LABEL_W + widest * (TILE + GAP);
    let height = regions.len() as f64 * (TILE + GAP) + 40.0;
    let title = lang.t(
        "Adoptants par département, groupés par région",
        "Adopters by department, grouped by region",
    );
    let desc = lang.t(
        "Une tuile par département (son code), rangée dans la ligne de sa région ; plus la tuile est foncée, plus le département compte d'adoptants. Ce n'est pas une carte géographique : les données ne contiennent pas de contours. La liste qui suit donne les mêmes nombres.",
        "One tile per department (its code), in its region's row; the darker the tile, the more adopters. Not a geographic map: the data hold no outlines. The list below gives the same numbers.",
    );
    let mut svg = format!(
        "<svg class=\"map\" role=\"img\" aria-labelledby=\"carte-t carte-d\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"carte-t\">{}</title><desc id=\"carte-d\">{}</desc>",
        esc(title),
        esc(desc)
    );
    for (row, ((_, region), codes)) in regions.iter().enumerate() {
        let y = row as f64 * (TILE + GAP);
        let _ = write!(
            svg,
            "<text class=\"region\" x=\"0\" y=\"{:.0}\">{}</text>",
            y + TILE / 2.0 + 5.0,
            esc(&region_name(&ctx.ix, region))
        );
        for (i, code) in codes.iter().enumerate() {
            let n = counts.get(*code).copied().unwrap_or(0);
            let x = LABEL_W + i as f64 * (TILE + GAP);
            let _ = write!(
                svg,
                "<g class=\"tile shade-{}\"><title>{} ({code}) : {}</title><rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"{TILE}\" height=\"{TILE}\" rx=\"3\"/><text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"middle\">{code}</text></g>",
                shade(n, max),
                esc(&department_name(&ctx.ix, code)),
                esc(&count(lang, n, ADOPTER)),
                x + TILE / 2.0,
                y + TILE / 2.0 + 5.0,
            );
        }
    }
    let legend_y = regions.len() as f64 * (TILE + GAP) + 10.0;
    let _ = write!(
        svg,
        "<text x=\"0\" y=\"{:.0}\">{}</text>",
        legend_y + 15.0,
        esc(lang.t("Légende : 0 adoptant", "Legend: 0 adopters"))
    );
    for step in 0..5 {
        let x = LABEL_W + step as f64 * (TILE + GAP);
        let _ = write!(
            svg,
            "<g class=\"tile shade-{step}\"><rect x=\"{x:.0}\" y=\"{legend_y:.0}\" width=\"{TILE}\" height=\"20\" rx=\"3\"/></g>"
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{:.0}\" y=\"{:.0}\">{} {}</text></svg>",
        LABEL_W + 5.0 * (TILE + GAP) + 4.0,
        legend_y + 15.0,
        lang.t("→ jusqu'à", "→ up to"),
        esc(&number(lang, max as f64, 0))
    );
    let mut list: Vec<(&String, &u64)> = counts.iter().collect();
    list.sort_by_key(|(code, n)| (std::cmp::Reverse(**n), (*code).clone()));
    let items: Vec<String> = list
        .iter()
        .map(|(code, n)| {
            format!(
                "<li>{} ({}) : {}</li>",
                esc(&department_name(&ctx.ix, code)),
                esc(code),
                esc(&count(lang, **n, ADOPTER))
            )
        })
        .collect();
    format!(
        "<figure class=\"drawing\">{svg}<figcaption>{}</figcaption></figure>\n<details><summary>{}</summary><ul class=\"columns\">{}</ul></details>\n",
        esc(desc),
        lang.t("Les nombres par département", "The numbers by department"),
        items.join("")
    )
}

#[cfg(test)]
mod tests {
    use super::shade;

    #[test]
    fn shades_grow_with_the_count() {
        assert_eq!(shade(0, 10), 0);
        assert_eq!(shade(1, 10), 1);
        assert_eq!(shade(10, 10), 4);
        assert!(shade(6, 10) >= shade(3, 10));
    }
}
