//! The exported SDL in `schema/schema.graphql` must match the schema the code builds.

#[test]
fn exported_schema_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/schema.graphql");
    let exported = std::fs::read_to_string(&path).unwrap_or_default();
    let current = retex::api::sdl();
    assert!(
        exported == current,
        "schema/schema.graphql is out of date: run `cargo run -- export-schema` and commit it"
    );
}
