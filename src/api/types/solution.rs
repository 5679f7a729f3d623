//! `Solution`: a piece of software or a service, with its SILL history and its continuity
//! risk beside its stated facts.

use super::{
    risk, AlternativeNode, BasedOnNode, ContributionNode, DependencyNode, MaintenanceNode,
    NeedNode, PublisherNode, Risk, Text, VersionReleaseNode,
};
use crate::api::context::{index, related};
use crate::api::enums::{MaintenanceStatus, SolutionKind};
use crate::api::error::ApiResult;
use crate::api::loaders::{AlternativesOf, ContributionsTo};
use crate::domain;
use async_graphql::{Context, Object, SimpleObject};

/// A solution's status in one year's SILL.
#[derive(SimpleObject)]
pub struct SillYear {
    /// The SILL edition's year.
    pub year: u16,
    /// `RECOMMENDED`, `OBSERVATION` or `NO_LONGER_RECOMMENDED`.
    pub status: String,
}

/// A piece of software or a service, libre, proprietary or built by a public body.
#[derive(Clone)]
pub struct SolutionNode(pub domain::Solution);

node_object! {
    #[Object(name = "Solution")]
    impl SolutionNode {
        version;
        /// Its status in the SILL, year by year.
        async fn sill_history(&self) -> Vec<SillYear> {
            self.0
                .sill_history
                .iter()
                .map(|y| SillYear {
                    year: y.year,
                    status: y.status.as_str().to_owned(),
                })
                .collect()
        }
        /// The solution it is a plugin or extension of.
        linked_opt plugin_of -> SolutionNode;
        /// Solutions a dataset (the SILL) calls similar to it.
        linked_all similar -> SolutionNode;
        /// Other names it has in the datasets.
        async fn aliases(&self) -> &[String] {
            &self.0.aliases
        }
        /// Why records of several datasets were merged into it (`<record>: <rule> <value>`).
        async fn merge_evidence(&self) -> &[String] {
            &self.0.merge_evidence
        }
        /// Values two sources state differently, never silently dropped: the value served, the
        /// other one, and who states it (`licence: MIT (sill/...#ID=1, the authority) over
        /// GPL-3.0-only`; `licence: MIT kept over Apache-2.0 (publiccode/x.yml)`).
        async fn conflicts(&self) -> &[String] {
            &self.0.conflicts
        }
        /// Its development status as its publiccode.yml states it (`concept`, `development`,
        /// `beta`, `stable`, `obsolete`).
        async fn development_status(&self) -> Option<&str> {
            self.0
                .publiccode
                .as_ref()
                .and_then(|f| f.development_status.as_deref())
        }
        /// Who maintains it, with the contractors and the end of their contracts (publiccode.yml).
        async fn maintenance(&self) -> Option<MaintenanceNode> {
            self.0
                .publiccode
                .as_ref()
                .and_then(|f| f.maintenance.clone())
                .map(MaintenanceNode)
        }
        /// The latest release its publiccode.yml states (`softwareVersion`, `releaseDate`).
        async fn latest_version(&self) -> Option<VersionReleaseNode> {
            self.0
                .publiccode
                .as_ref()
                .and_then(|f| f.latest_version.clone())
                .map(VersionReleaseNode)
        }
        /// What it needs to run (publiccode.yml `dependsOn`), linked to known solutions.
        async fn depends_on(&self) -> Vec<DependencyNode> {
            self.0
                .publiccode
                .iter()
                .flat_map(|f| f.depends_on.iter().cloned())
                .map(DependencyNode)
                .collect()
        }
        /// The software it is based on (publiccode.yml `isBasedOn`), linked to known solutions.
        async fn based_on(&self) -> Vec<BasedOnNode> {
            self.0
                .publiccode
                .iter()
                .flat_map(|f| f.based_on.iter().cloned())
                .map(BasedOnNode)
                .collect()
        }
        /// Its id (`solution:bigbluebutton`).
        id;
        /// Its name.
        async fn name(&self) -> &str {
            &self.0.name
        }
        /// Libre, proprietary or internal.
        async fn kind(&self) -> SolutionKind {
            self.0.kind.into()
        }
        /// Its licence, as an SPDX expression.
        async fn licence(&self) -> Option<&str> {
            self.0.licence.as_ref().map(|l| l.as_str())
        }
        /// Whether every licence of the expression is OSI-approved or FSF-free.
        async fn licence_is_libre(&self) -> Option<bool> {
            self.0.licence.as_ref().map(|l| l.is_libre())
        }
        /// Who makes it.
        linked_opt publisher -> PublisherNode;
        /// The needs it serves.
        linked_all needs -> NeedNode;
        /// Its maintenance health.
        async fn status(&self) -> MaintenanceStatus {
            self.0.status.into()
        }
        /// Its web site.
        async fn website(&self) -> Option<&str> {
            self.0.website.as_ref().map(|w| w.as_str())
        }
        /// Its source repository.
        async fn repository(&self) -> Option<&str> {
            self.0.repository.as_ref().map(|w| w.as_str())
        }
        /// Its Wikidata item (`Q171477`).
        async fn wikidata(&self) -> Option<&str> {
            self.0.wikidata.as_ref().map(|w| w.as_str())
        }
        /// Its id in the French State's SILL.
        async fn sill_id(&self) -> Option<u32> {
            self.0.sill
        }
        /// Its id on the Comptoir du Libre.
        async fn comptoir_id(&self) -> Option<u32> {
            self.0.comptoir
        }
        /// What it does, in French and/or English: the curated seed's words, else the text the
        /// datasets publish (see `descriptionSources`).
        async fn description(&self) -> Option<Text> {
            self.0.description.clone().map(Text)
        }
        /// The dataset records whose text is in `description`
        /// (`sill/sill-consolidated-2022-05/sill.json#id=196 (fr-desc)`).
        async fn description_sources(&self) -> &[String] {
            &self.0.description_sources
        }
        /// True when the sources do not name it.
        async fn unnamed(&self) -> bool {
            self.0.unnamed
        }
        /// The proprietary solutions this libre one can replace.
        async fn replaces(&self, ctx: &Context<'_>) -> ApiResult<Vec<AlternativeNode>> {
            let keep = |a: &domain::Alternative| a.libre == self.0.id;
            related(ctx, AlternativesOf(self.0.id.clone()), keep, AlternativeNode).await
        }
        /// Public bodies giving back to it (code, funding, staff time...): a sign of its health.
        async fn contributors(&self, ctx: &Context<'_>) -> ApiResult<Vec<ContributionNode>> {
            related(ctx, ContributionsTo(self.0.id.clone()), |_| true, ContributionNode).await
        }
        /// The libre solutions that can replace this proprietary one.
        async fn alternatives(&self, ctx: &Context<'_>) -> ApiResult<Vec<AlternativeNode>> {
            let keep = |a: &domain::Alternative| a.proprietary == self.0.id;
            related(ctx, AlternativesOf(self.0.id.clone()), keep, AlternativeNode).await
        }
        /// Who adopted it, and how it went.
        adoptions(Solution);
        sources;
        citations;
        /// Its continuity risk: the reasons (publisher closed, discontinued, unmaintained, adopters
        /// who rolled back or lost their vendor, release cycle when release data exists).
        async fn risk(&self, ctx: &Context<'_>) -> ApiResult<Option<Risk>> {
            let ix = index(ctx).await?;
            Ok(ix.solution(self.0.id.as_str()).map(|s| risk(&ix, s)))
        }
    }
}
