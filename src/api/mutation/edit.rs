//! Creations and updates: collectivities record their own adoptions, outcomes and contact;
//! curators edit the catalogue (needs, publishers, solutions, alternatives); any write token
//! adds sources.

use async_graphql::{Context, Object, ID};

use super::field::{bad, date, field_id};
use super::input::{
    change_status, keep_dataset_facts, AlternativeInput, ContactInput, CreateAdoptionInput,
    CreateOutcomeInput, NeedInput, NewAdoption, NewAlternative, PublisherInput, SolutionInput,
    SourceInput, UpdateAdoptionInput, UpdateOutcomeInput,
};
use super::write::{check_exist, citations, commit, found, refs, same_node, Meta};
use super::written::{stored, write_node};
use crate::api::auth::{authenticated, authorize, Action};
use crate::api::context::store;
use crate::api::enums::AdoptionStatus;
use crate::api::error::{ApiError, ApiResult};
use crate::api::types::{
    AdoptionNode, AlternativeNode, CollectivityNode, NeedNode, OutcomeNode, PublisherNode,
    SolutionNode, SourceNode,
};
use crate::domain::{
    self, AdoptionId, Batch, ChangeAction, CollectivityId, NodeId, OutcomeId, SolutionId,
};

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
        let author = authorize(ctx, Action::WriteFor(&input.collectivity()?))?;
        let NewAdoption { adoption, sources } = input.try_into()?;
        let mut wanted = refs("collectivity", std::slice::from_ref(&adoption.collectivity));
        wanted.extend(refs("solution", std::slice::from_ref(&adoption.solution)));
        wanted.extend(refs("need", std::slice::from_ref(&adoption.need)));
        wanted.extend(refs("replaced", &adoption.replaced));
        wanted.extend(refs("sources", &sources));
        check_exist(ctx, wanted).await?;
        let meta = Meta::create(author, idempotency_key, comment)?;
        write_node(ctx, adoption, sources, meta, AdoptionNode).await
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
        let mut current: domain::Adoption = stored(ctx, &id).await?;
        let author = authorize(ctx, Action::WriteFor(&current.collectivity))?;
        let expected_version = input.expected_version.clone();
        input.apply_to(&mut current)?;
        let meta = Meta::change(author, ChangeAction::Update, expected_version, comment)?;
        write_node(ctx, current, Vec::new(), meta, AdoptionNode).await
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
        let mut current: domain::Adoption = stored(ctx, &id).await?;
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
        let meta = Meta::change(author, ChangeAction::Retire, expected_version, comment)?;
        write_node(ctx, current, Vec::new(), meta, AdoptionNode).await
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
        let parent: domain::Adoption = stored(ctx, &adoption_id).await?;
        let author = authorize(ctx, Action::WriteFor(&parent.collectivity))?;
        let earlier = store(ctx).outcomes_of(vec![adoption_id.clone()]).await?;
        let outcome_id = OutcomeId::parse(&format!(
            "outcome:{}--{}",
            adoption_id.slug(),
            earlier.len() + 1
        ))
        .map_err(bad("adoption"))?;
        let (outcome, sources) = input.into_outcome(outcome_id, adoption_id)?;
        check_exist(ctx, refs("sources", &sources)).await?;
        let node: NodeId = outcome.id.clone().into();
        let batch = Batch {
            citations: citations(&node, sources),
            outcomes: vec![outcome],
            ..Batch::default()
        };
        let meta = Meta::create(author, idempotency_key, comment)?;
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
        let mut current: domain::Collectivity = stored(ctx, &id).await?;
        current.contact = contact.map(TryInto::try_into).transpose()?;
        current.contact_public = public && current.contact.is_some();
        let meta = Meta::change(author, ChangeAction::Update, expected_version, comment)?;
        write_node(ctx, current, Vec::new(), meta, CollectivityNode).await
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
        let mut current: domain::Outcome = stored(ctx, &id).await?;
        let parent: domain::Adoption = stored(ctx, &current.adoption).await?;
        let author = authorize(ctx, Action::WriteFor(&parent.collectivity))?;
        let expected_version = input.expected_version.clone();
        let sources = input.apply_to(&mut current)?;
        check_exist(ctx, refs("addSources", &sources)).await?;
        let meta = Meta::change(author, ChangeAction::Update, expected_version, comment)?;
        write_node(ctx, current, sources, meta, OutcomeNode).await
    }

    /// Adds a source (a document, dataset, interview) that facts can cite. Any write token.
    async fn create_source(
        &self,
        ctx: &Context<'_>,
        input: SourceInput,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<SourceNode> {
        let author = authorize(ctx, Action::Contribute)?;
        let source: domain::Source = input.try_into()?;
        let meta = Meta::create(author, idempotency_key, comment)?;
        write_node(ctx, source, Vec::new(), meta, SourceNode).await
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
        let author = authorize(ctx, Action::Curate)?;
        let id = input.id()?;
        // Saving a retired need keeps it retired (retirement is its own mutation).
        let retired = store(ctx)
            .needs(vec![id.clone()])
            .await?
            .pop()
            .and_then(|n| n.retired);
        let need = input.into_need(retired)?;
        check_exist(ctx, refs("broader", need.broader.as_slice())).await?;
        let meta = Meta::save(author, expected_version, idempotency_key, comment)?;
        write_node(ctx, need, Vec::new(), meta, NeedNode).await
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
        let author = authorize(ctx, Action::Curate)?;
        let publisher: domain::Publisher = input.try_into()?;
        let meta = Meta::save(author, expected_version, idempotency_key, comment)?;
        write_node(ctx, publisher, Vec::new(), meta, PublisherNode).await
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
        let author = authorize(ctx, Action::Curate)?;
        let mut solution: domain::Solution = input.try_into()?;
        let id = solution.id.clone();
        // Facts the datasets give (SILL history, links, aliases, merge evidence) are not edited
        // here: an update keeps them.
        if let Some(kept) = store(ctx).solutions(vec![id.clone()]).await?.pop() {
            keep_dataset_facts(&mut solution, kept);
        }
        let mut wanted = refs("publisher", solution.publisher.as_slice());
        wanted.extend(refs("needs", &solution.needs));
        check_exist(ctx, wanted).await?;
        let meta = Meta::save(author, expected_version, idempotency_key, comment)?;
        write_node(ctx, solution, Vec::new(), meta, SolutionNode).await
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
        let author = authorize(ctx, Action::Curate)?;
        let NewAlternative {
            alternative,
            sources,
        } = input.try_into()?;
        let mut wanted = refs("libre", std::slice::from_ref(&alternative.libre));
        wanted.extend(refs(
            "proprietary",
            std::slice::from_ref(&alternative.proprietary),
        ));
        wanted.extend(refs("sources", &sources));
        check_exist(ctx, wanted).await?;
        let (id, libre): (_, SolutionId) = (alternative.id.clone(), alternative.libre.clone());
        let node: NodeId = id.clone().into();
        let batch = Batch {
            citations: citations(&node, sources),
            alternatives: vec![alternative],
            ..Batch::default()
        };
        let meta = Meta::save(author, expected_version, idempotency_key, comment)?;
        let receipt = commit(ctx, node.clone(), batch, meta).await?;
        same_node(receipt.replayed, &receipt.node, &node)?;
        let alternatives = store(ctx).alternatives_of(vec![libre]).await?;
        found(
            alternatives.into_iter().filter(|a| a.id == id).collect(),
            AlternativeNode,
        )
    }
}
