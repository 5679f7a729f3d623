//! The mutation root: collectivities record their own adoptions, outcomes and contact;
//! curators edit the catalogue. Every mutation calls [`authorize`] first, validates its input
//! with the domain's own parse functions (as the importers do), and goes through one versioned
//! store write that records who, when, what before and after, and why.

use async_graphql::{Context, InputObject, MergedObject, Object, ID};

use super::auth::{authenticated, authorize, Action};
use super::bounds::{self, WideInt, INT_MAX};
use super::context::store;
use super::enums::{
    AdoptionStatus, AlternativeKind, Confidence, DeploymentStrategy, Hosting, MaintenanceStatus,
    OutcomeKind, PublisherKind, PublisherStatus, SolutionKind, SourceKind,
};
use super::error::{ApiError, ApiResult};
use super::types::{
    AdoptionNode, AlternativeNode, CollectivityNode, NeedNode, OutcomeNode, PublisherNode,
    SolutionNode, SourceNode,
};
use crate::domain::{
    self, check_comment, AdoptionId, Batch, ChangeAction, Citation, CollectivityId, Country,
    EntityKind, FunctionalContact, Licence, LocalizedText, NeedId, NodeId, OutcomeId, PartialDate,
    PublisherId, SolutionId, SourceId, StatusChange, TokenId, ValidationError, WebUrl, WikidataId,
};
use crate::store::{Change, ChangeReceipt};

/// Longest idempotency key, in characters.
const MAX_KEY_CHARS: usize = 100;
/// Most ids in one list input.
const MAX_LIST: usize = 50;

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

pub(super) fn bad(field: &str) -> impl Fn(ValidationError) -> ApiError + '_ {
    move |e| ApiError::BadInput(format!("{field}: {}", e.0))
}

/// A rule of the domain that spans fields, broken.
pub(super) fn invalid(e: ValidationError) -> ApiError {
    ApiError::BadInput(e.0)
}

pub(super) fn field_id<T>(
    field: &str,
    id: &str,
    parse: fn(&str) -> Result<T, ValidationError>,
) -> ApiResult<T> {
    parse(id).map_err(bad(field))
}

fn date(field: &str, text: Option<&str>) -> ApiResult<Option<PartialDate>> {
    text.map(|t| PartialDate::parse(t).map_err(bad(field)))
        .transpose()
}

fn text(field: &str, input: Option<TextInput>) -> ApiResult<Option<LocalizedText>> {
    input
        .map(|t| LocalizedText::new(t.fr, t.en).map_err(bad(field)))
        .transpose()
}

pub(super) fn url(field: &str, text: Option<&str>) -> ApiResult<Option<WebUrl>> {
    text.map(|t| WebUrl::parse(t).map_err(bad(field)))
        .transpose()
}

fn ids<T>(
    field: &str,
    list: &[ID],
    parse: fn(&str) -> Result<T, ValidationError>,
) -> ApiResult<Vec<T>> {
    if list.len() > MAX_LIST {
        return Err(ApiError::BadInput(format!(
            "{field}: at most {MAX_LIST} ids"
        )));
    }
    list.iter().map(|id| field_id(field, id, parse)).collect()
}

pub(super) fn check_comment_input(comment: Option<String>) -> ApiResult<Option<String>> {
    match comment {
        Some(c) if c.trim().is_empty() => Ok(None),
        Some(c) => {
            check_comment(&c).map_err(bad("comment"))?;
            Ok(Some(c))
        }
        None => Ok(None),
    }
}

pub(super) fn check_key(key: Option<String>) -> ApiResult<Option<String>> {
    match key {
        Some(k) if k.is_empty() || k.chars().count() > MAX_KEY_CHARS => Err(ApiError::BadInput(
            format!("idempotencyKey: between 1 and {MAX_KEY_CHARS} characters"),
        )),
        other => Ok(other),
    }
}

fn optional_id<T>(
    field: &str,
    id: Option<&str>,
    parse: fn(&str) -> Result<T, ValidationError>,
) -> ApiResult<Option<T>> {
    id.map(|id| field_id(field, id, parse)).transpose()
}

fn licence(text: Option<&str>) -> ApiResult<Option<Licence>> {
    text.map(|l| Licence::parse(l).map_err(bad("licence")))
        .transpose()
}

/// The one node a read after a write found, or an internal error.
pub(super) fn found<T, N>(mut nodes: Vec<T>, wrap: fn(T) -> N) -> ApiResult<N> {
    nodes.pop().map(wrap).ok_or(ApiError::Internal)
}

/// Fails with BAD_USER_INPUT naming the field when a referenced node does not exist (the
/// store checks again inside its transaction).
pub(super) async fn check_exist(ctx: &Context<'_>, refs: Vec<(&str, NodeId)>) -> ApiResult<()> {
    if refs.is_empty() {
        return Ok(());
    }
    let missing = store(ctx)
        .missing(refs.iter().map(|(_, id)| id.clone()).collect())
        .await?;
    if let Some((field, id)) = refs.iter().find(|(_, id)| missing.contains(id)) {
        return Err(ApiError::BadInput(format!("{field}: {id} does not exist")));
    }
    check_live(ctx, &refs).await
}

/// Fails with BAD_USER_INPUT naming the field when a referenced need or source is retired:
/// nothing new may refer to a retired need or cite a retired source.
async fn check_live(ctx: &Context<'_>, refs: &[(&str, NodeId)]) -> ApiResult<()> {
    let pick = |kind: EntityKind| -> Vec<String> {
        refs.iter()
            .filter(|(_, id)| id.kind() == kind)
            .map(|(_, id)| id.as_str().to_owned())
            .collect()
    };
    let needs: Vec<NeedId> = pick(EntityKind::Need)
        .iter()
        .filter_map(|n| NeedId::parse(n).ok())
        .collect();
    let sources: Vec<SourceId> = pick(EntityKind::Source)
        .iter()
        .filter_map(|s| SourceId::parse(s).ok())
        .collect();
    let mut retired: Vec<String> = Vec::new();
    if !needs.is_empty() {
        let found = store(ctx).needs(needs).await?;
        retired.extend(
            found
                .into_iter()
                .filter(|n| n.retired.is_some())
                .map(|n| n.id.to_string()),
        );
    }
    if !sources.is_empty() {
        let found = store(ctx).sources(sources).await?;
        retired.extend(
            found
                .into_iter()
                .filter(|s| s.retired.is_some())
                .map(|s| s.id.to_string()),
        );
    }
    match refs
        .iter()
        .find(|(_, id)| retired.iter().any(|r| r == id.as_str()))
    {
        Some((field, id)) => Err(ApiError::BadInput(format!(
            "{field}: {id} is retired; refer to a live one"
        ))),
        None => Ok(()),
    }
}

pub(super) fn refs<T: Clone + Into<NodeId>>(
    field: &'static str,
    ids: &[T],
) -> Vec<(&'static str, NodeId)> {
    ids.iter().map(|id| (field, id.clone().into())).collect()
}

fn citations(subject: &NodeId, sources: Vec<SourceId>) -> Vec<Citation> {
    sources
        .into_iter()
        .map(|source| Citation {
            locator: None,
            subject: subject.clone(),
            source,
        })
        .collect()
}

/// What every change shares besides its batch.
pub(super) struct Meta {
    pub(super) author: TokenId,
    pub(super) action: ChangeAction,
    pub(super) comment: Option<String>,
    pub(super) expected_version: Option<String>,
    pub(super) idempotency_key: Option<String>,
}

impl Meta {
    /// A catalogue save: a creation without `expected_version`, else an update.
    fn save(
        author: TokenId,
        expected_version: Option<String>,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<Self> {
        Ok(Self {
            author,
            action: if expected_version.is_some() {
                ChangeAction::Update
            } else {
                ChangeAction::Create
            },
            comment: check_comment_input(comment)?,
            idempotency_key: match expected_version {
                None => check_key(idempotency_key)?,
                Some(_) => None,
            },
            expected_version,
        })
    }
}

pub(super) async fn commit(
    ctx: &Context<'_>,
    node: NodeId,
    batch: Batch,
    meta: Meta,
) -> ApiResult<ChangeReceipt> {
    let change = Change {
        node,
        batch,
        expected_version: meta.expected_version,
        author: meta.author,
        action: meta.action,
        comment: meta.comment,
        idempotency_key: meta.idempotency_key,
    };
    Ok(store(ctx).write_change(change).await?)
}

/// Commits a change of `node`, refusing a replayed idempotency key that created another node.
async fn commit_same(
    ctx: &Context<'_>,
    node: NodeId,
    batch: Batch,
    meta: Meta,
) -> ApiResult<ChangeReceipt> {
    let requested = node.clone();
    same_node(commit(ctx, node, batch, meta).await?, &requested)
}

/// Checks that a replayed creation named the same node as this request: a key is for retrying
/// one request, not for another.
fn same_node(receipt: ChangeReceipt, requested: &NodeId) -> ApiResult<ChangeReceipt> {
    if receipt.replayed && &receipt.node != requested {
        return Err(ApiError::Conflict(format!(
            "this idempotency key was used to create {}, not {requested}",
            receipt.node
        )));
    }
    Ok(receipt)
}

pub(super) async fn adoption(ctx: &Context<'_>, id: AdoptionId) -> ApiResult<domain::Adoption> {
    store(ctx)
        .adoptions(vec![id.clone()])
        .await?
        .pop()
        .ok_or_else(|| ApiError::NotFound(format!("nothing has the id `{id}`")))
}

async fn reload_adoption(ctx: &Context<'_>, receipt: &ChangeReceipt) -> ApiResult<AdoptionNode> {
    let id = AdoptionId::parse(receipt.node.as_str()).map_err(|_| ApiError::Internal)?;
    Ok(AdoptionNode(adoption(ctx, id).await?))
}

fn apply_update(current: &mut domain::Adoption, input: UpdateAdoptionInput) -> ApiResult<()> {
    if let Some(started) = date("started", input.started.as_deref())? {
        current.started = Some(started);
    }
    if let Some(ended) = date("ended", input.ended.as_deref())? {
        current.ended = Some(ended);
    }
    if let Some(strategy) = input.strategy {
        current.strategy = Some(strategy.into());
    }
    if let Some(hosting) = input.hosting {
        current.hosting = Some(hosting.into());
    }
    if let Some(scale) = bounds::within_opt("scale", input.scale, 0, INT_MAX)? {
        current.scale = Some(u64::from(scale));
    }
    if let Some(note) = text("note", input.note)? {
        current.note = Some(note);
    }
    let status_date = date("statusDate", input.status_date.as_deref())?;
    if let Some(status) = input.status {
        change_status(current, status.into(), status_date);
    }
    Ok(())
}

/// Moves an adoption to a status, keeping the step in its history.
fn change_status(
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

/// The entry points of every write. All need a bearer token.
#[derive(MergedObject, Default)]
pub struct MutationRoot(EditMutations, super::retire::RetireMutations);

/// Creations and updates of the graph's nodes.
#[derive(Default)]
pub struct EditMutations;

#[Object]
impl EditMutations {
    /// Records an adoption of the token's collectivity. Retrying with the same
    /// `idempotencyKey` answers the adoption created the first time.
    async fn create_adoption(
        &self,
        ctx: &Context<'_>,
        input: CreateAdoptionInput,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<AdoptionNode> {
        authenticated(ctx)?;
        let collectivity = field_id("collectivity", &input.collectivity, CollectivityId::parse)?;
        let author = authorize(ctx, Action::WriteFor(&collectivity))?;
        let solution = field_id("solution", &input.solution, SolutionId::parse)?;
        let id = match &input.id {
            Some(id) => field_id("id", id, AdoptionId::parse)?,
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
            id: id.clone(),
            collectivity,
            solution,
            need: field_id("need", &input.need, NeedId::parse)?,
            status,
            started,
            ended: None,
            strategy: input.strategy.map(Into::into),
            hosting: input.hosting.map(Into::into),
            scale: bounds::within_opt("scale", input.scale, 0, INT_MAX)?.map(u64::from),
            replaced: ids("replaced", &input.replaced, SolutionId::parse)?,
            note: text("note", input.note)?,
            status_history: vec![StatusChange {
                status,
                date: status_date,
            }],
        };
        let sources = ids("sources", &input.sources, SourceId::parse)?;
        adoption.validate().map_err(invalid)?;
        let mut wanted = refs("collectivity", std::slice::from_ref(&adoption.collectivity));
        wanted.extend(refs("solution", std::slice::from_ref(&adoption.solution)));
        wanted.extend(refs("need", std::slice::from_ref(&adoption.need)));
        wanted.extend(refs("replaced", &adoption.replaced));
        wanted.extend(refs("sources", &sources));
        check_exist(ctx, wanted).await?;
        let node: NodeId = id.into();
        let batch = Batch {
            citations: citations(&node, sources),
            adoptions: vec![adoption],
            ..Batch::default()
        };
        let meta = Meta {
            author,
            action: ChangeAction::Create,
            comment: check_comment_input(comment)?,
            expected_version: None,
            idempotency_key: check_key(idempotency_key)?,
        };
        let receipt = commit_same(ctx, node, batch, meta).await?;
        reload_adoption(ctx, &receipt).await
    }

    /// Changes an adoption of the token's collectivity; fails with CONFLICT when it changed
    /// since `expectedVersion`. A new status is appended to its status history.
    async fn update_adoption(
        &self,
        ctx: &Context<'_>,
        input: UpdateAdoptionInput,
        comment: Option<String>,
    ) -> ApiResult<AdoptionNode> {
        authenticated(ctx)?;
        let id = field_id("id", &input.id, AdoptionId::parse)?;
        let mut current = adoption(ctx, id.clone()).await?;
        let author = authorize(ctx, Action::WriteFor(&current.collectivity))?;
        let expected_version = Some(input.expected_version.clone());
        apply_update(&mut current, input)?;
        let meta = Meta {
            author,
            action: ChangeAction::Update,
            comment: check_comment_input(comment)?,
            expected_version,
            idempotency_key: None,
        };
        let batch = Batch {
            adoptions: vec![current],
            ..Batch::default()
        };
        let receipt = commit(ctx, id.into(), batch, meta).await?;
        reload_adoption(ctx, &receipt).await
    }

    /// Retires an adoption: it becomes ABANDONED (or REPLACED) and ends on `ended`.
    async fn retire_adoption(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: String,
        ended: Option<String>,
        #[graphql(default_with = "AdoptionStatus::Abandoned")] status: AdoptionStatus,
        comment: Option<String>,
    ) -> ApiResult<AdoptionNode> {
        authenticated(ctx)?;
        let id = field_id("id", &id, AdoptionId::parse)?;
        let mut current = adoption(ctx, id.clone()).await?;
        let author = authorize(ctx, Action::WriteFor(&current.collectivity))?;
        let status: domain::AdoptionStatus = status.into();
        if !matches!(
            status,
            domain::AdoptionStatus::Abandoned | domain::AdoptionStatus::Replaced
        ) {
            return Err(ApiError::BadInput(
                "status: a retired adoption is ABANDONED or REPLACED".to_owned(),
            ));
        }
        let ended = date("ended", ended.as_deref())?;
        if ended.is_some() {
            current.ended = ended;
        }
        change_status(&mut current, status, ended);
        let meta = Meta {
            author,
            action: ChangeAction::Retire,
            comment: check_comment_input(comment)?,
            expected_version: Some(expected_version),
            idempotency_key: None,
        };
        let batch = Batch {
            adoptions: vec![current],
            ..Batch::default()
        };
        let receipt = commit(ctx, id.into(), batch, meta).await?;
        reload_adoption(ctx, &receipt).await
    }

    /// Records an outcome of one of the token's collectivity's adoptions.
    async fn create_outcome(
        &self,
        ctx: &Context<'_>,
        input: CreateOutcomeInput,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<OutcomeNode> {
        authenticated(ctx)?;
        let adoption_id = field_id("adoption", &input.adoption, AdoptionId::parse)?;
        let parent = adoption(ctx, adoption_id.clone()).await?;
        let author = authorize(ctx, Action::WriteFor(&parent.collectivity))?;
        let summary = text("summary", Some(input.summary))?.ok_or_else(|| {
            ApiError::BadInput("summary: give a French or English text".to_owned())
        })?;
        let existing = store(ctx).outcomes_of(vec![adoption_id.clone()]).await?;
        let id = OutcomeId::parse(&format!(
            "outcome:{}--{}",
            adoption_id.slug(),
            existing.len() + 1
        ))
        .map_err(bad("adoption"))?;
        let outcome = domain::Outcome {
            id: id.clone(),
            adoption: adoption_id,
            kind: input.kind.into(),
            date: date("date", input.date.as_deref())?,
            summary,
            figures: Vec::new(),
            retired: None,
        };
        let sources = ids("sources", &input.sources, SourceId::parse)?;
        check_exist(ctx, refs("sources", &sources)).await?;
        let node: NodeId = id.clone().into();
        let batch = Batch {
            citations: citations(&node, sources),
            outcomes: vec![outcome],
            ..Batch::default()
        };
        let meta = Meta {
            author,
            action: ChangeAction::Create,
            comment: check_comment_input(comment)?,
            expected_version: None,
            idempotency_key: check_key(idempotency_key)?,
        };
        let receipt = commit(ctx, node, batch, meta).await?;
        let id = OutcomeId::parse(receipt.node.as_str()).map_err(|_| ApiError::Internal)?;
        found(store(ctx).outcomes(vec![id]).await?, OutcomeNode)
    }

    /// Sets (or, without `contact`, removes) the collectivity's functional contact, and
    /// whether it consents to show it in public reads.
    async fn set_collectivity_contact(
        &self,
        ctx: &Context<'_>,
        collectivity: ID,
        expected_version: String,
        contact: Option<ContactInput>,
        public: bool,
        comment: Option<String>,
    ) -> ApiResult<CollectivityNode> {
        authenticated(ctx)?;
        let id = field_id("collectivity", &collectivity, CollectivityId::parse)?;
        let author = authorize(ctx, Action::WriteFor(&id))?;
        let mut current = store(ctx)
            .collectivities(vec![id.clone()])
            .await?
            .pop()
            .ok_or_else(|| ApiError::NotFound(format!("nothing has the id `{id}`")))?;
        current.contact = match contact {
            Some(c) => {
                let contact = FunctionalContact {
                    role: c.role,
                    mailbox: c.mailbox,
                    url: url("contact.url", c.url.as_deref())?,
                };
                contact.validate().map_err(bad("contact"))?;
                Some(contact)
            }
            None => None,
        };
        current.contact_public = public && current.contact.is_some();
        let meta = Meta {
            author,
            action: ChangeAction::Update,
            comment: check_comment_input(comment)?,
            expected_version: Some(expected_version),
            idempotency_key: None,
        };
        let batch = Batch {
            collectivities: vec![current],
            ..Batch::default()
        };
        commit_same(ctx, id.clone().into(), batch, meta).await?;
        found(store(ctx).collectivities(vec![id]).await?, CollectivityNode)
    }

    /// Changes an outcome of one of the token's collectivity's adoptions.
    async fn update_outcome(
        &self,
        ctx: &Context<'_>,
        input: UpdateOutcomeInput,
        comment: Option<String>,
    ) -> ApiResult<OutcomeNode> {
        authenticated(ctx)?;
        let id = field_id("id", &input.id, OutcomeId::parse)?;
        let mut current = store(ctx)
            .outcomes(vec![id.clone()])
            .await?
            .pop()
            .ok_or_else(|| ApiError::NotFound(format!("nothing has the id `{id}`")))?;
        let parent = adoption(ctx, current.adoption.clone()).await?;
        let author = authorize(ctx, Action::WriteFor(&parent.collectivity))?;
        if let Some(kind) = input.kind {
            current.kind = kind.into();
        }
        if let Some(date) = date("date", input.date.as_deref())? {
            current.date = Some(date);
        }
        if let Some(summary) = text("summary", input.summary)? {
            current.summary = summary;
        }
        let sources = ids("addSources", &input.add_sources, SourceId::parse)?;
        check_exist(ctx, refs("addSources", &sources)).await?;
        let node: NodeId = id.clone().into();
        let batch = Batch {
            citations: citations(&node, sources),
            outcomes: vec![current],
            ..Batch::default()
        };
        let meta = Meta {
            author,
            action: ChangeAction::Update,
            comment: check_comment_input(comment)?,
            expected_version: Some(input.expected_version),
            idempotency_key: None,
        };
        commit(ctx, node, batch, meta).await?;
        found(store(ctx).outcomes(vec![id]).await?, OutcomeNode)
    }

    /// Adds a source (a document, dataset, interview) that facts can cite. Any write token.
    async fn create_source(
        &self,
        ctx: &Context<'_>,
        input: SourceInput,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<SourceNode> {
        authenticated(ctx)?;
        let author = authorize(ctx, Action::Contribute)?;
        let id = field_id("id", &input.id, SourceId::parse)?;
        let source = domain::Source {
            id: id.clone(),
            title: input.title,
            titles: None,
            kind: input.kind.into(),
            url: url("url", input.url.as_deref())?,
            publisher: input.publisher,
            published: date("published", input.published.as_deref())?,
            licence: licence(input.licence.as_deref())?,
            retired: None,
        };
        let batch = Batch {
            sources: vec![source],
            ..Batch::default()
        };
        let meta = Meta {
            author,
            action: ChangeAction::Create,
            comment: check_comment_input(comment)?,
            expected_version: None,
            idempotency_key: check_key(idempotency_key)?,
        };
        commit_same(ctx, id.clone().into(), batch, meta).await?;
        found(store(ctx).sources(vec![id]).await?, SourceNode)
    }

    /// Creates a need, or replaces it when `expectedVersion` is given (curator scope).
    async fn save_need(
        &self,
        ctx: &Context<'_>,
        input: NeedInput,
        expected_version: Option<String>,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<NeedNode> {
        authenticated(ctx)?;
        let author = authorize(ctx, Action::Curate)?;
        let id = field_id("id", &input.id, NeedId::parse)?;
        // Saving a retired need keeps it retired (retirement is its own mutation).
        let retired = store(ctx)
            .needs(vec![id.clone()])
            .await?
            .pop()
            .and_then(|n| n.retired);
        let need = domain::Need {
            id: id.clone(),
            label: text("label", Some(input.label))?.ok_or_else(|| {
                ApiError::BadInput("label: give a French or English text".to_owned())
            })?,
            broader: optional_id(
                "broader",
                input.broader.as_deref().map(String::as_str),
                NeedId::parse,
            )?,
            publiccode: input.publiccode,
            retired,
        };
        need.validate().map_err(invalid)?;
        check_exist(ctx, refs("broader", need.broader.as_slice())).await?;
        let batch = Batch {
            needs: vec![need],
            ..Batch::default()
        };
        let meta = Meta::save(author, expected_version, idempotency_key, comment)?;
        commit_same(ctx, id.clone().into(), batch, meta).await?;
        found(store(ctx).needs(vec![id]).await?, NeedNode)
    }

    /// Creates a publisher, or replaces it when `expectedVersion` is given (curator scope).
    async fn save_publisher(
        &self,
        ctx: &Context<'_>,
        input: PublisherInput,
        expected_version: Option<String>,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<PublisherNode> {
        authenticated(ctx)?;
        let author = authorize(ctx, Action::Curate)?;
        let id = field_id("id", &input.id, PublisherId::parse)?;
        let publisher = domain::Publisher {
            id: id.clone(),
            name: input.name,
            kind: input.kind.into(),
            country: input
                .country
                .as_deref()
                .map(|c| Country::parse(c).map_err(bad("country")))
                .transpose()?,
            website: url("website", input.website.as_deref())?,
            status: input.status.into(),
            closed: date("closed", input.closed.as_deref())?,
            unnamed: false,
        };
        let batch = Batch {
            publishers: vec![publisher],
            ..Batch::default()
        };
        let meta = Meta::save(author, expected_version, idempotency_key, comment)?;
        commit_same(ctx, id.clone().into(), batch, meta).await?;
        found(store(ctx).publishers(vec![id]).await?, PublisherNode)
    }

    /// Creates a solution, or replaces it when `expectedVersion` is given (curator scope).
    /// A solution is retired by saving it DISCONTINUED.
    async fn save_solution(
        &self,
        ctx: &Context<'_>,
        input: SolutionInput,
        expected_version: Option<String>,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<SolutionNode> {
        authenticated(ctx)?;
        let author = authorize(ctx, Action::Curate)?;
        let id = field_id("id", &input.id, SolutionId::parse)?;
        // Facts the datasets give (SILL history, links, aliases, merge evidence) are not edited
        // here: an update keeps them.
        let kept = super::context::store(ctx)
            .solutions(vec![id.clone()])
            .await?
            .into_iter()
            .next();
        let solution = domain::Solution {
            sill_history: kept
                .as_ref()
                .map(|k| k.sill_history.clone())
                .unwrap_or_default(),
            plugin_of: kept.as_ref().and_then(|k| k.plugin_of.clone()),
            similar: kept.as_ref().map(|k| k.similar.clone()).unwrap_or_default(),
            aliases: kept.as_ref().map(|k| k.aliases.clone()).unwrap_or_default(),
            publiccode: kept.as_ref().and_then(|k| k.publiccode.clone()),
            description_sources: kept
                .as_ref()
                .map(|k| k.description_sources.clone())
                .unwrap_or_default(),
            conflicts: kept
                .as_ref()
                .map(|k| k.conflicts.clone())
                .unwrap_or_default(),
            merge_evidence: kept.map(|k| k.merge_evidence).unwrap_or_default(),
            id: id.clone(),
            name: input.name,
            kind: input.kind.into(),
            licence: licence(input.licence.as_deref())?,
            publisher: optional_id(
                "publisher",
                input.publisher.as_deref().map(String::as_str),
                PublisherId::parse,
            )?,
            needs: ids("needs", &input.needs, NeedId::parse)?,
            status: input.status.into(),
            website: url("website", input.website.as_deref())?,
            repository: url("repository", input.repository.as_deref())?,
            wikidata: input
                .wikidata
                .as_deref()
                .map(|w| WikidataId::parse(w).map_err(bad("wikidata")))
                .transpose()?,
            sill: bounds::within_opt("sill", input.sill, 1, INT_MAX)?,
            comptoir: bounds::within_opt("comptoir", input.comptoir, 1, INT_MAX)?,
            description: text("description", input.description)?,
            unnamed: false,
        };
        solution.validate().map_err(invalid)?;
        let mut wanted = refs("publisher", solution.publisher.as_slice());
        wanted.extend(refs("needs", &solution.needs));
        check_exist(ctx, wanted).await?;
        let batch = Batch {
            solutions: vec![solution],
            ..Batch::default()
        };
        let meta = Meta::save(author, expected_version, idempotency_key, comment)?;
        commit_same(ctx, id.clone().into(), batch, meta).await?;
        found(store(ctx).solutions(vec![id]).await?, SolutionNode)
    }

    /// Declares that a libre solution replaces a proprietary one, or changes how fully when
    /// `expectedVersion` is given (curator scope).
    async fn save_alternative(
        &self,
        ctx: &Context<'_>,
        input: AlternativeInput,
        expected_version: Option<String>,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<AlternativeNode> {
        authenticated(ctx)?;
        let author = authorize(ctx, Action::Curate)?;
        let libre = field_id("libre", &input.libre, SolutionId::parse)?;
        let proprietary = field_id("proprietary", &input.proprietary, SolutionId::parse)?;
        let id = domain::Alternative::id_for(&libre, &proprietary);
        let alternative = domain::Alternative {
            id: id.clone(),
            libre,
            proprietary,
            confidence: input.confidence.into(),
            kind: input.kind.into(),
        };
        let sources = ids("sources", &input.sources, SourceId::parse)?;
        alternative.validate().map_err(invalid)?;
        let mut wanted = refs("libre", std::slice::from_ref(&alternative.libre));
        wanted.extend(refs(
            "proprietary",
            std::slice::from_ref(&alternative.proprietary),
        ));
        wanted.extend(refs("sources", &sources));
        check_exist(ctx, wanted).await?;
        let node: NodeId = id.clone().into();
        let batch = Batch {
            citations: citations(&node, sources),
            alternatives: vec![alternative],
            ..Batch::default()
        };
        let meta = Meta::save(author, expected_version, idempotency_key, comment)?;
        commit_same(ctx, node, batch, meta).await?;
        let libre = field_id("libre", &input.libre, SolutionId::parse)?;
        let alternatives = store(ctx).alternatives_of(vec![libre]).await?;
        found(
            alternatives.into_iter().filter(|a| a.id == id).collect(),
            AlternativeNode,
        )
    }
}
