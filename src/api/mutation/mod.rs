//! The mutation root: collectivities record their own adoptions, outcomes and contact;
//! curators edit the catalogue, retire nodes and declare watch sources. Every mutation checks
//! its token first, turns its input into domain values at one seam ([`input`], with the
//! domain's own parse functions, as the importers do), and goes through one versioned store
//! write that records who, when, what before and after, and why ([`write`]).
//!
//! - [`input`]: the input types and their conversions into domain types.
//! - `field`: one input field read and checked (BAD_USER_INPUT naming the field); it knows no
//!   input type, so `input` uses it and not the other way round.
//! - `write`: what every write shares (who and why, references checked, the store write).
//! - `written`: the node kinds written one at a time (their batch, their read by id, their
//!   retirement), and the writes of one node built on them.
//! - `edit`: creations and updates; `retire`: retirements and the watch sources.

mod edit;
mod field;
pub mod input;
mod retire;
mod write;
mod written;

use async_graphql::MergedObject;

/// The entry points of every write. All need a bearer token.
#[derive(MergedObject, Default)]
pub struct MutationRoot(edit::EditMutations, retire::RetireMutations);
