//! `node_object!`: the `#[Object]` block of a node type, with the fields node types share
//! written once: `version`, `id`, `sources`, `citations` and the paged connections
//! (`adoptions`, `members`, `solutions`) with their paging arguments and cost.
//!
//! The block is written as usual, with a marker where a shared field stands, so the SDL keeps
//! its field order:
//! - `version;`, `sources;`, `citations;`;
//! - `id;`, after its own doc comment;
//! - `adoptions(Parent);`, after its doc comment (`Parent` an [`AdoptionParent`] variant);
//! - `linked name -> Node;`, `linked_opt name -> Node;`, `linked_all name -> Node;`, after its
//!   doc comment: the node (or nodes) the id field `name` links to, read through the batching
//!   loader (see [`linked`]);
//! - `paged name(args) -> Node = helper(leading args);`, after its doc comment: a connection
//!   field taking `args` then `first` and `after`, answered by
//!   `helper(leading args, &self.0.id, ctx, args, first, after)`.
//!
//! The macro walks the block field by field and writes the paged fields in the last step, the
//! one that also writes `#[Object]`: the cost expression names `child_complexity`, which
//! `#[Object]` binds, and macro hygiene lets a name resolve only within one expansion.
//!
//! [`AdoptionParent`]: crate::store::AdoptionParent
//! [`linked`]: crate::api::context::linked

/// Emits `#[Object(…)] impl Node { … }`, the shared fields in the markers' places.
macro_rules! node_object {
    (#[$($object:tt)*] impl $node:ident { $($body:tt)* }) => {
        node_object!(@walk [$($object)*] $node, [] [] $($body)*);
    };
    (
        @walk [$($object:tt)*] $node:ident,
        [$(
            [$($segment:tt)*]
            {
                $paged:ident ($($(#[$($arg_attr:tt)*])* $arg:ident: $arg_ty:ty),*)
                -> $item:ty = $($helper:ident)::+ ($($lead:expr),*)
            }
        )*]
        [$($done:tt)*]
    ) => {
        #[$($object)*]
        impl $node {
            $(
                $($segment)*
                #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
                async fn $paged(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                    $($(#[$($arg_attr)*])* $arg: $arg_ty,)*
                    #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")]
                    first: Option<crate::api::bounds::WideInt>,
                    after: Option<String>,
                ) -> crate::api::error::ApiResult<crate::api::paging::Conn<$item>> {
                    $($helper)::+($($lead,)* &self.0.id, ctx, $($arg,)* first, after).await
                }
            )*
            $($done)*
        }
    };
    (@walk $object:tt $node:ident, $paged:tt [$($done:tt)*] version; $($rest:tt)*) => {
        node_object!(@walk $object $node, $paged [$($done)*
            /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
            async fn version(&self) -> String {
                crate::store::version_of(&self.0)
            }
        ] $($rest)*);
    };
    (@walk $object:tt $node:ident, $paged:tt [$($done:tt)*] id; $($rest:tt)*) => {
        node_object!(@walk $object $node, $paged [$($done)*
            pub(crate) async fn id(&self) -> async_graphql::ID {
                async_graphql::ID(self.0.id.to_string())
            }
        ] $($rest)*);
    };
    (@walk $object:tt $node:ident, $paged:tt $done:tt sources; $($rest:tt)*) => {
        node_object!(@walk $object $node, $paged $done
            cited sources -> SourceNode = sources_of, "The sources cited for it."; $($rest)*);
    };
    (@walk $object:tt $node:ident, $paged:tt $done:tt citations; $($rest:tt)*) => {
        node_object!(@walk $object $node, $paged $done cited citations -> CitationNode = citations_of,
            "The sources cited for it, each with the dataset file and record the fact comes from.";
            $($rest)*);
    };
    (
        @walk $object:tt $node:ident, $paged:tt [$($done:tt)*]
        cited $field:ident -> $item:ident = $helper:ident, $doc:literal; $($rest:tt)*
    ) => {
        node_object!(@walk $object $node, $paged [$($done)*
            #[doc = $doc]
            async fn $field(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> crate::api::error::ApiResult<Vec<crate::api::types::$item>> {
                crate::api::types::citation::$helper(ctx, self.0.id.clone()).await
            }
        ] $($rest)*);
    };
    (@walk $object:tt $node:ident, $paged:tt $done:tt linked $field:ident -> $item:ident; $($rest:tt)*) => {
        node_object!(@walk $object $node, $paged $done link $field -> Option<$item> = linked($item);
            $($rest)*);
    };
    (@walk $object:tt $node:ident, $paged:tt $done:tt linked_opt $field:ident -> $item:ident; $($rest:tt)*) => {
        node_object!(@walk $object $node, $paged $done link $field -> Option<$item> = linked_opt($item);
            $($rest)*);
    };
    (@walk $object:tt $node:ident, $paged:tt $done:tt linked_all $field:ident -> $item:ident; $($rest:tt)*) => {
        node_object!(@walk $object $node, $paged $done link $field -> Vec<$item> = linked_all($item);
            $($rest)*);
    };
    (
        @walk $object:tt $node:ident, $paged:tt [$($done:tt)*]
        link $field:ident -> $out:ty = $helper:ident($item:ident); $($rest:tt)*
    ) => {
        node_object!(@walk $object $node, $paged [$($done)*
            async fn $field(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> crate::api::error::ApiResult<$out> {
                crate::api::context::$helper(ctx, &self.0.$field, $item).await
            }
        ] $($rest)*);
    };
    (@walk $object:tt $node:ident, $paged:tt $done:tt adoptions($parent:ident); $($rest:tt)*) => {
        node_object!(@walk $object $node, $paged $done
            paged adoptions(
                filter: Option<crate::api::inputs::AdoptionFilter>,
                #[graphql(default)] sort: crate::api::enums::AdoptionOrder
            ) -> crate::api::types::AdoptionNode = crate::api::types::adoption::adoptions_of(
                crate::store::AdoptionParent::$parent
            );
            $($rest)*
        );
    };
    (
        @walk $object:tt $node:ident, [$($paged:tt)*] [$($done:tt)*]
        paged $field:ident $args:tt -> $item:ty = $($helper:ident)::+ ($($lead:tt)*);
        $($rest:tt)*
    ) => {
        node_object!(@walk $object $node,
            [$($paged)* [$($done)*] { $field $args -> $item = $($helper)::+ ($($lead)*) }]
            []
            $($rest)*
        );
    };
    (
        @walk $object:tt $node:ident, $paged:tt [$($done:tt)*]
        $(#[$($attr:tt)*])* $vis:vis async fn $field:ident $args:tt $(-> $out:ty)? $body:block
        $($rest:tt)*
    ) => {
        node_object!(@walk $object $node, $paged [$($done)*
            $(#[$($attr)*])* $vis async fn $field $args $(-> $out)? $body
        ] $($rest)*);
    };
    (@walk $object:tt $node:ident, $paged:tt [$($done:tt)*] # $attr:tt $($rest:tt)*) => {
        node_object!(@walk $object $node, $paged [$($done)* # $attr] $($rest)*);
    };
}
