//! The mutations' input types, and the one seam where each becomes domain values: every
//! field read with the domain's own parse functions (see [`super::field`]), every rule that
//! spans fields checked by the domain type's `validate`, as the importers do.

use async_graphql::{InputObject, ID};

use super::field::{
    bad, date, field_id, ids, int, interval_seconds, invalid, licence, optional, optional_id, url,
};
use crate::api::bounds::WideInt;
use crate::api::enums::{
    AdoptionStatus, AlternativeKind, Confidence, DeploymentStrategy, Hosting, MaintenanceStatus,
    OutcomeKind, PublisherKind, PublisherStatus, SolutionKind, SourceKind,
};
use crate::api::error::{ApiError, ApiResult};
use crate::domain::{
    self, AdoptionId, CollectivityId, Country, LocalizedText, NeedId, OutcomeId, PartialDate,
    PublisherId, SolutionId, SourceId, StatusChange, WatchLocation, WatchSourceId, WikidataId,
};

/// Text in French and/or English.
#[derive(InputObject)]
pub struct TextInput {
    /// The French text.
    pub fr: Option<String>,
    /// The English text.
    pub en: Option<String>,
}

/// A new adoption, by the collectivity itself.
#[derive(InputObject)]
pub struct CreateAdoptionInput {
    /// Its id; by default `adoption:<collectivity slug>--<solution slug>`.
    pub id: Option<ID>,
    /// Who adopts (the token's collectivity).
    pub collectivity: ID,
    /// What is adopted.
    pub solution: ID,
    /// For which need.
    pub need: ID,
    /// Where it stands.
    pub status: AdoptionStatus,
    /// When that status was reached (`2024`, `2024-03`, `2024-03-16`).
    pub status_date: Option<String>,
    /// When it started.
    pub started: Option<String>,
    /// How it is deployed.
    pub strategy: Option<DeploymentStrategy>,
    /// Who runs it.
    pub hosting: Option<Hosting>,
    /// Number of seats or users (0 to 2147483647).
    pub scale: Option<WideInt>,
    /// The solutions it replaced.
    #[graphql(default)]
    pub replaced: Vec<ID>,
    /// A note.
    pub note: Option<TextInput>,
    /// The sources that support it (existing source ids).
    #[graphql(default)]
    pub sources: Vec<ID>,
}

/// Changes to an adoption; absent fields are left as they are.
#[derive(InputObject)]
pub struct UpdateAdoptionInput {
    /// The adoption.
    pub id: ID,
    /// The `version` read before editing.
    pub expected_version: String,
    /// A new status (kept in its status history).
    pub status: Option<AdoptionStatus>,
    /// When the new status was reached.
    pub status_date: Option<String>,
    /// When it started.
    pub started: Option<String>,
    /// When it ended.
    pub ended: Option<String>,
    /// How it is deployed.
    pub strategy: Option<DeploymentStrategy>,
    /// Who runs it.
    pub hosting: Option<Hosting>,
    /// Number of seats or users (0 to 2147483647).
    pub scale: Option<WideInt>,
    /// A note.
    pub note: Option<TextInput>,
}

/// A new outcome of an adoption.
#[derive(InputObject)]
pub struct CreateOutcomeInput {
    /// The adoption it is the outcome of.
    pub adoption: ID,
    /// What happened.
    pub kind: OutcomeKind,
    /// When.
    pub date: Option<String>,
    /// A short summary.
    pub summary: TextInput,
    /// The sources that support it.
    #[graphql(default)]
    pub sources: Vec<ID>,
}

/// A functional contact: a role and a team mailbox or page; no person's name is needed.
#[derive(InputObject)]
pub struct ContactInput {
    /// The role or team (`DSI — pôle logiciels libres`).
    pub role: String,
    /// A team mailbox.
    pub mailbox: Option<String>,
    /// A page or form.
    pub url: Option<String>,
}

/// Changes to an outcome; absent fields are left as they are.
#[derive(InputObject)]
pub struct UpdateOutcomeInput {
    /// The outcome.
    pub id: ID,
    /// The `version` read before editing.
    pub expected_version: String,
    /// What happened.
    pub kind: Option<OutcomeKind>,
    /// When.
    pub date: Option<String>,
    /// A short summary.
    pub summary: Option<TextInput>,
    /// Sources to add to its citations.
    #[graphql(default)]
    pub add_sources: Vec<ID>,
}

/// A new source.
#[derive(InputObject)]
pub struct SourceInput {
    /// Its id (`source:<slug>`).
    pub id: ID,
    /// Its title.
    pub title: String,
    /// What kind of document it is.
    pub kind: SourceKind,
    /// Where to read it.
    pub url: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published.
    pub published: Option<String>,
    /// Its licence (SPDX).
    pub licence: Option<String>,
}

/// A need, whole.
#[derive(InputObject)]
pub struct NeedInput {
    /// Its id (`need:<slug>`).
    pub id: ID,
    /// Its name.
    pub label: TextInput,
    /// The broader need it belongs to.
    pub broader: Option<ID>,
    /// The matching publiccode.yml category.
    pub publiccode: Option<String>,
}

/// A publisher, whole.
#[derive(InputObject)]
pub struct PublisherInput {
    /// Its id (`publisher:<slug>`).
    pub id: ID,
    /// Its name.
    pub name: String,
    /// What kind of organisation it is.
    pub kind: PublisherKind,
    /// Its country (ISO code).
    pub country: Option<String>,
    /// Its web site.
    pub website: Option<String>,
    /// Whether it still exists.
    #[graphql(default_with = "PublisherStatus::Active")]
    pub status: PublisherStatus,
    /// When it closed (required when CLOSED).
    pub closed: Option<String>,
}

/// An alternative: a libre solution replacing a proprietary one.
#[derive(InputObject)]
pub struct AlternativeInput {
    /// The libre solution.
    pub libre: ID,
    /// The proprietary solution.
    pub proprietary: ID,
    /// How fully it replaces it.
    pub confidence: Confidence,
    /// What the replaced paid item is.
    pub kind: AlternativeKind,
    /// The sources that support it.
    #[graphql(default)]
    pub sources: Vec<ID>,
}

/// A solution, whole (curators).
#[derive(InputObject)]
pub struct SolutionInput {
    /// Its id (`solution:<slug>`).
    pub id: ID,
    /// Its name.
    pub name: String,
    /// Libre, proprietary or internal.
    pub kind: SolutionKind,
    /// Its SPDX licence expression (required for libre solutions).
    pub licence: Option<String>,
    /// Who makes it.
    pub publisher: Option<ID>,
    /// The needs it serves (at least one).
    pub needs: Vec<ID>,
    /// Its web site.
    pub website: Option<String>,
    /// Its source repository.
    pub repository: Option<String>,
    /// A short description.
    pub description: Option<TextInput>,
    /// Its maintenance health (DISCONTINUED retires it).
    #[graphql(default_with = "MaintenanceStatus::Active")]
    pub status: MaintenanceStatus,
    /// Its Wikidata item (`Q123`).
    pub wikidata: Option<String>,
    /// Its id in the SILL (1 to 2147483647).
    pub sill: Option<WideInt>,
    /// Its id on the Comptoir du Libre (1 to 2147483647).
    pub comptoir: Option<WideInt>,
}

/// A GitLab project on a host.
#[derive(InputObject)]
pub struct GitlabInput {
    /// The host (`https://gitlab.com`, a public-sector forge).
    pub host: String,
    /// The project path (`group/name`).
    pub project: String,
}

/// A new watch source: exactly one of `github`, `gitlab`, `feed`, `endoflife`.
#[derive(InputObject)]
pub struct WatchSourceInput {
    /// Its id; by default `watch:<solution slug>-<kind>`.
    pub id: Option<ID>,
    /// The solution whose releases it lists.
    pub solution: ID,
    /// A GitHub repository (`owner/name`).
    pub github: Option<String>,
    /// A GitLab project on any host.
    pub gitlab: Option<GitlabInput>,
    /// An Atom or RSS feed URL.
    pub feed: Option<String>,
    /// An endoflife.date product (`debian`).
    pub endoflife: Option<String>,
    /// Seconds between two polls: 300 to 2147483647 (21600 by default).
    pub interval_seconds: Option<WideInt>,
}

/// Changes to a watch source; absent fields are left as they are. A new location (at most one
/// of `github`, `gitlab`, `feed`, `endoflife`) keeps the id and forgets the validators of the
/// old URL.
#[derive(InputObject)]
pub struct UpdateWatchSourceInput {
    /// The watch source.
    pub id: ID,
    /// The `version` read before editing.
    pub expected_version: String,
    /// A GitHub repository (`owner/name`).
    pub github: Option<String>,
    /// A GitLab project on any host.
    pub gitlab: Option<GitlabInput>,
    /// An Atom or RSS feed URL.
    pub feed: Option<String>,
    /// An endoflife.date product.
    pub endoflife: Option<String>,
    /// Seconds between two polls: 300 to 2147483647.
    pub interval_seconds: Option<WideInt>,
}

/// A text in French and/or English of `field`.
fn text(field: &str, input: Option<TextInput>) -> ApiResult<Option<LocalizedText>> {
    input
        .map(|t| LocalizedText::new(t.fr, t.en).map_err(bad(field)))
        .transpose()
}

/// A text of `field` that must be given.
fn required_text(field: &str, input: TextInput) -> ApiResult<LocalizedText> {
    text(field, Some(input))?
        .ok_or_else(|| ApiError::BadInput(format!("{field}: give a French or English text")))
}

/// A new adoption and the sources cited for it.
pub(super) struct NewAdoption {
    pub(super) adoption: domain::Adoption,
    pub(super) sources: Vec<SourceId>,
}

impl CreateAdoptionInput {
    /// The collectivity that adopts (read first: the token must be allowed to write for it).
    pub(super) fn collectivity(&self) -> ApiResult<CollectivityId> {
        field_id("collectivity", &self.collectivity, CollectivityId::parse)
    }
}

impl TryFrom<CreateAdoptionInput> for NewAdoption {
    type Error = ApiError;

    fn try_from(input: CreateAdoptionInput) -> ApiResult<Self> {
        let collectivity = input.collectivity()?;
        let solution = field_id("solution", &input.solution, SolutionId::parse)?;
        let adoption_id = match &input.id {
            Some(given) => field_id("id", given, AdoptionId::parse)?,
            None => AdoptionId::parse(&format!(
                "adoption:{}--{}",
                collectivity.slug(),
                solution.slug()
            ))
            .map_err(bad("id"))?,
        };
        let status: domain::AdoptionStatus = input.status.into();
        let started = date("started", input.started.as_deref())?;
        let status_date = date("statusDate", input.status_date.as_deref())?.or(started);
        let adoption = domain::Adoption {
            id: adoption_id,
            collectivity,
            solution,
            need: field_id("need", &input.need, NeedId::parse)?,
            status,
            started,
            ended: None,
            strategy: input.strategy.map(Into::into),
            hosting: input.hosting.map(Into::into),
            scale: int("scale", input.scale, 0)?.map(u64::from),
            replaced: ids("replaced", &input.replaced, SolutionId::parse)?,
            note: text("note", input.note)?,
            status_history: vec![StatusChange {
                status,
                date: status_date,
            }],
        };
        let sources = ids("sources", &input.sources, SourceId::parse)?;
        adoption.validate().map_err(invalid)?;
        Ok(NewAdoption { adoption, sources })
    }
}

impl UpdateAdoptionInput {
    /// Applies the fields given to `current`; a new status is appended to its history.
    pub(super) fn apply_to(self, current: &mut domain::Adoption) -> ApiResult<()> {
        if let Some(started) = date("started", self.started.as_deref())? {
            current.started = Some(started);
        }
        if let Some(ended) = date("ended", self.ended.as_deref())? {
            current.ended = Some(ended);
        }
        if let Some(strategy) = self.strategy {
            current.strategy = Some(strategy.into());
        }
        if let Some(hosting) = self.hosting {
            current.hosting = Some(hosting.into());
        }
        if let Some(scale) = int("scale", self.scale, 0)? {
            current.scale = Some(u64::from(scale));
        }
        if let Some(note) = text("note", self.note)? {
            current.note = Some(note);
        }
        let status_date = date("statusDate", self.status_date.as_deref())?;
        if let Some(status) = self.status {
            change_status(current, status.into(), status_date);
        }
        Ok(())
    }
}

/// Moves an adoption to a status, keeping the step in its history.
pub(super) fn change_status(
    adoption: &mut domain::Adoption,
    status: domain::AdoptionStatus,
    date: Option<PartialDate>,
) {
    if adoption.status == status {
        return;
    }
    if adoption.status_history.is_empty() {
        adoption.status_history.push(StatusChange {
            status: adoption.status,
            date: adoption.started,
        });
    }
    adoption.status = status;
    adoption.status_history.push(StatusChange { status, date });
}

impl CreateOutcomeInput {
    /// The outcome, under the id its adoption's count gives it, and the sources cited.
    pub(super) fn into_outcome(
        self,
        id: OutcomeId,
        adoption: AdoptionId,
    ) -> ApiResult<(domain::Outcome, Vec<SourceId>)> {
        let outcome = domain::Outcome {
            id,
            adoption,
            kind: self.kind.into(),
            date: date("date", self.date.as_deref())?,
            summary: required_text("summary", self.summary)?,
            figures: Vec::new(),
            retired: None,
        };
        Ok((outcome, ids("sources", &self.sources, SourceId::parse)?))
    }
}

impl UpdateOutcomeInput {
    /// Applies the fields given to `current`; answers the sources to add.
    pub(super) fn apply_to(self, current: &mut domain::Outcome) -> ApiResult<Vec<SourceId>> {
        if let Some(kind) = self.kind {
            current.kind = kind.into();
        }
        if let Some(date) = date("date", self.date.as_deref())? {
            current.date = Some(date);
        }
        if let Some(summary) = text("summary", self.summary)? {
            current.summary = summary;
        }
        ids("addSources", &self.add_sources, SourceId::parse)
    }
}

impl TryFrom<ContactInput> for domain::FunctionalContact {
    type Error = ApiError;

    fn try_from(input: ContactInput) -> ApiResult<Self> {
        let contact = domain::FunctionalContact {
            role: input.role,
            mailbox: input.mailbox,
            url: url("contact.url", input.url.as_deref())?,
        };
        contact.validate().map_err(bad("contact"))?;
        Ok(contact)
    }
}

impl TryFrom<SourceInput> for domain::Source {
    type Error = ApiError;

    fn try_from(input: SourceInput) -> ApiResult<Self> {
        Ok(domain::Source {
            id: field_id("id", &input.id, SourceId::parse)?,
            title: input.title,
            titles: None,
            kind: input.kind.into(),
            url: url("url", input.url.as_deref())?,
            publisher: input.publisher,
            published: date("published", input.published.as_deref())?,
            licence: licence(input.licence.as_deref())?,
            retired: None,
        })
    }
}

impl NeedInput {
    /// The need's id (read first: a saved need keeps its retirement).
    pub(super) fn id(&self) -> ApiResult<NeedId> {
        field_id("id", &self.id, NeedId::parse)
    }

    /// The need, retired on `retired` when it already was (retirement is its own mutation).
    pub(super) fn into_need(self, retired: Option<PartialDate>) -> ApiResult<domain::Need> {
        let need = domain::Need {
            id: self.id()?,
            label: required_text("label", self.label)?,
            broader: optional_id("broader", self.broader.as_ref(), NeedId::parse)?,
            publiccode: self.publiccode,
            retired,
        };
        need.validate().map_err(invalid)?;
        Ok(need)
    }
}

impl TryFrom<PublisherInput> for domain::Publisher {
    type Error = ApiError;

    fn try_from(input: PublisherInput) -> ApiResult<Self> {
        Ok(domain::Publisher {
            id: field_id("id", &input.id, PublisherId::parse)?,
            name: input.name,
            kind: input.kind.into(),
            country: optional("country", input.country.as_deref(), Country::parse)?,
            website: url("website", input.website.as_deref())?,
            status: input.status.into(),
            closed: date("closed", input.closed.as_deref())?,
            unnamed: false,
        })
    }
}

/// A declared replacement and the sources cited for it.
pub(super) struct NewAlternative {
    pub(super) alternative: domain::Alternative,
    pub(super) sources: Vec<SourceId>,
}

impl TryFrom<AlternativeInput> for NewAlternative {
    type Error = ApiError;

    fn try_from(input: AlternativeInput) -> ApiResult<Self> {
        let libre = field_id("libre", &input.libre, SolutionId::parse)?;
        let proprietary = field_id("proprietary", &input.proprietary, SolutionId::parse)?;
        let alternative = domain::Alternative {
            id: domain::Alternative::id_for(&libre, &proprietary),
            libre,
            proprietary,
            confidence: input.confidence.into(),
            kind: input.kind.into(),
        };
        let sources = ids("sources", &input.sources, SourceId::parse)?;
        alternative.validate().map_err(invalid)?;
        Ok(NewAlternative {
            alternative,
            sources,
        })
    }
}

impl TryFrom<SolutionInput> for domain::Solution {
    type Error = ApiError;

    /// The solution as the curator states it; the facts the datasets give are not in the
    /// input (see [`keep_dataset_facts`]).
    fn try_from(input: SolutionInput) -> ApiResult<Self> {
        let id = field_id("id", &input.id, SolutionId::parse)?;
        let needs = ids("needs", &input.needs, NeedId::parse)?;
        let solution = domain::Solution {
            licence: licence(input.licence.as_deref())?,
            publisher: optional_id("publisher", input.publisher.as_ref(), PublisherId::parse)?,
            status: input.status.into(),
            website: url("website", input.website.as_deref())?,
            repository: url("repository", input.repository.as_deref())?,
            wikidata: optional("wikidata", input.wikidata.as_deref(), WikidataId::parse)?,
            sill: int("sill", input.sill, 1)?,
            comptoir: int("comptoir", input.comptoir, 1)?,
            description: text("description", input.description)?,
            ..domain::Solution::new(id, input.name, input.kind.into(), needs)
        };
        solution.validate().map_err(invalid)?;
        Ok(solution)
    }
}

/// Keeps the facts the datasets give (SILL history, links, aliases, merge evidence,
/// publiccode.yml, description sources, conflicts) from the solution saved before: a curator's
/// save does not edit them.
pub(super) fn keep_dataset_facts(solution: &mut domain::Solution, kept: domain::Solution) {
    solution.sill_history = kept.sill_history;
    solution.plugin_of = kept.plugin_of;
    solution.similar = kept.similar;
    solution.aliases = kept.aliases;
    solution.publiccode = kept.publiccode;
    solution.description_sources = kept.description_sources;
    solution.conflicts = kept.conflicts;
    solution.merge_evidence = kept.merge_evidence;
}

/// The location given, if any (several are refused by the domain's own rule).
fn location(
    github: Option<String>,
    gitlab: Option<GitlabInput>,
    feed: Option<String>,
    endoflife: Option<String>,
) -> ApiResult<Option<WatchLocation>> {
    if github.is_none() && gitlab.is_none() && feed.is_none() && endoflife.is_none() {
        return Ok(None);
    }
    let gitlab = gitlab
        .map(|g| -> ApiResult<_> {
            let host = url("gitlab.host", Some(&g.host))?.ok_or(ApiError::Internal)?;
            Ok((host, g.project))
        })
        .transpose()?;
    let feed = url("feed", feed.as_deref())?;
    WatchLocation::one_of(github, gitlab, feed, endoflife)
        .map(Some)
        .map_err(invalid)
}

impl WatchSourceInput {
    /// The solution whose releases it lists.
    pub(super) fn solution(&self) -> ApiResult<SolutionId> {
        field_id("solution", &self.solution, SolutionId::parse)
    }
}

impl TryFrom<WatchSourceInput> for domain::WatchSource {
    type Error = ApiError;

    fn try_from(input: WatchSourceInput) -> ApiResult<Self> {
        let solution = input.solution()?;
        let id = optional_id("id", input.id.as_ref(), WatchSourceId::parse)?;
        let location = location(input.github, input.gitlab, input.feed, input.endoflife)?
            .ok_or_else(|| {
                ApiError::BadInput(
                    "a watch source needs exactly one of github, gitlab, feed, endoflife"
                        .to_owned(),
                )
            })?;
        domain::WatchSource::declare(
            solution,
            location,
            id,
            interval_seconds(input.interval_seconds)?,
        )
        .map_err(invalid)
    }
}

impl UpdateWatchSourceInput {
    /// `current` with the changes given: a new location keeps the id and forgets the
    /// validators of the old URL.
    pub(super) fn apply_to(self, current: domain::WatchSource) -> ApiResult<domain::WatchSource> {
        let mut source = match location(self.github, self.gitlab, self.feed, self.endoflife)? {
            Some(location) => current.relocate(location).map_err(invalid)?,
            None => current,
        };
        if let Some(interval) = interval_seconds(self.interval_seconds)? {
            source.check_interval(interval).map_err(invalid)?;
            source.interval_secs = interval;
        }
        Ok(source)
    }
}
