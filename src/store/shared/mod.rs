//! What both backends share, so neither borrows from the other: the content hash and the
//! versions clients see, the checks of versioned writes, history pages, the text search and
//! licence filters index, and how times and documents are stored.

mod history;
mod search_text;
mod stored;
mod version;

pub(crate) use history::{
    change_replay, history_after, history_item, watch_replay, ChangeRecord, HistoryRow,
};
pub(crate) use search_text::licence_key;
pub use search_text::{
    collectivity_search_text, need_label_text, need_search_text, solution_search_text,
};
pub(crate) use stored::{parse_time, time_text, to_doc};
pub(crate) use version::{check_version, check_watch_version};
pub use version::{fnv1a_64, version_of, version_text};
