//! Release cycles of software products (from endoflife.date): when each cycle came out, when
//! its support ends, whether it is LTS, and its latest version.

use serde::{Deserialize, Serialize};

use super::{EndOfLife, PartialDate, ReleaseCycle, SolutionId, SourceId, ValidationError};

/// One release cycle of a product (`nextcloud` `28`, `debian` `12`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductCycle {
    /// Its id: `release:<product>--<cycle>` (`release:nextcloud--28`).
    pub id: String,
    /// The product's endoflife.date slug (`nextcloud`).
    pub product: String,
    /// The product's display name (`Nextcloud`).
    pub product_name: String,
    /// The cycle (`28`, `24.04`, `10-22h2`).
    pub cycle: String,
    /// When the cycle was first released.
    pub release_date: Option<PartialDate>,
    /// The data's boolean end of life, when it gives no date (`eol: true`); false when it
    /// gives a date (compare `eol_date` with today).
    pub eol: bool,
    /// When its support ends or ended, when a date is known.
    pub eol_date: Option<PartialDate>,
    /// True for a long-term-support cycle.
    pub lts: bool,
    /// Its latest version.
    pub latest: Option<String>,
    /// When its latest version came out.
    pub latest_date: Option<PartialDate>,
    /// Individual versions of the cycle with their dates, newest first (from release-data).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<ReleaseVersion>,
    /// The solution it is a release of, when one matches.
    pub solution: Option<SolutionId>,
    /// The dataset it comes from.
    pub source: SourceId,
    /// The file and record in that dataset.
    pub locator: String,
}

/// One released version and its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseVersion {
    /// The version (`28.0.4`).
    pub version: String,
    /// When it was released.
    pub date: Option<PartialDate>,
}

impl ProductCycle {
    /// The id of a product's cycle.
    pub fn id_for(product: &str, cycle: &str) -> String {
        format!("release:{product}--{cycle}")
    }

    /// Where a product's cycle stands in endoflife.date's data (its product page's front
    /// matter), as the importer and the seed record it.
    pub fn locator_for(product: &str, cycle: &str) -> String {
        format!("endoflife-date/products/{product}.md#releaseCycle={cycle}")
    }

    /// The cycle as the release watch and its alerts see one, when it is linked to a solution.
    /// A partial end-of-life date counts from its first day (`2025-10` ends on 2025-10-01).
    pub fn as_release_cycle(&self) -> Option<ReleaseCycle> {
        let eol = match (self.eol_date.and_then(|d| d.first_day()), self.eol) {
            (Some(date), _) => EndOfLife::Date(date),
            (None, true) => EndOfLife::Ended,
            (None, false) => EndOfLife::NotPlanned,
        };
        Some(ReleaseCycle {
            solution: self.solution.clone()?,
            product: self.product.clone(),
            cycle: self.cycle.clone(),
            released: self.release_date.and_then(|d| d.first_day()),
            eol,
            lts: self.lts,
            latest: self.latest.clone(),
        })
    }

    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.product.trim().is_empty() || self.cycle.trim().is_empty() {
            return Err(ValidationError::new(format!(
                "{} has an empty product or cycle",
                self.id
            )));
        }
        Ok(())
    }
}
