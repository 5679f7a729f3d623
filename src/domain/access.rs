//! Who may write, and what was written: access tokens, their scopes, the history of changes,
//! an adoption's status history and a collectivity's functional contact.
//!
//! Tokens are 32 random bytes shown once as `rtx_<base64url>`. Only a keyed hash is kept
//! (HMAC-SHA256 under a server secret): tokens carry 256 bits of entropy, so a fast keyed hash
//! is as safe as a slow password hash here, and costs microseconds per request instead of the
//! tens of milliseconds argon2 would.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{AdoptionStatus, CollectivityId, NodeId, PartialDate, ValidationError, WatchSourceId};

/// What a plaintext token starts with.
pub const TOKEN_PREFIX: &str = "rtx_";

/// Longest comment kept with a change, in characters.
pub const MAX_COMMENT_CHARS: usize = 2_000;

/// The public id of a token (`tok_` and 16 hex digits): safe to log, shown in history.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TokenId(String);

impl TokenId {
    /// Parses a token id.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let ok = text
            .strip_prefix("tok_")
            .is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if ok {
            Ok(Self(text.to_ascii_lowercase()))
        } else {
            Err(ValidationError::new(format!(
                "`{}` is not a token id (tok_ and 16 hex digits)",
                text.chars().take(40).collect::<String>()
            )))
        }
    }

    /// A fresh random id.
    pub fn generate() -> Result<Self, ValidationError> {
        let mut bytes = [0u8; 8];
        random(&mut bytes)?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self(format!("tok_{hex}")))
    }
}

string_value!(text TokenId, "The id as text.");

fn random(bytes: &mut [u8]) -> Result<(), ValidationError> {
    getrandom::fill(bytes)
        .map_err(|e| ValidationError::new(format!("no randomness available: {e}")))
}

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    /// Writing its own collectivity's adoptions, outcomes and contact.
    #[serde(rename = "adoptions:write")]
    AdoptionsWrite,
    /// Editing the catalogue: needs, solutions, publishers, alternatives, sources.
    #[serde(rename = "curator")]
    Curator,
    /// Everything, for any collectivity.
    #[serde(rename = "admin")]
    Admin,
}

impl Scope {
    /// Every scope.
    pub const ALL: &'static [Scope] = &[Scope::AdoptionsWrite, Scope::Curator, Scope::Admin];

    /// The written form (`adoptions:write`, `curator`, `admin`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::AdoptionsWrite => "adoptions:write",
            Scope::Curator => "curator",
            Scope::Admin => "admin",
        }
    }

    /// Parses the written form.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        Scope::ALL
            .iter()
            .copied()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| {
                ValidationError::new(format!(
                    "`{text}` is not a scope: use adoptions:write, curator or admin"
                ))
            })
    }
}

/// An access token as stored: never its plaintext, which is shown once at creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Its public id.
    pub id: TokenId,
    /// The collectivity it writes for (required for `adoptions:write`).
    pub collectivity: Option<CollectivityId>,
    /// What it allows.
    pub scopes: Vec<Scope>,
    /// A note on who holds it (a team, never a person's name is required).
    pub label: Option<String>,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// When it stops working, if ever.
    pub expires: Option<DateTime<Utc>>,
    /// When it was revoked, if it was.
    pub revoked: Option<DateTime<Utc>>,
}

impl Token {
    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.scopes.is_empty() {
            return Err(ValidationError::new("a token needs at least one scope"));
        }
        if self.scopes.contains(&Scope::AdoptionsWrite) && self.collectivity.is_none() {
            return Err(ValidationError::new(
                "the adoptions:write scope needs a collectivity (--collectivity)",
            ));
        }
        if let Some(label) = &self.label {
            if label.chars().count() > 200 {
                return Err(ValidationError::new(
                    "a token's label is at most 200 characters",
                ));
            }
        }
        Ok(())
    }

    /// True when the token is neither revoked nor expired at `now`.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked.is_none() && self.expires.is_none_or(|e| e > now)
    }

    /// True when the token has this scope (admin has every scope).
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope) || self.scopes.contains(&Scope::Admin)
    }
}

/// The keyed hash of a token's plaintext, as stored and looked up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(pub String);

/// The server secret tokens are hashed under (`RETEX_TOKEN_SECRET`).
#[derive(Clone)]
pub struct TokenSecret(Vec<u8>);

impl std::fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSecret(<redacted>)")
    }
}

impl TokenSecret {
    /// A secret from its text (empty text is allowed: the hash is then a plain SHA-256 with
    /// a fixed key, still safe for 256-bit tokens but without defence in depth).
    pub fn new(secret: &str) -> Self {
        Self(secret.as_bytes().to_vec())
    }

    /// HMAC-SHA256 of the plaintext token under this secret, hex-encoded.
    pub fn hash(&self, plaintext: &str) -> TokenHash {
        TokenHash(hex(&hmac_sha256(&self.0, plaintext.as_bytes())))
    }

    /// A fresh plaintext token (`rtx_` and 43 base64url characters) and its hash.
    pub fn generate(&self) -> Result<(String, TokenHash), ValidationError> {
        let mut bytes = [0u8; 32];
        random(&mut bytes)?;
        let plaintext = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
        let hash = self.hash(&plaintext);
        Ok((plaintext, hash))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC (RFC 2104) over SHA-256.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// What a change did to a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeAction {
    /// The node was created.
    #[serde(rename = "CREATE")]
    Create,
    /// The node was changed.
    #[serde(rename = "UPDATE")]
    Update,
    /// The node was retired (ended, abandoned or withdrawn).
    #[serde(rename = "RETIRE")]
    Retire,
}

impl ChangeAction {
    /// The written form.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Create => "CREATE",
            ChangeAction::Update => "UPDATE",
            ChangeAction::Retire => "RETIRE",
        }
    }

    /// Parses the written form.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        match text {
            "CREATE" => Ok(ChangeAction::Create),
            "UPDATE" => Ok(ChangeAction::Update),
            "RETIRE" => Ok(ChangeAction::Retire),
            other => Err(ValidationError::new(format!("`{other}` is not an action"))),
        }
    }
}

/// What a change is about: a node of the graph, or a watch source (not a graph node, but
/// written through the API with the same history).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ChangeSubject {
    /// A node of the graph.
    Node(NodeId),
    /// A release-watch source.
    Watch(WatchSourceId),
}

impl ChangeSubject {
    /// Parses a node id (`kind:slug`) or a watch source id (`watch:slug`).
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        if text.starts_with("watch:") {
            WatchSourceId::parse(text).map(Self::Watch)
        } else {
            NodeId::parse(text).map(Self::Node)
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Node(n) => n.as_str(),
            Self::Watch(w) => w.as_str(),
        }
    }
}

impl From<NodeId> for ChangeSubject {
    fn from(id: NodeId) -> Self {
        Self::Node(id)
    }
}

impl From<WatchSourceId> for ChangeSubject {
    fn from(id: WatchSourceId) -> Self {
        Self::Watch(id)
    }
}

string_value!(ChangeSubject);

/// One change of one node (or watch source): who, when, what before and after, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The node changed.
    pub node: ChangeSubject,
    /// When.
    pub at: DateTime<Utc>,
    /// The token that made the change.
    pub author: TokenId,
    /// What was done.
    pub action: ChangeAction,
    /// The node's document before (none for a creation).
    pub before: Option<serde_json::Value>,
    /// The node's document after.
    pub after: Option<serde_json::Value>,
    /// Why, in the author's words.
    pub comment: Option<String>,
}

/// Checks a change's comment.
pub fn check_comment(comment: &str) -> Result<(), ValidationError> {
    if comment.chars().count() > MAX_COMMENT_CHARS {
        return Err(ValidationError::new(format!(
            "a comment is at most {MAX_COMMENT_CHARS} characters"
        )));
    }
    Ok(())
}

/// One step of an adoption's life: PILOT on this date, DEPLOYED on that one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The status reached.
    pub status: AdoptionStatus,
    /// When it was reached, where known.
    pub date: Option<PartialDate>,
}

/// A functional way to reach a collectivity's team about its experience: a role and a team
/// mailbox or page, never a person's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionalContact {
    /// The role or team (`DSI — pôle logiciels libres`).
    pub role: String,
    /// A team mailbox.
    pub mailbox: Option<String>,
    /// A page or form.
    pub url: Option<super::WebUrl>,
}

impl FunctionalContact {
    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let role = self.role.trim();
        if role.is_empty() || role.chars().count() > 200 {
            return Err(ValidationError::new(
                "a contact's role is between 1 and 200 characters",
            ));
        }
        if let Some(mailbox) = &self.mailbox {
            let valid = mailbox.len() <= 254
                && !mailbox.chars().any(|c| c.is_whitespace() || c.is_control())
                && mailbox
                    .split_once('@')
                    .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
            if !valid {
                return Err(ValidationError::new(format!(
                    "`{}` is not a mailbox address",
                    mailbox.chars().take(60).collect::<String>()
                )));
            }
        }
        if self.mailbox.is_none() && self.url.is_none() {
            return Err(ValidationError::new("a contact needs a mailbox or a url"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn generated_tokens_hash_to_their_hash() {
        let secret = TokenSecret::new("s");
        let (plain, hash) = secret.generate().unwrap();
        assert!(plain.starts_with(TOKEN_PREFIX));
        assert_eq!(plain.len(), 4 + 43);
        assert_eq!(secret.hash(&plain), hash);
        assert_ne!(TokenSecret::new("t").hash(&plain), hash);
    }

    #[test]
    fn token_ids_parse() {
        let id = TokenId::generate().unwrap();
        assert_eq!(TokenId::parse(id.as_str()).unwrap(), id);
        assert!(TokenId::parse("tok_xyz").is_err());
    }
}
