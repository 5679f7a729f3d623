//! The graph's node types as GraphQL objects. Each wraps its domain twin; relations are
//! followed through the batching loaders.

use async_graphql::{ComplexObject, Context, Interface, Object, SimpleObject, ID};

use super::bounds::WideInt;
use super::context::{load, load_many, store};
use super::enums::{
    AdoptionOrder, AdoptionStatus, AlternativeKind, CollectivityKind, CollectivityOrder,
    Confidence, ContributionKind, DependencyKind, DeploymentStrategy, Hosting, Language,
    MaintenanceStatus, MaintenanceType, OutcomeKind, PublisherKind, PublisherStatus, SolutionKind,
    SolutionOrder, SourceKind,
};
use super::error::ApiResult;
use super::inputs::{AdoptionFilter, SolutionFilter};
use super::loaders::{
    AdoptionsPage, AlternativesOf, CitationCount, CitationsOf, CitedBy, ContributionsBy,
    ContributionsTo, NarrowerOf, OutcomesOf, SolutionsPage,
};
use super::paging::{self, connection, Conn};
use crate::domain::{self, NodeId};
use crate::store::{self as st, AdoptionParent};

/// Any node of the graph, found by its id.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The node's stable id (`solution:bigbluebutton`)."
))]
// A solution carries its provenance (merge evidence, conflicts, description sources): the
// variant is large, but nodes are built one per answer item and moved rarely.
#[allow(clippy::large_enum_variant)]
pub enum Node {
    /// A need.
    Need(NeedNode),
    /// A solution.
    Solution(SolutionNode),
    /// A publisher.
    Publisher(PublisherNode),
    /// A collectivity.
    Collectivity(CollectivityNode),
    /// An adoption.
    Adoption(AdoptionNode),
    /// An outcome.
    Outcome(OutcomeNode),
    /// An alternative.
    Alternative(AlternativeNode),
    /// A source.
    Source(SourceNode),
    /// A contribution.
    Contribution(ContributionNode),
    /// A release-watch source (`watch:...`).
    WatchSource(super::watch::WatchSourceNode),
}

/// Loads any node by id; `None` when nothing has it.
pub async fn load_node(ctx: &Context<'_>, id: &NodeId) -> ApiResult<Option<Node>> {
    use domain::EntityKind as K;
    let s = id.as_str();
    let parse_err = |e: domain::ValidationError| super::error::ApiError::BadInput(e.0);
    Ok(match id.kind() {
        K::Need => load(ctx, domain::NeedId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Need(NeedNode(n))),
        K::Solution => load(ctx, domain::SolutionId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Solution(SolutionNode(n))),
        K::Publisher => load(ctx, domain::PublisherId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Publisher(PublisherNode(n))),
        K::Collectivity => load(ctx, domain::CollectivityId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Collectivity(CollectivityNode(n))),
        K::Adoption => load(ctx, domain::AdoptionId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Adoption(AdoptionNode(n))),
        K::Outcome => load(ctx, domain::OutcomeId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Outcome(OutcomeNode(n))),
        K::Source => load(ctx, domain::SourceId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Source(SourceNode(n))),
        K::Contribution => load(ctx, domain::ContributionId::parse(s).map_err(parse_err)?)
            .await?
            .map(|c| Node::Contribution(ContributionNode(c))),
        K::Alternative => {
            let wanted = domain::AlternativeId::parse(s).map_err(parse_err)?;
            let Some((libre, _)) = wanted.slug().split_once("--") else {
                return Ok(None);
            };
            let libre =
                domain::SolutionId::parse(&format!("solution:{libre}")).map_err(parse_err)?;
            load(ctx, AlternativesOf(libre))
                .await?
                .unwrap_or_default()
                .into_iter()
                .find(|a| a.id == wanted)
                .map(|a| Node::Alternative(AlternativeNode(a)))
        }
    })
}

async fn sources_of(ctx: &Context<'_>, id: impl Into<NodeId>) -> ApiResult<Vec<SourceNode>> {
    let ids = load(ctx, CitedBy(id.into())).await?.unwrap_or_default();
    Ok(load_many(ctx, ids)
        .await?
        .into_iter()
        .map(SourceNode)
        .collect())
}

async fn citations_of(ctx: &Context<'_>, id: impl Into<NodeId>) -> ApiResult<Vec<CitationNode>> {
    let citations = load(ctx, CitationsOf(id.into())).await?.unwrap_or_default();
    Ok(citations.into_iter().map(CitationNode).collect())
}

/// Where a fact comes from: a source, and the file and record in it.
pub struct CitationNode(pub domain::Citation);

#[Object(name = "Citation")]
impl CitationNode {
    /// The source cited.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Option<SourceNode>> {
        Ok(load(ctx, self.0.source.clone()).await?.map(SourceNode))
    }
    /// The dataset file and record (`sill/sill-api-2022-03/software.csv#ID=67`), when known;
    /// for matched records it also shows the match (`... (agency_name "CD38" → ...)`).
    async fn locator(&self) -> Option<&str> {
        self.0.locator.as_deref()
    }
}

/// A solution's status in one year's SILL.
#[derive(SimpleObject)]
pub struct SillYear {
    /// The SILL edition's year.
    pub year: u16,
    /// `RECOMMENDED`, `OBSERVATION` or `NO_LONGER_RECOMMENDED`.
    pub status: String,
}

/// Who maintains a piece of software, as its publiccode.yml says.
pub struct MaintenanceNode(pub domain::Maintenance);

#[Object(name = "Maintenance")]
impl MaintenanceNode {
    /// Internal, contract, community or none; absent when the file gives a value the standard
    /// does not know.
    #[graphql(name = "type")]
    async fn kind(&self) -> Option<MaintenanceType> {
        self.0.kind.map(Into::into)
    }
    /// The contractors paid to maintain it, with the end of their contract.
    async fn contractors(&self) -> Vec<ContractorNode> {
        self.0
            .contractors
            .iter()
            .cloned()
            .map(ContractorNode)
            .collect()
    }
}

/// A company under contract to maintain a piece of software.
pub struct ContractorNode(pub domain::Contractor);

#[Object(name = "Contractor")]
impl ContractorNode {
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// When its contract ends (`2025-12-31`).
    async fn until(&self) -> Option<String> {
        self.0.until.map(|d| d.to_string())
    }
    /// Its web site.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_ref().map(|w| w.as_str())
    }
}

/// A release: a version and its date, either of which may be unknown.
pub struct VersionReleaseNode(pub domain::VersionRelease);

#[Object(name = "VersionRelease")]
impl VersionReleaseNode {
    /// The version, as written (`v17.6.0`).
    async fn version(&self) -> Option<&str> {
        self.0.version.as_deref()
    }
    /// When it was released (`2026-08-20`).
    async fn date(&self) -> Option<String> {
        self.0.date.map(|d| d.to_string())
    }
}

/// Something a piece of software needs to run, as its publiccode.yml says.
pub struct DependencyNode(pub domain::Dependency);

#[Object(name = "Dependency")]
impl DependencyNode {
    /// Its name, as the file gives it.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Open, proprietary or hardware.
    async fn kind(&self) -> DependencyKind {
        self.0.kind.into()
    }
    /// The exact version needed.
    async fn version(&self) -> Option<&str> {
        self.0.version.as_deref()
    }
    /// The oldest version that works.
    async fn version_min(&self) -> Option<&str> {
        self.0.version_min.as_deref()
    }
    /// The newest version that works.
    async fn version_max(&self) -> Option<&str> {
        self.0.version_max.as_deref()
    }
    /// Whether it can be done without, when the file says.
    async fn optional(&self) -> Option<bool> {
        self.0.optional
    }
    /// The known solution it is, when entity resolution found one.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        match &self.0.solution {
            Some(id) => Ok(load(ctx, id.clone()).await?.map(SolutionNode)),
            None => Ok(None),
        }
    }
}

/// The software a piece of software is based on, as its publiccode.yml says.
pub struct BasedOnNode(pub domain::BasedOn);

#[Object(name = "BasedOn")]
impl BasedOnNode {
    /// How the file names it: a repository URL or a name.
    async fn reference(&self) -> &str {
        &self.0.reference
    }
    /// The known solution it is, when entity resolution found one.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        match &self.0.solution {
            Some(id) => Ok(load(ctx, id.clone()).await?.map(SolutionNode)),
            None => Ok(None),
        }
    }
}

/// Text in French and English.
pub struct Text(pub domain::LocalizedText);

#[Object(name = "LocalizedText")]
impl Text {
    /// The French text, when there is one.
    async fn fr(&self) -> Option<&str> {
        self.0.fr.as_deref()
    }
    /// The English text, when there is one.
    async fn en(&self) -> Option<&str> {
        self.0.en.as_deref()
    }
    /// The text in this language, else in the other one.
    async fn value(&self, #[graphql(default)] lang: Language) -> &str {
        self.0.get(lang == Language::Fr)
    }
}

/// A figure stated by a source: a number with its unit.
#[derive(SimpleObject)]
#[graphql(complex, name = "Figure")]
pub struct FigureNode {
    /// What is measured (`libre-share`, `seats`...).
    name: String,
    /// The value.
    value: f64,
    /// The unit (`percent`, `count`, `EUR`).
    unit: Option<String>,
    #[graphql(skip)]
    source: Option<domain::SourceId>,
}

#[ComplexObject]
impl FigureNode {
    /// Who stated it.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Option<SourceNode>> {
        match &self.source {
            Some(id) => Ok(load(ctx, id.clone()).await?.map(SourceNode)),
            None => Ok(None),
        }
    }
}

fn figures(figures: &[domain::Figure]) -> Vec<FigureNode> {
    figures
        .iter()
        .map(|f| FigureNode {
            name: f.name.clone(),
            value: f.value,
            unit: f.unit.clone(),
            source: f.source.clone(),
        })
        .collect()
}

/// Adoptions of a parent: the first page through the batching loader, later pages directly.
async fn adoptions_of(
    ctx: &Context<'_>,
    parent: AdoptionParent,
    id: &str,
    filter: Option<AdoptionFilter>,
    sort: AdoptionOrder,
    first: Option<WideInt>,
    after: Option<String>,
) -> ApiResult<Conn<AdoptionNode>> {
    let mut filter = filter.unwrap_or_default().into_store()?;
    match parent {
        AdoptionParent::Collectivity => filter.collectivity = None,
        AdoptionParent::Solution => filter.solution = None,
        AdoptionParent::Need => filter.need = None,
    }
    let sort = adoption_sort(sort);
    let request = paging::request(first, after, true)?;
    let page = if request.after.is_none() {
        let key = AdoptionsPage {
            parent,
            id: id.to_owned(),
            filter,
            sort,
            first: request.first,
        };
        load(ctx, key).await?.unwrap_or_else(st::Page::empty)
    } else {
        match parent {
            AdoptionParent::Collectivity => {
                filter.collectivity = Some(
                    domain::CollectivityId::parse(id)
                        .map_err(|e| super::error::ApiError::BadInput(e.0))?,
                )
            }
            AdoptionParent::Solution => {
                filter.solution = Some(
                    domain::SolutionId::parse(id)
                        .map_err(|e| super::error::ApiError::BadInput(e.0))?,
                )
            }
            AdoptionParent::Need => {
                filter.need = Some(
                    domain::NeedId::parse(id).map_err(|e| super::error::ApiError::BadInput(e.0))?,
                );
                filter.include_narrower = false;
            }
        }
        store(ctx).list_adoptions(filter, sort, request).await?
    };
    Ok(connection(page, AdoptionNode))
}

/// The store's order for adoptions.
pub fn adoption_sort(order: AdoptionOrder) -> st::AdoptionSort {
    match order {
        AdoptionOrder::Id => st::AdoptionSort::Id,
        AdoptionOrder::StartedDesc => st::AdoptionSort::StartedDesc,
    }
}

/// The store's order for solutions.
pub fn solution_sort(order: SolutionOrder) -> st::SolutionSort {
    match order {
        SolutionOrder::Name => st::SolutionSort::Name,
        SolutionOrder::Id => st::SolutionSort::Id,
    }
}

/// The store's order for collectivities.
pub fn collectivity_sort(order: CollectivityOrder) -> st::CollectivitySort {
    match order {
        CollectivityOrder::Name => st::CollectivitySort::Name,
        CollectivityOrder::PopulationDesc => st::CollectivitySort::PopulationDesc,
    }
}

/// What a collectivity needs done: videoconferencing, an office suite, a desktop OS...
#[derive(Clone)]
pub struct NeedNode(pub domain::Need);

#[Object(name = "Need")]
impl NeedNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
    /// Its id (`need:video-conferencing`).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Its name in French and English.
    async fn label(&self) -> Text {
        Text(self.0.label.clone())
    }
    /// The matching publiccode.yml category.
    async fn publiccode_category(&self) -> Option<&str> {
        self.0.publiccode.as_deref()
    }
    /// The broader need it belongs to.
    async fn broader(&self, ctx: &Context<'_>) -> ApiResult<Option<NeedNode>> {
        match &self.0.broader {
            Some(id) => Ok(load(ctx, id.clone()).await?.map(NeedNode)),
            None => Ok(None),
        }
    }
    /// The needs directly under it (retired ones left out).
    async fn narrower(&self, ctx: &Context<'_>) -> ApiResult<Vec<NeedNode>> {
        let needs = load(ctx, NarrowerOf(self.0.id.clone()))
            .await?
            .unwrap_or_default();
        Ok(needs
            .into_iter()
            .filter(|n| n.retired.is_none())
            .map(NeedNode)
            .collect())
    }
    /// When it was retired (`YYYY-MM-DD`); null while it is in use. A retired need stays
    /// readable but is left out of `needs` and `narrower`, and nothing new may refer to it.
    async fn retired(&self) -> Option<String> {
        self.0.retired.map(|d| d.to_string())
    }
    /// Solutions serving this need (and, by default, its narrower needs).
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn solutions(
        &self,
        ctx: &Context<'_>,
        filter: Option<SolutionFilter>,
        #[graphql(default)] sort: SolutionOrder,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<SolutionNode>> {
        let mut filter = filter.unwrap_or_default().into_store()?;
        let request = paging::request(first, after, true)?;
        let page = if request.after.is_none() {
            filter.need = None;
            let key = SolutionsPage {
                need: self.0.id.clone(),
                filter,
                sort: solution_sort(sort),
                first: request.first,
            };
            load(ctx, key).await?.unwrap_or_else(st::Page::empty)
        } else {
            filter.need = Some(self.0.id.clone());
            store(ctx)
                .list_solutions(filter, solution_sort(sort), request)
                .await?
        };
        Ok(connection(page, SolutionNode))
    }
    /// Adoptions made for this need (this need only, not narrower ones).
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn adoptions(
        &self,
        ctx: &Context<'_>,
        filter: Option<AdoptionFilter>,
        #[graphql(default)] sort: AdoptionOrder,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<AdoptionNode>> {
        adoptions_of(
            ctx,
            AdoptionParent::Need,
            self.0.id.as_str(),
            filter,
            sort,
            first,
            after,
        )
        .await
    }
    /// The sources cited for it.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        sources_of(ctx, self.0.id.clone()).await
    }
    /// The sources cited for it, each with the dataset file and record the fact comes from.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationNode>> {
        citations_of(ctx, self.0.id.clone()).await
    }
}

/// Who makes a solution.
#[derive(Clone)]
pub struct PublisherNode(pub domain::Publisher);

#[Object(name = "Publisher")]
impl PublisherNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
    /// Its id (`publisher:videolan`).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What kind of organisation it is.
    async fn kind(&self) -> PublisherKind {
        self.0.kind.into()
    }
    /// Its country (ISO 3166-1 alpha-2).
    async fn country(&self) -> Option<&str> {
        self.0.country.as_ref().map(|c| c.as_str())
    }
    /// Its web site.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_ref().map(|w| w.as_str())
    }
    /// Whether it still exists.
    async fn status(&self) -> PublisherStatus {
        self.0.status.into()
    }
    /// When it closed (`2022-07`), if it did.
    async fn closed(&self) -> Option<String> {
        self.0.closed.map(|d| d.to_string())
    }
    /// True when the sources do not name it.
    async fn unnamed(&self) -> bool {
        self.0.unnamed
    }
    /// Its solutions.
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn solutions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<SolutionNode>> {
        let filter = st::SolutionFilter {
            publisher: Some(self.0.id.clone()),
            ..Default::default()
        };
        let request = paging::request(first, after, true)?;
        let page = store(ctx)
            .list_solutions(filter, st::SolutionSort::Name, request)
            .await?;
        Ok(connection(page, SolutionNode))
    }
    /// The sources cited for it.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        sources_of(ctx, self.0.id.clone()).await
    }
    /// The sources cited for it, each with the dataset file and record the fact comes from.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationNode>> {
        citations_of(ctx, self.0.id.clone()).await
    }
}

/// A piece of software or a service, libre, proprietary or built by a public body.
#[derive(Clone)]
pub struct SolutionNode(pub domain::Solution);

#[Object(name = "Solution")]
impl SolutionNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
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
    async fn plugin_of(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        match &self.0.plugin_of {
            Some(id) => Ok(load(ctx, id.clone()).await?.map(SolutionNode)),
            None => Ok(None),
        }
    }
    /// Solutions a dataset (the SILL) calls similar to it.
    async fn similar(&self, ctx: &Context<'_>) -> ApiResult<Vec<SolutionNode>> {
        Ok(load_many(ctx, self.0.similar.clone())
            .await?
            .into_iter()
            .map(SolutionNode)
            .collect())
    }
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
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
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
    async fn publisher(&self, ctx: &Context<'_>) -> ApiResult<Option<PublisherNode>> {
        match &self.0.publisher {
            Some(id) => Ok(load(ctx, id.clone()).await?.map(PublisherNode)),
            None => Ok(None),
        }
    }
    /// The needs it serves.
    async fn needs(&self, ctx: &Context<'_>) -> ApiResult<Vec<NeedNode>> {
        Ok(load_many(ctx, self.0.needs.clone())
            .await?
            .into_iter()
            .map(NeedNode)
            .collect())
    }
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
        let all = load(ctx, AlternativesOf(self.0.id.clone()))
            .await?
            .unwrap_or_default();
        Ok(all
            .into_iter()
            .filter(|a| a.libre == self.0.id)
            .map(AlternativeNode)
            .collect())
    }
    /// Public bodies giving back to it (code, funding, staff time...): a sign of its health.
    async fn contributors(&self, ctx: &Context<'_>) -> ApiResult<Vec<ContributionNode>> {
        let found = load(ctx, ContributionsTo(self.0.id.clone()))
            .await?
            .unwrap_or_default();
        Ok(found.into_iter().map(ContributionNode).collect())
    }
    /// The libre solutions that can replace this proprietary one.
    async fn alternatives(&self, ctx: &Context<'_>) -> ApiResult<Vec<AlternativeNode>> {
        let all = load(ctx, AlternativesOf(self.0.id.clone()))
            .await?
            .unwrap_or_default();
        Ok(all
            .into_iter()
            .filter(|a| a.proprietary == self.0.id)
            .map(AlternativeNode)
            .collect())
    }
    /// Who adopted it, and how it went.
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn adoptions(
        &self,
        ctx: &Context<'_>,
        filter: Option<AdoptionFilter>,
        #[graphql(default)] sort: AdoptionOrder,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<AdoptionNode>> {
        adoptions_of(
            ctx,
            AdoptionParent::Solution,
            self.0.id.as_str(),
            filter,
            sort,
            first,
            after,
        )
        .await
    }
    /// The sources cited for it.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        sources_of(ctx, self.0.id.clone()).await
    }
    /// The sources cited for it, each with the dataset file and record the fact comes from.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationNode>> {
        citations_of(ctx, self.0.id.clone()).await
    }
    /// Its continuity risk: the reasons (publisher closed, discontinued, unmaintained, adopters
    /// who rolled back or lost their vendor, release cycle when release data exists).
    async fn risk(&self, ctx: &Context<'_>) -> ApiResult<Option<super::insight::Risk>> {
        let ix = super::insight::index(ctx).await?;
        Ok(ix
            .solution(self.0.id.as_str())
            .map(|s| super::insight::risk(&ix, s)))
    }
}

/// A libre solution that can replace a proprietary one.
#[derive(Clone)]
pub struct AlternativeNode(pub domain::Alternative);

#[Object(name = "Alternative")]
impl AlternativeNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
    /// Its id (`alternative:libreoffice--microsoft-office`).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The libre solution.
    async fn libre(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        Ok(load(ctx, self.0.libre.clone()).await?.map(SolutionNode))
    }
    /// The proprietary solution it replaces.
    async fn proprietary(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        Ok(load(ctx, self.0.proprietary.clone())
            .await?
            .map(SolutionNode))
    }
    /// How fully it replaces it.
    async fn confidence(&self) -> Confidence {
        self.0.confidence.into()
    }
    /// What the replaced paid item is.
    async fn kind(&self) -> AlternativeKind {
        self.0.kind.into()
    }
    /// The sources cited for it.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        sources_of(ctx, self.0.id.clone()).await
    }
    /// The sources cited for it, each with the dataset file and record the fact comes from.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationNode>> {
        citations_of(ctx, self.0.id.clone()).await
    }
}

/// Any public body: commune, intercommunality, department, region, state service...
#[derive(Clone)]
pub struct CollectivityNode(pub domain::Collectivity);

#[Object(name = "Collectivity")]
impl CollectivityNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
    /// Its functional contact (a role, a team mailbox), only when it consents to show it.
    async fn contact(&self) -> Option<FunctionalContactNode> {
        self.0
            .contact
            .clone()
            .filter(|_| self.0.contact_public)
            .map(FunctionalContactNode)
    }
    /// Other groupings it belongs to besides its parent (a commune's EPT).
    async fn member_of(&self, ctx: &Context<'_>) -> ApiResult<Vec<CollectivityNode>> {
        Ok(load_many(ctx, self.0.member_of.clone())
            .await?
            .into_iter()
            .map(CollectivityNode)
            .collect())
    }
    /// Its accounts on software forges.
    async fn forges(&self) -> Vec<&str> {
        self.0.forges.iter().map(|f| f.as_str()).collect()
    }
    /// True when it runs an open source programme office.
    async fn ospo(&self) -> bool {
        self.0.ospo
    }
    /// Its id (`collectivity:fr-commune-38151`).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Its name (or a description of an unnamed group).
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What kind of body it is.
    async fn kind(&self) -> CollectivityKind {
        self.0.kind.into()
    }
    /// Its country (ISO 3166-1 alpha-2).
    async fn country(&self) -> &str {
        self.0.country.as_str()
    }
    /// Its INSEE commune code.
    async fn insee_code(&self) -> Option<&str> {
        self.0.insee.as_ref().map(|c| c.as_str())
    }
    /// Its SIREN.
    async fn siren(&self) -> Option<&str> {
        self.0.siren.as_ref().map(|c| c.as_str())
    }
    /// Its population.
    async fn population(&self) -> Option<u64> {
        self.0.population
    }
    /// The code of its department.
    async fn department_code(&self) -> Option<&str> {
        self.0.department.as_deref()
    }
    /// The code of its region.
    async fn region_code(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
    /// True for a group the sources leave unnamed.
    async fn unnamed(&self) -> bool {
        self.0.unnamed
    }
    /// The body it belongs to.
    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<CollectivityNode>> {
        match &self.0.parent {
            Some(id) => Ok(load(ctx, id.clone()).await?.map(CollectivityNode)),
            None => Ok(None),
        }
    }
    /// The bodies that belong to it.
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] sort: CollectivityOrder,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<CollectivityNode>> {
        let filter = st::CollectivityFilter {
            parent: Some(self.0.id.clone()),
            ..Default::default()
        };
        let request = paging::request(first, after, true)?;
        let page = store(ctx)
            .list_collectivities(filter, collectivity_sort(sort), request)
            .await?;
        Ok(connection(page, CollectivityNode))
    }
    /// Figures it stated about itself (stated, not computed).
    async fn stated_figures(&self) -> Vec<FigureNode> {
        figures(&self.0.figures)
    }
    /// What it adopted, and how it went.
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn adoptions(
        &self,
        ctx: &Context<'_>,
        filter: Option<AdoptionFilter>,
        #[graphql(default)] sort: AdoptionOrder,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<AdoptionNode>> {
        adoptions_of(
            ctx,
            AdoptionParent::Collectivity,
            self.0.id.as_str(),
            filter,
            sort,
            first,
            after,
        )
        .await
    }
    /// What it gives back to libre software (code, funding, staff time...).
    async fn contributions(&self, ctx: &Context<'_>) -> ApiResult<Vec<ContributionNode>> {
        let found = load(ctx, ContributionsBy(self.0.id.clone()))
            .await?
            .unwrap_or_default();
        Ok(found.into_iter().map(ContributionNode).collect())
    }
    /// The sources cited for it.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        sources_of(ctx, self.0.id.clone()).await
    }
    /// The sources cited for it, each with the dataset file and record the fact comes from.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationNode>> {
        citations_of(ctx, self.0.id.clone()).await
    }
}

/// A collectivity's use of a solution for a need.
#[derive(Clone)]
pub struct AdoptionNode(pub domain::Adoption);

#[Object(name = "Adoption")]
impl AdoptionNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
    /// Its status changes, oldest first (PILOT on this date, DEPLOYED on that one).
    async fn status_history(&self) -> Vec<StatusChangeNode> {
        self.0
            .status_history
            .iter()
            .cloned()
            .map(StatusChangeNode)
            .collect()
    }
    /// Its id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Who adopted.
    async fn collectivity(&self, ctx: &Context<'_>) -> ApiResult<Option<CollectivityNode>> {
        Ok(load(ctx, self.0.collectivity.clone())
            .await?
            .map(CollectivityNode))
    }
    /// What was adopted.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        Ok(load(ctx, self.0.solution.clone()).await?.map(SolutionNode))
    }
    /// For which need.
    async fn need(&self, ctx: &Context<'_>) -> ApiResult<Option<NeedNode>> {
        Ok(load(ctx, self.0.need.clone()).await?.map(NeedNode))
    }
    /// Where it stands.
    async fn status(&self) -> AdoptionStatus {
        self.0.status.into()
    }
    /// When it started (`2020`, `2020-03`, `2020-03-16`).
    async fn started(&self) -> Option<String> {
        self.0.started.map(|d| d.to_string())
    }
    /// When it ended.
    async fn ended(&self) -> Option<String> {
        self.0.ended.map(|d| d.to_string())
    }
    /// How it was deployed.
    async fn strategy(&self) -> Option<DeploymentStrategy> {
        self.0.strategy.map(Into::into)
    }
    /// Who runs it.
    async fn hosting(&self) -> Option<Hosting> {
        self.0.hosting.map(Into::into)
    }
    /// Number of seats or users.
    async fn scale(&self) -> Option<u64> {
        self.0.scale
    }
    /// What it replaced.
    async fn replaced(&self, ctx: &Context<'_>) -> ApiResult<Vec<SolutionNode>> {
        Ok(load_many(ctx, self.0.replaced.clone())
            .await?
            .into_iter()
            .map(SolutionNode)
            .collect())
    }
    /// A note.
    async fn note(&self) -> Option<Text> {
        self.0.note.clone().map(Text)
    }
    /// How it went. Retired outcomes are left out unless `includeRetired` is true.
    async fn outcomes(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] include_retired: bool,
    ) -> ApiResult<Vec<OutcomeNode>> {
        let outcomes = load(ctx, OutcomesOf(self.0.id.clone()))
            .await?
            .unwrap_or_default();
        Ok(outcomes
            .into_iter()
            .filter(|o| include_retired || o.retired.is_none())
            .map(OutcomeNode)
            .collect())
    }
    /// The sources cited for it.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        sources_of(ctx, self.0.id.clone()).await
    }
    /// The sources cited for it, each with the dataset file and record the fact comes from.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationNode>> {
        citations_of(ctx, self.0.id.clone()).await
    }
}

/// How an adoption went.
#[derive(Clone)]
pub struct OutcomeNode(pub domain::Outcome);

#[Object(name = "Outcome")]
impl OutcomeNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
    /// Its id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The adoption it is the outcome of.
    async fn adoption(&self, ctx: &Context<'_>) -> ApiResult<Option<AdoptionNode>> {
        Ok(load(ctx, self.0.adoption.clone()).await?.map(AdoptionNode))
    }
    /// What happened.
    async fn kind(&self) -> OutcomeKind {
        self.0.kind.into()
    }
    /// When.
    async fn date(&self) -> Option<String> {
        self.0.date.map(|d| d.to_string())
    }
    /// A short summary.
    async fn summary(&self) -> Text {
        Text(self.0.summary.clone())
    }
    /// Figures, where known.
    async fn figures(&self) -> Vec<FigureNode> {
        figures(&self.0.figures)
    }
    /// When it was retired (`YYYY-MM-DD`); null while it stands. A retired outcome stays
    /// readable (by id, in history) but no longer counts as evidence and is left out of
    /// `Adoption.outcomes` and of outcome filters.
    async fn retired(&self) -> Option<String> {
        self.0.retired.map(|d| d.to_string())
    }
    /// The sources cited for it.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        sources_of(ctx, self.0.id.clone()).await
    }
    /// The sources cited for it, each with the dataset file and record the fact comes from.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationNode>> {
        citations_of(ctx, self.0.id.clone()).await
    }
}

/// Why a fact is believed.
#[derive(Clone)]
pub struct SourceNode(pub domain::Source);

#[Object(name = "Source")]
impl SourceNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
    /// Its id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What kind of document it is.
    async fn kind(&self) -> SourceKind {
        self.0.kind.into()
    }
    /// Where to read it.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_ref().map(|u| u.as_str())
    }
    /// When it was retired (`YYYY-MM-DD`); null while it may be cited. The facts that cite a
    /// retired source keep citing it (provenance), but no new fact may cite it.
    async fn retired(&self) -> Option<String> {
        self.0.retired.map(|d| d.to_string())
    }
    /// Who published it.
    async fn publisher(&self) -> Option<&str> {
        self.0.publisher.as_deref()
    }
    /// When it was published.
    async fn published(&self) -> Option<String> {
        self.0.published.map(|d| d.to_string())
    }
    /// The licence its content is under (SPDX).
    async fn licence(&self) -> Option<&str> {
        self.0.licence.as_ref().map(|l| l.as_str())
    }
    /// How many nodes cite it.
    async fn citation_count(&self, ctx: &Context<'_>) -> ApiResult<u64> {
        Ok(load(ctx, CitationCount(self.0.id.clone()))
            .await?
            .unwrap_or(0))
    }
}

/// A public body giving back to libre software.
pub struct ContributionNode(pub domain::Contribution);

#[Object(name = "Contribution")]
impl ContributionNode {
    /// Its id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The public body that gives back (or pays for it).
    async fn collectivity(&self, ctx: &Context<'_>) -> ApiResult<Option<CollectivityNode>> {
        Ok(load(ctx, self.0.collectivity.clone())
            .await?
            .map(CollectivityNode))
    }
    /// The solution it goes to, when the source names one.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        match &self.0.solution {
            Some(id) => Ok(load(ctx, id.clone()).await?.map(SolutionNode)),
            None => Ok(None),
        }
    }
    /// What is given.
    async fn kind(&self) -> ContributionKind {
        self.0.kind.into()
    }
    /// The share of a person's or team's time, in percent, where stated.
    async fn share_percent(&self) -> Option<f64> {
        self.0.share_percent
    }
    /// When it started.
    async fn started(&self) -> Option<String> {
        self.0.started.map(|d| d.to_string())
    }
    /// When it ended.
    async fn ended(&self) -> Option<String> {
        self.0.ended.map(|d| d.to_string())
    }
    /// Who did the work for the body (a contractor), where stated.
    async fn contractor(&self) -> Option<&str> {
        self.0.contractor.as_deref()
    }
    /// The software's name as the source gives it.
    async fn software(&self) -> Option<&str> {
        self.0.software.as_deref()
    }
    /// Where it can be seen upstream (commits, issues, patches).
    async fn references(&self) -> Vec<&str> {
        self.0.references.iter().map(|r| r.as_str()).collect()
    }
    /// A note.
    async fn note(&self) -> Option<Text> {
        self.0.note.clone().map(Text)
    }
    /// The sources cited for it.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        sources_of(ctx, self.0.id.clone()).await
    }
}

/// A functional contact: a role and a team mailbox or page, never a person's name.
pub struct FunctionalContactNode(pub domain::FunctionalContact);

#[Object(name = "FunctionalContact")]
impl FunctionalContactNode {
    /// The role or team.
    async fn role(&self) -> &str {
        &self.0.role
    }
    /// A team mailbox.
    async fn mailbox(&self) -> Option<&str> {
        self.0.mailbox.as_deref()
    }
    /// A page or form.
    async fn url(&self) -> Option<String> {
        self.0.url.as_ref().map(|u| u.to_string())
    }
}

/// One step of an adoption's life.
pub struct StatusChangeNode(pub domain::StatusChange);

#[Object(name = "StatusChange")]
impl StatusChangeNode {
    /// The status reached.
    async fn status(&self) -> AdoptionStatus {
        self.0.status.into()
    }
    /// When (`2020`, `2020-03`, `2020-03-16`), where known.
    async fn date(&self) -> Option<String> {
        self.0.date.map(|d| d.to_string())
    }
}

/// One change of a node, made through the API.
pub struct HistoryEntryNode(pub domain::HistoryEntry);

/// A document as shown in history: a collectivity's contact never appears there.
fn public_doc(doc: &Option<serde_json::Value>) -> Option<async_graphql::Json<serde_json::Value>> {
    doc.clone().map(|mut d| {
        if let Some(map) = d.as_object_mut() {
            map.remove("contact");
        }
        async_graphql::Json(d)
    })
}

#[Object(name = "HistoryEntry")]
impl HistoryEntryNode {
    /// The node changed.
    async fn node(&self) -> ID {
        ID(self.0.node.to_string())
    }
    /// When (RFC 3339).
    async fn at(&self) -> String {
        self.0.at.to_rfc3339()
    }
    /// The id of the token that made the change (`tok_...`).
    async fn author(&self) -> String {
        self.0.author.to_string()
    }
    /// What was done: CREATE, UPDATE or RETIRE.
    async fn action(&self) -> &str {
        self.0.action.as_str()
    }
    /// The node's document before the change (null for a creation).
    async fn before(&self) -> Option<async_graphql::Json<serde_json::Value>> {
        public_doc(&self.0.before)
    }
    /// The node's document after the change.
    async fn after(&self) -> Option<async_graphql::Json<serde_json::Value>> {
        public_doc(&self.0.after)
    }
    /// Why, in the author's words.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
}
