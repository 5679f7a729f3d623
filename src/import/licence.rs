//! Licences written as free text in the datasets (`GPL V2.0`, `MPL 2.0 et EPL 1.0`,
//! `LGPL-2.1, LGPL-2.0,  LGPL-3.0`) turned into SPDX expressions.

use crate::domain::Licence;

/// The licence of a libre solution whose dataset states none.
pub const NOT_STATED: &str = "LicenseRef-not-stated";

/// Known spellings that are not SPDX ids.
const FIXES: [(&str, &str); 13] = [
    ("GPL V2.0", "GPL-2.0-only"),
    ("LGPL-V2.1", "LGPL-2.1-only"),
    ("AGPL-3", "AGPL-3.0-only"),
    ("GPL-3", "GPL-3.0-only"),
    ("GPL-2", "GPL-2.0-only"),
    ("LGPL-2", "LGPL-2.0-only"),
    ("LGPL-3", "LGPL-3.0-only"),
    ("MPL 2.0", "MPL-2.0"),
    ("EPL 1.0", "EPL-1.0"),
    ("BSD-3.0", "BSD-3-Clause"),
    ("APACHE 2.0", "Apache-2.0"),
    ("EUPL 1.2", "EUPL-1.2"),
    ("APACHE-LIZENZ 2.0", "Apache-2.0"),
];

fn one(part: &str) -> Licence {
    let part = part.trim();
    if let Some((_, fixed)) = FIXES.iter().find(|(k, _)| k.eq_ignore_ascii_case(part)) {
        if let Ok(l) = Licence::parse(fixed) {
            return l;
        }
    }
    if let Ok(l) = Licence::parse(part) {
        return l;
    }
    // Deprecated SPDX ids: `GPL-3.0` is `GPL-3.0-only`, `GPL-2.0+` is `GPL-2.0-or-later`.
    let renamed = match part.strip_suffix('+') {
        Some(p) => format!("{p}-or-later"),
        None => format!("{part}-only"),
    };
    if let Ok(l) = Licence::parse(&renamed) {
        return l;
    }
    let slug: String = part
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Licence::parse(&format!("LicenseRef-{}", slug.trim_matches('-')))
        .unwrap_or_else(|_| Licence::parse(NOT_STATED).expect("a valid LicenseRef"))
}

/// Reads a free-text licence; several licences (`,` `/` `et` `and` `;`) are joined with AND.
/// Returns `None` for an empty or `N/A` text.
pub fn parse_free_text(text: &str) -> Option<Licence> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("n/a") {
        return None;
    }
    let normalised = text
        .replace(" et ", ",")
        .replace(" and ", ",")
        .replace(['/', ';'], ",");
    let mut parts: Vec<String> = normalised
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| one(p).as_str().to_owned())
        .collect();
    parts.dedup();
    let joined = parts.join(" AND ");
    Licence::parse(&joined).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(text: &str) -> String {
        parse_free_text(text)
            .map(|l| l.as_str().to_owned())
            .unwrap_or_default()
    }

    #[test]
    fn free_text_licences_become_spdx() {
        assert_eq!(l("AGPL-3.0"), "AGPL-3.0-only");
        assert_eq!(l("MIT"), "MIT");
        assert_eq!(l("MPL 2.0 et EPL 1.0"), "MPL-2.0 AND EPL-1.0");
        assert_eq!(
            l("LGPL-2.1, LGPL-2.0,  LGPL-3.0"),
            "LGPL-2.1-only AND LGPL-2.0-only AND LGPL-3.0-only"
        );
        assert_eq!(l("GPL V2.0"), "GPL-2.0-only");
        assert_eq!(
            l("GPL-2.0-only / LGPL-2.0-only"),
            "GPL-2.0-only AND LGPL-2.0-only"
        );
        assert_eq!(l("GPL-2.0+"), "GPL-2.0-or-later");
        assert_eq!(l("CPA"), "LicenseRef-CPA");
        assert_eq!(l("N/A"), "");
        // A licence without its version stays unversioned.
        assert_eq!(l("GPL"), "LicenseRef-GPL");
    }
}
