//! The need taxonomy map: how each dataset's categories land on the seed's needs.
//!
//! The map is data, `seed/resolution/need-map.yaml`, compiled into the binary: publiccode.yml
//! categories, govoss functions, SILL 2020 components and City of Munich page tags. Broad
//! categories map to broad needs (never under a specific one); see the file for the rules.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::domain::fold;

/// The map's text, as compiled in.
pub const NEED_MAP: &str = include_str!("../../seed/resolution/need-map.yaml");

/// The need map, per dataset.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedMap {
    /// publiccode.yml category → need.
    pub publiccode: BTreeMap<String, String>,
    /// govoss `function` → need.
    pub govoss: BTreeMap<String, String>,
    /// SILL 2020 `composant` → need (none for a component too vague to place).
    pub sill_components: BTreeMap<String, Option<String>>,
    /// Munich page tag → need, in order of precedence.
    pub munich_tags: Vec<(String, String)>,
}

impl NeedMap {
    /// Every need the map names, with where (`publiccode:office`).
    pub fn targets(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = Vec::new();
        out.extend(
            self.publiccode
                .iter()
                .map(|(k, v)| (format!("publiccode:{k}"), v.as_str())),
        );
        out.extend(
            self.govoss
                .iter()
                .map(|(k, v)| (format!("govoss:{k}"), v.as_str())),
        );
        out.extend(
            self.sill_components
                .iter()
                .filter_map(|(k, v)| Some((format!("sill:{k}"), v.as_deref()?))),
        );
        out.extend(
            self.munich_tags
                .iter()
                .map(|(k, v)| (format!("munich:{k}"), v.as_str())),
        );
        out
    }
}

/// The compiled-in need map (parsed once; the file is checked by the tests).
pub fn need_map() -> &'static NeedMap {
    static MAP: OnceLock<NeedMap> = OnceLock::new();
    MAP.get_or_init(|| {
        serde_norway::from_str(NEED_MAP).expect("seed/resolution/need-map.yaml parses")
    })
}

/// The need a publiccode.yml category maps to, if the standard lists it.
pub fn publiccode_need(category: &str) -> Option<&'static str> {
    need_map()
        .publiccode
        .get(category.trim())
        .map(String::as_str)
}

/// The need a govoss function category maps to (`need:other` for an unknown one).
pub fn govoss_need(function: &str) -> &'static str {
    need_map()
        .govoss
        .get(function.trim())
        .map_or("need:other", String::as_str)
}

/// The need a SILL 2020 component maps to, if any (compared folded).
pub fn sill_component_need(component: &str) -> Option<&'static str> {
    let key = fold(component.trim());
    need_map()
        .sill_components
        .iter()
        .find(|(c, _)| fold(c) == key)
        .and_then(|(_, n)| n.as_deref())
}

/// The need of the first of these Munich tags found in the map's order of precedence.
pub fn munich_tags_need(tags: &[String]) -> Option<&'static str> {
    need_map()
        .munich_tags
        .iter()
        .find(|(tag, _)| tags.iter().any(|t| t == tag))
        .map(|(_, n)| n.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_parses_and_places_broad_categories_broadly() {
        assert_eq!(publiccode_need("office"), Some("need:office-productivity"));
        assert_eq!(publiccode_need("collaboration"), Some("need:teamwork"));
        assert_eq!(
            publiccode_need("communications"),
            Some("need:communication")
        );
        assert_eq!(
            publiccode_need("video-conferencing"),
            Some("need:video-conferencing")
        );
        assert_eq!(publiccode_need("no-such-category"), None);
        assert_eq!(govoss_need("office"), "need:office-productivity");
        assert_eq!(govoss_need("unknown"), "need:other");
        assert_eq!(
            sill_component_need("visiophonie"),
            Some("need:video-conferencing")
        );
        assert_eq!(sill_component_need("Outil métier"), None);
        let tags = vec!["desktop".to_owned(), "security".to_owned()];
        assert_eq!(munich_tags_need(&tags), Some("need:it-security"));
    }
}
