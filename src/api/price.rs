//! The price of a request, computed on its parsed document before anything runs.
//!
//! Two numbers, both for the operation *as the server would expand it* (every fragment spread
//! replaced by its fragment) yet computed without expanding it: each fragment is priced once
//! and its price reused at every spread, so a document whose fragments spread each other
//! twice over is priced in time proportional to its text, not to its expansion.
//!
//! - **Fields**: the field selections (aliases included) of the expanded operation.
//! - **Cost**: every field costs its base price (1, [`SEARCH_PRICE`] for `search`,
//!   [`ANALYSIS_PRICE`] for the analyses) plus its children's cost times the rows it may
//!   return: the `first` argument (at most [`MAX_ROWS`]) of a paged field, [`UNPAGED_ROWS`]
//!   for a list without `first`. The list right under a paged field (a connection's `edges`,
//!   an analysis' ranked rows) is the page already paid for.
//!
//! The types come from the schema's SDL (and the introspection types, written below), so
//! every list field of the schema is priced, cyclic ones included
//! (`Solution.alternatives { libre { replaces { ... } } }`).

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Selection, SelectionSet, ServiceDocument, Type,
    TypeSystemDefinition,
};
use async_graphql::{Name, Value, Variables};

/// Rows a list without a `first` argument is priced at: more than such lists hold for most
/// nodes (an adoption's outcomes, a node's sources), so nesting them multiplies the price
/// (the cycles `alternatives { libre { replaces { ... } } }` first); the answer size cap
/// bounds what a list longer than this may still return.
pub const UNPAGED_ROWS: u64 = 5;
/// Most rows a page may hold (a larger `first` is refused by the field itself).
pub const MAX_ROWS: u64 = 100;
/// Rows of a paged field whose `first` is neither given nor defaulted in the schema.
pub const DEFAULT_ROWS: u64 = 20;
/// Base price of one `search`.
pub const SEARCH_PRICE: u64 = 100;
/// Base price of one analysis over the whole graph (peers, experience, adoption paths...).
pub const ANALYSIS_PRICE: u64 = 200;

/// Fields of the query root computed over the whole graph's analysis index.
const ANALYSES: &[&str] = &[
    "peers",
    "experience",
    "adoptionPaths",
    "selectionAdvice",
    "collectivityStatistics",
    "adoptionTimeline",
    "aggregates",
];

/// The introspection types, as the GraphQL specification defines them (only what pricing
/// needs: which fields are lists, and of what).
const INTROSPECTION_SDL: &str = "
type __Root { __schema: __Schema! __type(name: String!): __Type }
type __Schema { types: [__Type!]! queryType: __Type! mutationType: __Type subscriptionType: __Type directives: [__Directive!]! }
type __Type { kind: String name: String fields: [__Field!] interfaces: [__Type!] possibleTypes: [__Type!] enumValues: [__EnumValue!] inputFields: [__InputValue!] ofType: __Type specifiedByURL: String }
type __Field { name: String args: [__InputValue!]! type: __Type! isDeprecated: Boolean deprecationReason: String }
type __InputValue { name: String type: __Type! defaultValue: String }
type __EnumValue { name: String isDeprecated: Boolean deprecationReason: String }
type __Directive { name: String locations: [String!]! args: [__InputValue!]! }
";

/// What pricing knows of a field.
#[derive(Debug, Clone)]
struct FieldType {
    /// The named type it returns (lists and non-null unwrapped).
    type_name: String,
    /// Whether it returns a list.
    list: bool,
    /// The default of its `first` argument, when it has one (`Some(None)`: no default).
    first: Option<Option<u64>>,
}

/// A request's price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Price {
    /// Field selections of the expanded operation(s), aliases included.
    pub fields: u64,
    /// Cost (see the module's documentation).
    pub cost: u64,
}

impl Price {
    fn add(self, other: Price) -> Price {
        Price {
            fields: self.fields.saturating_add(other.fields),
            cost: self.cost.saturating_add(other.cost),
        }
    }
}

/// Why a document cannot be priced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    /// A fragment spreads itself, directly or not (the schema refuses it too).
    #[error("the fragment `{0}` spreads itself")]
    FragmentCycle(String),
    /// A spread names no fragment of the document.
    #[error("no fragment is named `{0}`")]
    UnknownFragment(String),
}

/// Prices documents against one schema.
pub struct Pricer {
    types: HashMap<String, HashMap<String, FieldType>>,
    roots: [String; 3],
}

impl Pricer {
    /// A pricer for the schema written in `sdl` (as [`async_graphql::Schema::sdl`] gives it).
    pub fn from_sdl(sdl: &str) -> Self {
        let mut types = HashMap::new();
        let mut roots = [
            "QueryRoot".to_owned(),
            "MutationRoot".to_owned(),
            "SubscriptionRoot".to_owned(),
        ];
        for text in [sdl, INTROSPECTION_SDL] {
            let Ok(document) = async_graphql::parser::parse_schema(text) else {
                tracing::error!("cannot read the schema to price requests");
                continue;
            };
            read_definitions(&document, &mut types, &mut roots);
        }
        Self { types, roots }
    }

    /// The price of the operations of `document`, with `variables` (a variable `first` is
    /// read from them).
    pub fn price(
        &self,
        document: &ExecutableDocument,
        variables: &Variables,
    ) -> Result<Price, PriceError> {
        use async_graphql::parser::types::OperationType;
        let mut walk = Walk {
            pricer: self,
            document,
            variables,
            fragments: HashMap::new(),
            visiting: HashSet::new(),
        };
        let mut total = Price::default();
        for (_, operation) in document.operations.iter() {
            let root = match operation.node.ty {
                OperationType::Query => &self.roots[0],
                OperationType::Mutation => &self.roots[1],
                OperationType::Subscription => &self.roots[2],
            };
            let price = walk.set(&operation.node.selection_set.node, Some(root), false)?;
            total = total.add(price);
        }
        Ok(total)
    }

    fn field(&self, type_name: Option<&str>, field: &str) -> Option<&FieldType> {
        let fields = self.types.get(type_name?)?;
        fields
            .get(field)
            .or_else(|| self.types.get(INTROSPECTION_ROOT)?.get(field))
    }
}

/// Where the introspection fields every type may select (`__schema`, `__type`) are kept.
const INTROSPECTION_ROOT: &str = "__Root";

fn read_definitions(
    document: &ServiceDocument,
    types: &mut HashMap<String, HashMap<String, FieldType>>,
    roots: &mut [String; 3],
) {
    use async_graphql::parser::types::TypeKind;
    for definition in &document.definitions {
        match definition {
            TypeSystemDefinition::Schema(schema) => {
                let schema = &schema.node;
                for (slot, name) in [&schema.query, &schema.mutation, &schema.subscription]
                    .into_iter()
                    .enumerate()
                {
                    if let Some(name) = name {
                        roots[slot] = name.node.to_string();
                    }
                }
            }
            TypeSystemDefinition::Type(ty) => {
                let fields = match &ty.node.kind {
                    TypeKind::Object(o) => &o.fields,
                    TypeKind::Interface(i) => &i.fields,
                    _ => continue,
                };
                let fields = fields
                    .iter()
                    .map(|f| {
                        let f = &f.node;
                        let first = f
                            .arguments
                            .iter()
                            .find(|a| a.node.name.node == "first")
                            .map(|a| a.node.default_value.as_ref().and_then(|v| rows_of(&v.node)));
                        let (type_name, list) = named(&f.ty.node);
                        (
                            f.name.node.to_string(),
                            FieldType {
                                type_name,
                                list,
                                first,
                            },
                        )
                    })
                    .collect();
                types.insert(ty.node.name.node.to_string(), fields);
            }
            TypeSystemDefinition::Directive(_) => {}
        }
    }
}

/// The named type under lists and non-null markers, and whether there was a list.
fn named(ty: &Type) -> (String, bool) {
    match &ty.base {
        BaseType::Named(name) => (name.to_string(), false),
        BaseType::List(inner) => (named(inner).0, true),
    }
}

/// A row count from a value, clamped to `0..=MAX_ROWS`; `None` when it is not a number.
fn rows_of(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_i64().map(|n| n.clamp(0, MAX_ROWS as i64) as u64),
        _ => None,
    }
}

/// One pricing pass over a document: fragments are priced once (per paging context).
struct Walk<'a> {
    pricer: &'a Pricer,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    fragments: HashMap<(Name, bool), Price>,
    visiting: HashSet<Name>,
}

impl Walk<'_> {
    /// The price of a selection set on `type_name` (unknown: `None`); `paged` says that the
    /// lists of this level belong to a page the parent already paid for.
    fn set(
        &mut self,
        set: &SelectionSet,
        type_name: Option<&str>,
        paged: bool,
    ) -> Result<Price, PriceError> {
        let mut total = Price::default();
        for item in &set.items {
            let price = match &item.node {
                Selection::Field(field) => self.field(&field.node, type_name, paged)?,
                Selection::InlineFragment(fragment) => {
                    let fragment = &fragment.node;
                    let on = fragment
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str())
                        .or(type_name);
                    self.set(&fragment.selection_set.node, on, paged)?
                }
                Selection::FragmentSpread(spread) => {
                    self.spread(&spread.node.fragment_name.node, paged)?
                }
            };
            total = total.add(price);
        }
        Ok(total)
    }

    fn spread(&mut self, name: &Name, paged: bool) -> Result<Price, PriceError> {
        let key = (name.clone(), paged);
        if let Some(price) = self.fragments.get(&key) {
            return Ok(*price);
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return Err(PriceError::UnknownFragment(name.to_string()));
        };
        if !self.visiting.insert(name.clone()) {
            return Err(PriceError::FragmentCycle(name.to_string()));
        }
        let on = fragment.node.type_condition.node.on.node.clone();
        let price = self.set(&fragment.node.selection_set.node, Some(on.as_str()), paged);
        self.visiting.remove(name);
        let price = price?;
        self.fragments.insert(key, price);
        Ok(price)
    }

    fn field(
        &mut self,
        field: &async_graphql::parser::types::Field,
        type_name: Option<&str>,
        paged: bool,
    ) -> Result<Price, PriceError> {
        let name = field.name.node.as_str();
        let known = self.pricer.field(type_name, name).cloned();
        let first = field
            .arguments
            .iter()
            .find(|(n, _)| n.node == "first")
            .and_then(|(_, v)| {
                let value = v
                    .node
                    .clone()
                    .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()));
                rows_of(&value.ok()?)
            });
        let (rows, children_paged) = match &known {
            Some(FieldType {
                first: Some(default),
                list,
                ..
            }) => (
                first.or(*default).unwrap_or(DEFAULT_ROWS),
                // A paged list field is its own page; a paged object holds the page below.
                !*list,
            ),
            Some(FieldType { list: true, .. }) if !paged => (UNPAGED_ROWS, false),
            _ => (1, false),
        };
        let on_query_root = type_name == Some(self.pricer.roots[0].as_str());
        let base = match name {
            "search" if on_query_root => SEARCH_PRICE,
            n if on_query_root && ANALYSES.contains(&n) => ANALYSIS_PRICE,
            _ => 1,
        };
        let child_type = known.as_ref().map(|k| k.type_name.clone());
        let children = self.set(
            &field.selection_set.node,
            child_type.as_deref(),
            children_paged,
        )?;
        // Fields are counted as the expanded document writes them, never times rows.
        Ok(Price {
            fields: children.fields.saturating_add(1),
            cost: children.cost.saturating_mul(rows).saturating_add(base),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = "
        type QueryRoot { solution(id: ID!): Solution search(text: String!, first: Int): [Hit!]!
          solutions(first: Int = 20): SolutionConnection! peers(of: ID!, first: Int! = 10): [Peer!]! }
        type Solution { name: String! alternatives: [Alternative!]! replaces: [Alternative!]! }
        type Alternative { libre: Solution! proprietary: Solution! }
        type SolutionConnection { totalCount: Int! edges: [SolutionEdge!]! }
        type SolutionEdge { node: Solution! cursor: String! }
        type Hit { label: String! }
        type Peer { name: String! }
        schema { query: QueryRoot }
    ";

    fn price(query: &str) -> Result<Price, PriceError> {
        let pricer = Pricer::from_sdl(SDL);
        let document = async_graphql::parser::parse_query(query).unwrap();
        pricer.price(&document, &Variables::default())
    }

    #[test]
    fn fragments_are_counted_as_expanded_without_expanding_them() {
        let mut query = String::from("{ ...F24 } fragment F0 on QueryRoot { __typename }");
        for i in 1..=24 {
            query.push_str(&format!(
                " fragment F{i} on QueryRoot {{ ...F{p} a: __typename ...F{p} }}",
                p = i - 1
            ));
        }
        let price = price(&query).unwrap();
        // F0 has 1 field; F(n) has 2·F(n−1) + 1: F24 has 2^25 − 1.
        assert_eq!(price.fields, (1 << 25) - 1);
    }

    #[test]
    fn lists_multiply_their_children() {
        let plain = price("{ solution(id: \"s\") { name } }").unwrap();
        assert_eq!(plain, Price { fields: 2, cost: 2 });
        let one = price("{ solution(id: \"s\") { alternatives { libre { name } } } }").unwrap();
        assert_eq!(one.fields, 4);
        assert_eq!(one.cost, 1 + 1 + UNPAGED_ROWS * 2);
        let paged =
            price("{ solutions(first: 5) { totalCount edges { node { name } } } }").unwrap();
        assert_eq!(paged.cost, 1 + 5 * (1 + 1 + 2));
        let defaulted = price("{ solutions { edges { node { name } } } }").unwrap();
        assert_eq!(defaulted.cost, 1 + 20 * 3);
        let huge = price("{ solutions(first: 100000) { edges { node { name } } } }").unwrap();
        assert_eq!(huge.cost, 1 + MAX_ROWS * 3);
    }

    #[test]
    fn search_and_analyses_have_a_price() {
        let search = price("{ search(text: \"a\") { label } }").unwrap();
        assert_eq!(search.cost, SEARCH_PRICE + DEFAULT_ROWS);
        let peers = price("{ peers(of: \"c\") { name } }").unwrap();
        assert_eq!(peers.cost, ANALYSIS_PRICE + 10);
    }

    #[test]
    fn cyclic_lists_grow_with_depth() {
        let mut inner = String::from("name");
        for _ in 0..4 {
            inner =
                format!("alternatives {{ libre {{ replaces {{ proprietary {{ {inner} }} }} }} }}");
        }
        let price = price(&format!("{{ solution(id: \"s\") {{ {inner} }} }}")).unwrap();
        assert!(price.cost > UNPAGED_ROWS.pow(8), "{price:?}");
    }

    /// Generated documents: fragments spreading earlier ones at random; the memoised count
    /// equals the count of the document expanded by hand.
    #[test]
    fn generated_fragment_graphs_count_as_their_expansion() {
        let mut rng = fastrand::Rng::with_seed(17);
        for _ in 0..200 {
            let n = rng.usize(1..8);
            let mut own = Vec::new(); // fields written in each fragment
            let mut spreads: Vec<Vec<usize>> = Vec::new();
            let mut text = String::new();
            for i in 0..n {
                let fields = rng.usize(0..4);
                let spread: Vec<usize> = (0..rng.usize(0..3))
                    .filter(|_| i > 0)
                    .map(|_| rng.usize(..i))
                    .collect();
                let mut body: Vec<String> =
                    (0..fields).map(|k| format!("f{k}: __typename")).collect();
                body.extend(spread.iter().map(|s| format!("...F{s}")));
                if body.is_empty() {
                    body.push("__typename".to_owned());
                }
                own.push(fields.max(usize::from(spread.is_empty() && fields == 0)));
                spreads.push(spread);
                text.push_str(&format!(
                    " fragment F{i} on QueryRoot {{ {} }}",
                    body.join(" ")
                ));
            }
            fn expanded(i: usize, own: &[usize], spreads: &[Vec<usize>]) -> u64 {
                own[i] as u64
                    + spreads[i]
                        .iter()
                        .map(|s| expanded(*s, own, spreads))
                        .sum::<u64>()
            }
            let top = n - 1;
            let query = format!("{{ ...F{top} }}{text}");
            // Fragments no operation spreads are not counted: only F{top}'s expansion is.
            assert_eq!(
                price(&query).unwrap().fields,
                expanded(top, &own, &spreads),
                "{query}"
            );
        }
    }

    #[test]
    fn fragment_cycles_and_unknown_fragments_are_errors() {
        assert_eq!(
            price("{ ...A } fragment A on QueryRoot { ...B } fragment B on QueryRoot { ...A }"),
            Err(PriceError::FragmentCycle("A".to_owned()))
        );
        assert_eq!(
            price("{ ...Z }"),
            Err(PriceError::UnknownFragment("Z".to_owned()))
        );
    }
}
