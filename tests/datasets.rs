//! Importing the real open datasets of the shared data folder.
//!
//! The folder comes from `RETEX_SHARED_DATA` (default `../shared/data` next to the crate). When
//! it is missing these tests fail in CI (`CI=true`) and are skipped, with a notice, elsewhere.

mod common;

use std::path::Path;

use common::shared_data;
use retex::domain::{CollectivityId, CollectivityKind, NodeId};
use retex::import::{import, Kind, Options, Summary};
use retex::store::sqlite::SqliteStore;
use retex::store::Store;

async fn store(dir: &Path) -> SqliteStore {
    SqliteStore::open(dir.join("retex.db")).await.unwrap()
}

async fn run(store: &SqliteStore, kind: Kind, path: &Path) -> Summary {
    import(
        store,
        Some(kind),
        &path.to_string_lossy(),
        &Options::default(),
    )
    .await
    .unwrap_or_else(|e| panic!("import {} failed: {e}", kind.name()))
}

fn created(summary: &Summary, kind: &str) -> u64 {
    summary.report.kinds.get(kind).map_or(0, |k| k.created)
}

/// Copies a dataset folder into a temporary one, to break a copy of it.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

#[tokio::test]
async fn collectivities_import_every_body_once_and_twice_changes_nothing() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let folder = data.join("decoupage-administratif");
    let first = run(&store, Kind::Collectivities, &folder).await;
    // 34,969 communes + 1,255 EPCI + 11 EPT + 109 departments + 26 regions.
    assert_eq!(created(&first, "collectivity"), 36_370);
    let found = store
        .collectivities(vec![
            CollectivityId::parse("collectivity:fr-commune-38151").unwrap(),
            CollectivityId::parse("collectivity:fr-epci-200040715").unwrap(),
            CollectivityId::parse("collectivity:fr-commune-93001").unwrap(),
        ])
        .await
        .unwrap();
    let echirolles = found.iter().find(|c| c.name == "Échirolles").unwrap();
    assert_eq!(echirolles.population, Some(37_491));
    assert_eq!(echirolles.siren.as_ref().unwrap().as_str(), "213801517");
    assert_eq!(
        echirolles.parent.as_ref().unwrap().as_str(),
        "collectivity:fr-epci-200040715"
    );
    let metro = found
        .iter()
        .find(|c| c.kind == CollectivityKind::Intercommunality)
        .unwrap();
    assert_eq!(metro.population, Some(449_509));
    let aubervilliers = found.iter().find(|c| c.name == "Aubervilliers").unwrap();
    assert_eq!(
        aubervilliers.member_of[0].as_str(),
        "collectivity:fr-ept-200057867"
    );
    let citations = store
        .citations_of(vec![NodeId::parse("collectivity:fr-commune-38151").unwrap()])
        .await
        .unwrap();
    assert_eq!(
        citations[0].locator.as_deref(),
        Some("decoupage-administratif/communes.json#code=38151")
    );

    let again = run(&store, Kind::Collectivities, &folder).await;
    assert!(again.report.is_no_op(), "{:?}", again.report);
}

#[tokio::test]
async fn a_broken_collectivities_file_is_rejected_with_its_record_and_the_store_is_unchanged() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("decoupage");
    copy_dir(&data.join("decoupage-administratif"), &copy);
    let epci = std::fs::read_to_string(copy.join("epci.json")).unwrap();
    std::fs::write(
        copy.join("epci.json"),
        epci.replacen("\"code\":\"200040715\"", "\"code\":\"200040716\"", 1),
    )
    .unwrap();
    let store = store(dir.path()).await;
    let before = store.counts().await.unwrap();
    let err = import(
        &store,
        Some(Kind::Collectivities),
        &copy.to_string_lossy(),
        &Options::default(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("epci.json:") && err.contains("200040716"),
        "{err}"
    );
    assert!(!err.contains("epci.json:0:"), "the line is known: {err}");
    assert!(err.contains("check digit"), "{err}");
    assert_eq!(store.counts().await.unwrap(), before);

    std::fs::write(copy.join("epci.json"), "[{\"code\": ").unwrap();
    let err = import(
        &store,
        Some(Kind::Collectivities),
        &copy.to_string_lossy(),
        &Options::default(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("epci.json:1:"), "{err}");
    assert_eq!(store.counts().await.unwrap(), before);
}

fn options() -> Options {
    Options {
        overrides: Some(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("seed/resolution/overrides.yaml")
                .into(),
        ),
        seed: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("seed").into()),
    }
}

async fn seeded(dir: &Path) -> SqliteStore {
    let store = store(dir).await;
    retex::import::import_path(&store, &Path::new(env!("CARGO_MANIFEST_DIR")).join("seed"))
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn sill_imports_solutions_history_links_and_instances_and_twice_changes_nothing() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let folder = data.join("sill");
    let target = folder.to_string_lossy();
    let first = import(&store, Some(Kind::Sill), &target, &options())
        .await
        .unwrap();
    // The 100 public instances, one node per body and software: 81 new adoptions; the others
    // are a second instance of the same body and software, or an adoption the seed states
    // (the DINUM's Jitsi Meet), which they update and cite.
    assert_eq!(created(&first, "adoption"), 81);
    let dump = store.dump().await.unwrap();
    let instances = dump
        .citations
        .iter()
        .filter(|c| {
            c.subject.as_str().starts_with("adoption:")
                && c.locator
                    .as_deref()
                    .is_some_and(|l| l.starts_with("sill/sill-api-2022-03/services.csv"))
        })
        .count();
    assert!(instances > 81, "{instances} adoptions cite services.csv");
    let sill: Vec<_> = dump.solutions.iter().filter(|s| s.sill.is_some()).collect();
    // 231 rows of software.csv + 9 added in sill.json: 240 records, 239 products (Grammalecte
    // is listed twice, as a Firefox and as a LibreOffice extension).
    assert_eq!(sill.len(), 239);
    let grammalecte = sill.iter().find(|s| s.name == "Grammalecte").unwrap();
    assert!(
        grammalecte
            .merge_evidence
            .iter()
            .any(|e| e.contains("id=56")),
        "{grammalecte:?}"
    );
    let internal = sill
        .iter()
        .filter(|s| s.kind == retex::domain::SolutionKind::Internal)
        .count();
    assert_eq!(internal, 8);
    let by_sill = |n: u32| sill.iter().find(|s| s.sill == Some(n)).unwrap();
    // Quirk: GLPI (54) and its plugin Survey (55) share Q3104570; the plugin does not merge.
    assert_eq!(by_sill(54).id.as_str(), "solution:glpi");
    assert_eq!(by_sill(54).wikidata.as_ref().unwrap().as_str(), "Q3104570");
    assert!(by_sill(55).wikidata.is_none());
    assert_eq!(
        by_sill(55).plugin_of.as_ref().unwrap().as_str(),
        "solution:glpi"
    );
    assert!(first.rejected["wikidata"][0].contains("ID=55"));
    // Quirk: Moodle's similar ids are separated by a comma.
    let moodle: Vec<&str> = by_sill(208).similar.iter().map(|s| s.as_str()).collect();
    assert_eq!(moodle.len(), 2, "{moodle:?}");
    // Quirk: Onyxia's free-text equivalents become proprietary solutions it replaces.
    let onyxia = &by_sill(233).id;
    let replaced: Vec<_> = dump
        .alternatives
        .iter()
        .filter(|a| &a.libre == onyxia)
        .collect();
    assert_eq!(replaced.len(), 3);
    // Quirk: free-text licences become SPDX expressions.
    let free = sill.iter().find(|s| s.name.contains("Zimbra")).unwrap();
    assert!(free.licence.is_some());
    assert!(sill
        .iter()
        .any(|s| s.licence.as_ref().unwrap().as_str() == "MPL-2.0 AND EPL-1.0"));
    assert!(!sill.iter().any(|s| s
        .licence
        .as_ref()
        .unwrap()
        .as_str()
        .starts_with("LicenseRef-GPL")));
    // Status history per year.
    assert_eq!(by_sill(54).sill_history.len(), 5);
    // Jitsi: the seed's solution, by SILL id, with the instance "Webconf (Jitsi)".
    assert_eq!(by_sill(67).id.as_str(), "solution:jitsi-meet");
    // Every solution lists the records merged into it.
    assert!(by_sill(67)
        .merge_evidence
        .iter()
        .any(|e| e.contains("software.csv#ID=67")));
    // Needs: rule 1 (the 2020 edition's component), rule 2 (a plugin serves its parent's
    // needs); solutions placed by the seed keep their needs; 32 of 239 stay on need:other.
    let needs = |n: u32| -> Vec<&str> { by_sill(n).needs.iter().map(|n| n.as_str()).collect() };
    assert_eq!(needs(15), ["need:workstation"], "Avidemux");
    assert_eq!(needs(120), ["need:geographic-information-systems"], "QGIS");
    assert_eq!(
        needs(227),
        ["need:identity-management"],
        "Keycloakify, a plugin of Keycloak"
    );
    assert!(
        !needs(54).contains(&"need:it-management"),
        "GLPI keeps the seed's needs"
    );
    let other = sill
        .iter()
        .filter(|s| s.needs.iter().all(|n| n.as_str() == "need:other"))
        .count();
    assert_eq!(other, 32);
    let avidemux = store
        .citations_of(vec![NodeId::from(by_sill(15).id.clone())])
        .await
        .unwrap();
    assert!(
        avidemux.iter().any(|c| c.locator.as_deref()
            == Some("sill/disic-sill-2018-2021/sill-2020.csv#ID=15 (composant \"Consultation et édition de documents\")")),
        "{avidemux:?}"
    );
    // A department running a service is matched by its code.
    assert!(dump
        .adoptions
        .iter()
        .any(|a| a.collectivity.as_str() == "collectivity:fr-departement-38"));

    let again = import(&store, Some(Kind::Sill), &target, &options())
        .await
        .unwrap();
    assert!(again.report.is_no_op(), "{:?}", again.report);
}

#[tokio::test]
async fn a_broken_sill_file_is_rejected_with_its_line_and_field() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("sill");
    copy_dir(&data.join("sill"), &copy);
    let path = copy.join("sill-api-2022-03/software.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[3] = lines[3].replacen(|c: char| c.is_ascii_digit(), "x", 1);
    std::fs::write(&path, lines.join("\n")).unwrap();
    let store = seeded(dir.path()).await;
    let before = store.counts().await.unwrap();
    let err = import(
        &store,
        Some(Kind::Sill),
        &copy.to_string_lossy(),
        &options(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("software.csv:4:") && err.contains("field ID"),
        "{err}"
    );
    assert_eq!(store.counts().await.unwrap(), before);
}

#[tokio::test]
async fn govoss_imports_every_mapping_and_product_and_twice_changes_nothing() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    run_with(&store, Kind::Sill, &data.join("sill")).await;
    let folder = data.join("govoss-catalog");
    let first = run_with(&store, Kind::Govoss, &folder).await;
    let alt = first.report.kinds["alternative"];
    let duplicates = first.rejected["alternative"].len() as u64;
    // 499 mappings: new, already in the seed, or the same pair twice after resolution
    // (`Jitsi Meet` and `Jitsi` are one product).
    assert_eq!(alt.created + alt.unchanged + duplicates, 499);
    let dump = store.dump().await.unwrap();
    let proprietary = dump
        .solutions
        .iter()
        .filter(|s| s.kind == retex::domain::SolutionKind::Proprietary)
        .count();
    assert!(proprietary >= 392, "{proprietary}");
    // A proprietary product never merges into a libre solution of the same name.
    let centos: Vec<_> = dump
        .solutions
        .iter()
        .filter(|s| s.name == "CentOS")
        .collect();
    assert_eq!(centos.len(), 2);
    // Case variants of one name are one solution.
    let peertube = dump
        .solutions
        .iter()
        .filter(|s| retex::import::resolve::normalise(&s.name) == "peertube")
        .count();
    assert_eq!(peertube, 1);
    let again = run_with(&store, Kind::Govoss, &folder).await;
    assert!(again.report.is_no_op(), "{:?}", again.report);
}

#[tokio::test]
async fn a_broken_govoss_file_is_rejected_with_its_entry() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("govoss");
    copy_dir(&data.join("govoss-catalog"), &copy);
    let text = std::fs::read_to_string(copy.join("replaces.json")).unwrap();
    std::fs::write(
        copy.join("replaces.json"),
        text.replacen("\"confidence\": \"strong\"", "\"confidence\": \"total\"", 1),
    )
    .unwrap();
    let store = seeded(dir.path()).await;
    let before = store.counts().await.unwrap();
    let err = import(
        &store,
        Some(Kind::Govoss),
        &copy.to_string_lossy(),
        &options(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("replaces.json:") && err.contains("confidence") && err.contains("total"),
        "{err}"
    );
    assert_eq!(store.counts().await.unwrap(), before);
}

async fn run_with(store: &SqliteStore, kind: Kind, path: &Path) -> Summary {
    import(store, Some(kind), &path.to_string_lossy(), &options())
        .await
        .unwrap_or_else(|e| panic!("import {} failed: {e}", kind.name()))
}

#[tokio::test]
async fn all_publiccode_samples_import_and_unknown_keys_are_reported() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let folder = data.join("publiccode-yml-samples/files");
    let first = run_with(&store, Kind::Publiccode, &folder).await;
    // 37 files, one source each; two files describe the same product (OpenWebConcept), and
    // Démarche Numérique is the seed's Démarches simplifiées renamed (a curated alias).
    assert_eq!(created(&first, "source"), 37);
    assert_eq!(created(&first, "solution"), 35);
    let renamed = store
        .solutions(vec![retex::domain::SolutionId::parse(
            "solution:demarches-simplifiees",
        )
        .unwrap()])
        .await
        .unwrap();
    assert!(renamed[0]
        .merge_evidence
        .iter()
        .any(|e| e.ends_with("curated alias \"demarche numerique\"")));
    assert!(created(&first, "adoption") > 0);
    let keys = &first.rejected["publiccode-key"];
    assert!(
        keys.iter()
            .any(|k| k.contains("Bmore-Responsive.publiccode.yml:5:") && k.contains("landingUrl")),
        "{keys:?}"
    );
    let again = run_with(&store, Kind::Publiccode, &folder).await;
    assert!(again.report.is_no_op(), "{:?}", again.report);
}

#[tokio::test]
async fn publiccode_facts_are_kept_on_solutions_and_link_known_ones_and_twice_changes_nothing() {
    use retex::domain::{DependencyKind, MaintenanceType, Solution};
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    run_with(&store, Kind::Govoss, &data.join("govoss-catalog")).await;
    run_with(&store, Kind::Sill, &data.join("sill")).await;
    let folder = data.join("publiccode-yml-samples/files");
    let first = run_with(&store, Kind::Publiccode, &folder).await;
    let dump = store.dump().await.unwrap();
    let named = |name: &str| -> &Solution {
        dump.solutions
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no solution {name}"))
    };
    let facts = |name: &str| named(name).publiccode.clone().unwrap();

    // AgID__pat: a contract, one contractor with its end date and web site.
    let pat = facts("PAT");
    assert_eq!(pat.record, "publiccode/AgID__pat.publiccode.yml");
    assert_eq!(pat.development_status.as_deref(), Some("stable"));
    let maintenance = pat.maintenance.unwrap();
    assert_eq!(maintenance.kind, Some(MaintenanceType::Contract));
    assert_eq!(maintenance.contractors.len(), 1);
    let isweb = &maintenance.contractors[0];
    assert_eq!(isweb.name, "ISWEB S.p.A.");
    assert_eq!(isweb.until.unwrap().to_string(), "2025-03-01");
    assert_eq!(
        isweb.website.as_ref().unwrap().as_str(),
        "https://www.isweb.it"
    );
    let latest = pat.latest_version.unwrap();
    assert_eq!(
        (latest.version, latest.date.unwrap().to_string()),
        (None, "2021-08-07".into())
    );

    // Azienda-USL-di-Bologna__babel: two contractors until 2025-12-31.
    let babel = facts("BABEL").maintenance.unwrap();
    let names: Vec<_> = babel.contractors.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["NEXT srl", "Dilaxia SpA"]);
    assert!(babel
        .contractors
        .iter()
        .all(|c| c.until.unwrap().to_string() == "2025-12-31"));

    // AUSL-ReggioEmilia__DocSuitePA: proprietary and hardware dependencies, a version and date.
    let docsuite = facts("Docsuite PA");
    let latest = docsuite.latest_version.unwrap();
    assert_eq!(latest.version.as_deref(), Some("9.25"));
    assert_eq!(latest.date.unwrap().to_string(), "2023-12-11");
    let kinds = |k: DependencyKind| docsuite.depends_on.iter().filter(|d| d.kind == k).count();
    assert_eq!(kinds(DependencyKind::Proprietary), 6);
    assert_eq!(kinds(DependencyKind::Hardware), 3);
    let sql = &docsuite.depends_on[0];
    assert_eq!(sql.name, "Microsoft SQL Server");
    assert_eq!(
        (
            sql.version_min.as_deref(),
            sql.version_max.as_deref(),
            sql.optional
        ),
        (Some("2014"), Some("2022"), Some(false))
    );
    let reader = docsuite
        .depends_on
        .iter()
        .find(|d| d.name == "Smart Card Reader")
        .unwrap();
    assert_eq!((reader.optional, &reader.solution), (Some(true), &None));

    // CodeForBaltimore__Bmore-Responsive: `optional: no` (YAML 1.1) is false; PostgreSQL, an
    // open dependency, links to the known libre PostgreSQL.
    let bmore = facts("Bmore-Responsive");
    let pg = &bmore.depends_on[0];
    assert_eq!(pg.name, "PostgreSQL");
    assert_eq!(pg.version.as_deref(), Some("12.1"));
    assert_eq!(pg.optional, Some(false));
    let pg_solution = pg.solution.as_ref().expect("PostgreSQL is known");
    let known = dump
        .solutions
        .iter()
        .find(|s| &s.id == pg_solution)
        .unwrap();
    assert_eq!(retex::import::resolve::normalise(&known.name), "postgresql");
    // Its `developmentStatus: production` is not a value of the standard.
    assert_eq!(bmore.development_status, None);

    // CommonGateway__WooBundle: isBasedOn a repository URL; numeric versions read as written.
    let woo = facts("Open Woo Service");
    assert_eq!(woo.based_on.len(), 1);
    assert_eq!(
        woo.based_on[0].reference,
        "https://github.com/CommonGateway/PetstoreBundle"
    );
    assert_eq!(woo.depends_on[0].version_min.as_deref(), Some("1.3"));
    assert_eq!(woo.latest_version.unwrap().version, None);
    // CittaMetropolitanaVenezia__WebMappVenezia: isBasedOn a name.
    assert_eq!(facts("WebMapp").based_on[0].reference, "sencha");

    // Two files describe OpenWebConcept: the first file's facts are kept.
    let owc = facts("OpenWebConcept");
    assert_eq!(
        owc.record,
        "publiccode/ConductionNL__OpenPdc.publiccode.yaml"
    );
    // Quirks are reported and left out: a day-month swap, a URL as a date, an unknown type.
    let values = &first.rejected["publiccode-value"];
    for (file, what) in [
        ("ConductionNL__OpenPdc.publiccode.yaml:7:", "2021-31-01"),
        (
            "demarches-simplifiees__demarches-simplifiees.fr.publiccode.yml:10:",
            "releaseDate",
        ),
        (
            "Aitema-gmbh__ratsinformationssystem.publiccode.yml:",
            "commercial",
        ),
        ("ConductionNL__OpenPdc.publiccode.yaml:", "external"),
    ] {
        assert!(
            values.iter().any(|v| v.contains(file) && v.contains(what)),
            "{file} {what}: {values:?}"
        );
    }
    assert_eq!(owc.latest_version.unwrap().date, None);
    assert_eq!(facts("aitema|Rats RIS").maintenance.unwrap().kind, None);
    // Solutions no publiccode.yml describes carry no facts.
    assert!(dump
        .solutions
        .iter()
        .filter(|s| s.publiccode.is_some())
        .all(|s| s
            .merge_evidence
            .iter()
            .any(|e| e.starts_with("publiccode/"))));
    assert_eq!(
        dump.solutions
            .iter()
            .filter(|s| s.publiccode.is_some())
            .count(),
        36
    );

    // The same facts through GraphQL, with the linked solution.
    let api_store = SqliteStore::open(dir.path().join("retex.db"))
        .await
        .unwrap();
    let schema = retex::api::build_schema(
        std::sync::Arc::new(api_store),
        retex::api::Limits::default(),
    );
    let query = format!(
        r#"{{
          pat: solution(id: "{}") {{ developmentStatus maintenance {{ type contractors {{ name until website }} }} latestVersion {{ version date }} }}
          bmore: solution(id: "{}") {{ dependsOn {{ name kind version versionMin versionMax optional solution {{ id }} }} }}
          woo: solution(id: "{}") {{ basedOn {{ reference solution {{ id }} }} }}
        }}"#,
        named("PAT").id,
        named("Bmore-Responsive").id,
        named("Open Woo Service").id,
    );
    let response = schema.execute(query.as_str()).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().unwrap();
    assert_eq!(
        data["pat"],
        serde_json::json!({
            "developmentStatus": "stable",
            "maintenance": {"type": "CONTRACT", "contractors": [
                {"name": "ISWEB S.p.A.", "until": "2025-03-01", "website": "https://www.isweb.it"}
            ]},
            "latestVersion": {"version": null, "date": "2021-08-07"}
        })
    );
    assert_eq!(
        data["bmore"]["dependsOn"],
        serde_json::json!([{
            "name": "PostgreSQL", "kind": "OPEN", "version": "12.1", "versionMin": null,
            "versionMax": null, "optional": false, "solution": {"id": pg_solution.as_str()}
        }])
    );
    assert_eq!(
        data["woo"]["basedOn"],
        serde_json::json!([{"reference": "https://github.com/CommonGateway/PetstoreBundle", "solution": null}])
    );

    let again = run_with(&store, Kind::Publiccode, &folder).await;
    assert!(again.report.is_no_op(), "{:?}", again.report);
}

#[tokio::test]
async fn a_broken_publiccode_file_is_rejected_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let before = store.counts().await.unwrap();
    let file = dir.path().join("publiccode.yml");
    std::fs::write(
        &file,
        "publiccodeYmlVersion: \"0.4\"\nname: X\nurl: [unclosed\n",
    )
    .unwrap();
    let err = import(&store, None, &file.to_string_lossy(), &options())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("publiccode.yml:"), "{err}");
    std::fs::write(
        &file,
        "publiccodeYmlVersion: \"0.4\"\nname: X\nurl: not a url\n",
    )
    .unwrap();
    let err = import(&store, None, &file.to_string_lossy(), &options())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("publiccode.yml:3:") && err.contains("url"),
        "{err}"
    );
    assert_eq!(store.counts().await.unwrap(), before);
}

/// Serves one HTTP response on a loopback port, to every connection.
async fn serve_once(body: String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/yaml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    format!("http://{address}/publiccode.yml")
}

#[tokio::test]
async fn a_publiccode_url_is_fetched_and_imported_and_oversized_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let yaml = "publiccodeYmlVersion: \"0.4\"\nname: Loopback Tool\nurl: https://example.org/loopback.git\ncategories: [video-conferencing]\nusedBy: [Ville Exemple]\nlegal: {license: MIT}\n";
    let url = serve_once(yaml.to_owned()).await;
    let summary = import(&store, None, &url, &options()).await.unwrap();
    assert_eq!(created(&summary, "solution"), 1);
    assert_eq!(created(&summary, "adoption"), 1);
    let big = serve_once("a".repeat(retex::import::publiccode::MAX_BYTES + 10)).await;
    let err = import(&store, None, &big, &options())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("larger than"), "{err}");
}

#[tokio::test]
async fn endoflife_cycles_import_linked_to_solutions_and_twice_changes_nothing() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let folder = data.join("endoflife-date");
    let first = run_with(&store, Kind::Endoflife, &folder).await;
    // Every release cycle of the 464 product pages' front matter (SOURCE.md says 8,321; the
    // front matter of this copy holds 8,351), 24 of which the seed already carries (without
    // release-data's versions: those of products with release data are updated).
    assert_eq!(created(&first, "product_cycle"), 8_327);
    let seeded_cycles = &first.report.kinds["product_cycle"];
    assert_eq!(seeded_cycles.updated + seeded_cycles.unchanged, 24);
    let dump = store.dump().await.unwrap();
    let nextcloud: Vec<_> = dump
        .releases
        .iter()
        .filter(|r| {
            r.solution
                .as_ref()
                .is_some_and(|s| s.as_str() == "solution:nextcloud")
        })
        .collect();
    assert!(!nextcloud.is_empty());
    let c34 = nextcloud.iter().find(|r| r.cycle == "34").unwrap();
    assert_eq!(c34.latest.as_deref(), Some("34.0.3"));
    assert_eq!(c34.eol_date.unwrap().to_string(), "2027-06-30");
    assert!(c34.versions.iter().any(|v| v.version == "34.0.3"));
    for linked in [
        "solution:libreoffice",
        "solution:moodle",
        "solution:microsoft-windows",
    ] {
        assert!(
            dump.releases
                .iter()
                .any(|r| r.solution.as_ref().is_some_and(|s| s.as_str() == linked)),
            "{linked} has no release cycle"
        );
    }
    let again = run_with(&store, Kind::Endoflife, &folder).await;
    assert!(again.report.is_no_op(), "{:?}", again.report);
}

#[tokio::test]
async fn a_broken_endoflife_page_is_rejected_with_its_file() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("eol");
    std::fs::create_dir_all(copy.join("products")).unwrap();
    std::fs::copy(
        data.join("endoflife-date/product-schema.json"),
        copy.join("product-schema.json"),
    )
    .unwrap();
    std::fs::write(
        copy.join("products/broken.md"),
        "---\ntitle: Broken\nreleases:\n  - releaseCycle: \"1\"\n    releaseDate: 2020-13-45\n---\ntext\n",
    )
    .unwrap();
    let store = seeded(dir.path()).await;
    let before = store.counts().await.unwrap();
    let err = import(&store, None, &copy.to_string_lossy(), &options())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("broken.md") && err.contains("releaseDate"),
        "{err}"
    );
    assert_eq!(store.counts().await.unwrap(), before);
}

#[tokio::test]
async fn munich_pages_are_adoptions_with_archived_ones_ended_and_twice_changes_nothing() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let folder = data.join("munich-oss-usage");
    let first = run_with(&store, Kind::Munich, &folder).await;
    assert_eq!(created(&first, "adoption"), 141);
    let dump = store.dump().await.unwrap();
    let munich: Vec<_> = dump
        .adoptions
        .iter()
        .filter(|a| a.collectivity.as_str() == retex::import::munich::MUNICH)
        .collect();
    use retex::domain::{AdoptionStatus, MaintenanceStatus, OutcomeKind};
    // 7 pages tagged `archive`: 6 ABANDONED, and Spacewalk REPLACED (by Katello, rule 3).
    let status = |s: AdoptionStatus| munich.iter().filter(|a| a.status == s).count();
    assert_eq!(status(AdoptionStatus::Abandoned), 6);
    assert_eq!(status(AdoptionStatus::Replaced), 1);
    let of = |solution: &str| {
        munich
            .iter()
            .find(|a| a.solution.as_str() == solution)
            .unwrap_or_else(|| panic!("no Munich adoption of {solution}"))
    };
    let libreoffice = of("solution:libreoffice");
    assert_eq!(libreoffice.status, AdoptionStatus::Abandoned);
    // Rule 2: "until the end of 2023".
    assert_eq!(libreoffice.ended.unwrap().to_string(), "2023");
    let spacewalk = of("solution:spacewalk");
    assert_eq!(spacewalk.status, AdoptionStatus::Replaced);
    assert_eq!(spacewalk.ended.unwrap().to_string(), "2024");
    assert_eq!(
        of("solution:katello").replaced,
        vec![retex::domain::SolutionId::parse("solution:spacewalk").unwrap()]
    );
    let digiwf = of("solution:digiwf");
    assert_eq!(digiwf.ended.unwrap().to_string(), "2024");
    assert_eq!(digiwf.started.unwrap().to_string(), "2021");
    // Rule 4: a heading says development is discontinued; DigiWF is in-house.
    let digiwf_solution = dump
        .solutions
        .iter()
        .find(|s| s.id.as_str() == "solution:digiwf")
        .unwrap();
    assert_eq!(digiwf_solution.status, MaintenanceStatus::Discontinued);
    // COVe states no year.
    assert_eq!(
        of("solution:cove-covid-19-verdachtsfall-verwaltung").ended,
        None
    );
    // One outcome (OTHER, in our own words) per archived page, and none elsewhere.
    assert_eq!(created(&first, "outcome"), 7);
    let outcome = |adoption: &str| {
        dump.outcomes
            .iter()
            .find(|o| o.adoption.as_str() == adoption)
            .unwrap_or_else(|| panic!("no outcome of {adoption}"))
    };
    let ended = outcome("adoption:de-muenchen--spacewalk");
    assert_eq!(ended.kind, OutcomeKind::Other);
    assert_eq!(ended.date.unwrap().to_string(), "2024");
    assert_eq!(
        ended.summary.en.as_deref(),
        Some("The City of Munich stopped using Spacewalk in 2024; Katello replaced it.")
    );
    assert!(outcome("adoption:de-muenchen--digiwf")
        .summary
        .en
        .as_deref()
        .unwrap()
        .contains("development has stopped"));
    // Needs from tags, for the solutions Munich brought; the seed's LibreOffice keeps its own.
    let need_of = |id: &str| {
        dump.solutions
            .iter()
            .find(|s| s.id.as_str() == id)
            .unwrap()
            .needs
            .iter()
            .map(|n| n.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        need_of("solution:389-directory-server"),
        ["need:infrastructure"]
    );
    assert!(!need_of("solution:libreoffice").contains(&"need:workstation".to_owned()));
    assert_eq!(
        of("solution:389-directory-server").need.as_str(),
        "need:infrastructure"
    );
    let untagged = munich
        .iter()
        .filter(|a| a.need.as_str() == "need:other")
        .count();
    assert_eq!(untagged, 39);
    let citations = store
        .citations_of(vec![
            NodeId::parse("outcome:de-muenchen--spacewalk--ended").unwrap()
        ])
        .await
        .unwrap();
    assert_eq!(
        citations[0].locator.as_deref(),
        Some("munich-oss-usage/en/software/spacewalk.md")
    );
    let again = run_with(&store, Kind::Munich, &folder).await;
    assert!(again.report.is_no_op(), "{:?}", again.report);

    let copy = dir.path().join("munich");
    copy_dir(&folder, &copy);
    std::fs::write(copy.join("en/software/7-zip.md"), "---\ntitle: [x\n---\n").unwrap();
    let before = store.counts().await.unwrap();
    let err = import(
        &store,
        Some(Kind::Munich),
        &copy.to_string_lossy(),
        &options(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("7-zip.md:"), "{err}");
    assert_eq!(store.counts().await.unwrap(), before);
}

#[tokio::test]
async fn codegouv_organisations_forges_and_ospos_import_and_twice_changes_nothing() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let folder = data.join("codegouvfr-data");
    let first = run_with(&store, Kind::Codegouv, &folder).await;
    // 141 directory ids (forges and accounts), plus 4 OSPOs without one.
    assert_eq!(created(&first, "collectivity"), 145);
    // Quirk: one forge gives its pso_id twice.
    assert!(first.rejected["pso_id"][0].contains("gitlab.mim-libre.fr"));
    let dump = store.dump().await.unwrap();
    assert_eq!(dump.collectivities.iter().filter(|c| c.ospo).count(), 9);
    let forges: usize = dump.collectivities.iter().map(|c| c.forges.len()).sum();
    assert!(forges >= 300, "{forges}");
    // The awesome list: 20 public-sector projects, INTERNAL, with their repositories; on the
    // seed alone, Démarches simplifiées is known (a curated alias for its old repository).
    let awesome: Vec<_> = dump
        .solutions
        .iter()
        .filter(|s| {
            s.merge_evidence
                .iter()
                .any(|e| e.starts_with("codegouvfr-data/awesome-codegouvfr.yml#"))
        })
        .collect();
    assert_eq!(awesome.len(), 20);
    assert_eq!(created(&first, "solution"), 19);
    assert!(awesome
        .iter()
        .all(|s| s.kind == retex::domain::SolutionKind::Internal && s.repository.is_some()));
    let nested = awesome
        .iter()
        .find(|s| s.id.as_str() == "solution:heimdall-python")
        .unwrap();
    assert_eq!(nested.name, "heimdall/python");
    let again = run_with(&store, Kind::Codegouv, &folder).await;
    assert!(again.report.is_no_op(), "{:?}", again.report);
}

#[tokio::test]
async fn codegouv_awesome_projects_resolve_against_known_solutions_by_repository() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    run_with(
        &store,
        Kind::Publiccode,
        &data.join("publiccode-yml-samples/files"),
    )
    .await;
    let first = run_with(&store, Kind::Codegouv, &data.join("codegouvfr-data")).await;
    // Catala and udata have publiccode.yml files with the same repositories.
    assert_eq!(created(&first, "solution"), 17);
    let dump = store.dump().await.unwrap();
    for (id, repository) in [
        ("solution:catala", "github.com/catalalang/catala"),
        ("solution:udata", "github.com/opendatateam/udata"),
    ] {
        let s = dump.solutions.iter().find(|s| s.id.as_str() == id).unwrap();
        assert_eq!(s.kind, retex::domain::SolutionKind::Internal, "{id}");
        assert!(
            s.merge_evidence
                .iter()
                .any(|e| e.starts_with("codegouvfr-data/awesome-codegouvfr.yml#")
                    && e.ends_with(&format!(": repository {repository}"))),
            "{:?}",
            s.merge_evidence
        );
    }
    let again = run_with(&store, Kind::Codegouv, &data.join("codegouvfr-data")).await;
    assert!(again.report.is_no_op(), "{:?}", again.report);
}

#[tokio::test]
async fn import_all_loads_every_dataset_into_one_graph_and_twice_changes_nothing() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let started = std::time::Instant::now();
    let first = retex::import::import_all(&store, &data, &options(), |_| {})
        .await
        .unwrap();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "import --all: {} rows in {secs:.1} s ({:.0} rows/s)",
        first.rows,
        first.rows as f64 / secs
    );
    // 24 seed adoptions + 100 SILL instances + 235 publiccode usedBy + 141 Munich pages, one
    // node per collectivity and solution: a SILL instance or usedBy entry the seed (or another
    // instance) already states merges into that adoption (481 nodes, 18 of the seed's updated).
    assert_eq!(created(&first, "adoption"), 481);
    // The seed's 6 and one per archived Munich page.
    assert_eq!(created(&first, "outcome"), 13);
    // 20 of them from code.gouv.fr's awesome list, 3 of which were known.
    assert_eq!(created(&first, "solution"), 935);
    // Needs from the SILL 2020 components, plugins' parents and Munich's tags leave 92 of them
    // on need:other (262 without these rules).
    let dump = store.dump().await.unwrap();
    let other = dump
        .solutions
        .iter()
        .filter(|s| s.needs.iter().all(|n| n.as_str() == "need:other"))
        .count();
    assert_eq!(other, 92);
    assert_eq!(created(&first, "product_cycle"), 8_351);
    assert!(created(&first, "collectivity") >= 36_370);
    let sources = store
        .list_sources(retex::store::PageRequest::first(10))
        .await
        .unwrap();
    // The seed's 6, 37 publiccode.yml files, and one per other dataset.
    assert!(sources.total.unwrap() >= 47, "{:?}", sources.total);
    let again = retex::import::import_all(&store, &data, &options(), |_| {})
        .await
        .unwrap();
    assert!(again.report.is_no_op(), "{:?}", again.report);
}

#[tokio::test]
async fn a_broken_codegouv_file_is_rejected_with_its_line() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("codegouv");
    copy_dir(&data.join("codegouvfr-data"), &copy);
    let path = copy.join("fr-public-sector-ospo.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("     - https://github.com/IGNF", "     - not a url", 1),
    )
    .unwrap();
    let store = seeded(dir.path()).await;
    let before = store.counts().await.unwrap();
    let err = import(
        &store,
        Some(Kind::Codegouv),
        &copy.to_string_lossy(),
        &options(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("fr-public-sector-ospo.yml:") && err.contains("code"),
        "{err}"
    );
    assert_eq!(store.counts().await.unwrap(), before);
}

/// One `import --all` of the real datasets into a served store, shared by the checks below.
async fn served_import() -> Option<(common::TestApp, retex::domain::Batch)> {
    let data = shared_data()?;
    let app = common::TestApp::spawn().await;
    retex::import::import_all(app.store.as_ref(), &data, &options(), |_| {})
        .await
        .unwrap();
    let dump = app.store.dump().await.unwrap();
    Some((app, dump))
}

#[tokio::test]
async fn merged_facts_keep_stated_values_one_adoption_per_fact_descriptions_and_broad_needs() {
    let Some((app, dump)) = served_import().await else {
        return;
    };
    let data = shared_data().unwrap();

    // 1. Every SILL 2022 record whose licence is a valid SPDX expression: its merged solution
    //    carries that licence (a govoss record met first never hides it).
    let mut reader =
        csv::Reader::from_path(data.join("sill/sill-api-2022-03/software.csv")).unwrap();
    let mut checked = 0;
    for row in reader.records() {
        let row = row.unwrap();
        let (id, licence) = (row.get(0).unwrap(), row.get(11).unwrap().trim());
        let Ok(stated) = retex::domain::Licence::parse(licence) else {
            continue;
        };
        let key = format!("sill/sill-api-2022-03/software.csv#ID={id}:");
        let solution = dump
            .solutions
            .iter()
            .find(|s| s.merge_evidence.iter().any(|e| e.starts_with(&key)))
            .unwrap_or_else(|| panic!("no solution merged SILL record {id}"));
        assert_eq!(
            solution.licence.as_ref().map(|l| l.as_str()),
            Some(stated.as_str()),
            "{} (SILL {id}) conflicts: {:?}",
            solution.id,
            solution.conflicts
        );
        checked += 1;
    }
    assert_eq!(checked, 148, "SILL licences checked");
    let named = |id: &str| dump.solutions.iter().find(|s| s.id.as_str() == id).unwrap();
    assert_eq!(
        named("solution:7zip").licence.as_ref().unwrap().as_str(),
        "LGPL-2.0-only"
    );
    // A disagreement is kept: the seed's BigBlueButton licence is listed under the SILL's.
    assert!(named("solution:bigbluebutton").conflicts.iter().any(|c| c
        .starts_with("licence: LGPL-3.0-only (sill/")
        && c.ends_with("LGPL-3.0-or-later")));

    // 2. One fact, one node: no two adoptions share collectivity, solution and need; the
    //    seed's adoptions and the SILL's instances of them are one node citing both.
    let mut seen = std::collections::HashSet::new();
    for a in &dump.adoptions {
        let key = (
            a.collectivity.as_str(),
            a.solution.as_str(),
            a.need.as_str(),
        );
        assert!(seen.insert(key), "{} repeats {key:?}", a.id);
    }
    for (seed, sill) in [
        ("adoption:dinum-jitsi-meet", "adoption:fr-dinum--jitsi-meet"),
        (
            "adoption:academie-grenoble-peertube",
            "adoption:fr-academie-grenoble--peertube",
        ),
    ] {
        assert!(dump.adoptions.iter().any(|a| a.id.as_str() == seed));
        assert!(!dump.adoptions.iter().any(|a| a.id.as_str() == sill));
        let sources: Vec<&str> = dump
            .citations
            .iter()
            .filter(|c| c.subject.as_str() == seed)
            .map(|c| c.source.as_str())
            .collect();
        // The seed cites the SILL for it too: one node, one citation of that source.
        assert!(sources.contains(&"source:sill-2022"), "{seed}: {sources:?}");
    }

    // 3. Descriptions, with their source, served and searched: `visio` finds the visio tools.
    let data_answer = app
        .data(
            r#"{ solution(id: "solution:bigbluebutton") { description { fr en } descriptionSources conflicts }
                 search(text: "visio", kinds: [SOLUTION], first: 50) { label } }"#,
        )
        .await;
    let bbb = &data_answer["solution"];
    assert_eq!(
        bbb["description"]["fr"],
        "Logiciel de visioconférence à usage pédagogique"
    );
    assert_eq!(
        bbb["description"]["en"],
        "Open source web conference system"
    );
    assert!(bbb["descriptionSources"][0]
        .as_str()
        .unwrap()
        .starts_with("sill/sill-consolidated-2022-05/sill.json#id=196"));
    let labels: Vec<&str> = data_answer["search"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    for wanted in ["BigBlueButton", "Jitsi Meet"] {
        assert!(labels.contains(&wanted), "{wanted} not in {labels:?}");
    }
    let described = dump
        .solutions
        .iter()
        .filter(|s| s.description.is_some())
        .count();
    assert!(described > 500, "{described} solutions described");

    // 4. Adoptions from catalogue records are for a specific need when the solution has one,
    //    and publiccode.yml's broad `office` category is nobody's office suite.
    let pat = named("solution:pat");
    assert!(
        !pat.needs.iter().any(|n| n.as_str() == "need:office"),
        "{:?}",
        pat.needs
    );
    assert!(!pat.needs.iter().any(|n| n.as_str() == "need:office-suite"));
    let pat_needs: std::collections::BTreeSet<&str> = dump
        .adoptions
        .iter()
        .filter(|a| a.solution.as_str() == "solution:pat")
        .map(|a| a.need.as_str())
        .collect();
    assert_eq!(
        pat_needs.into_iter().collect::<Vec<_>>(),
        ["need:document-management"]
    );
}

#[test]
fn every_category_of_the_publiccode_standard_maps_to_a_need_and_broad_ones_to_broad_needs() {
    let Some(data) = shared_data() else { return };
    let list =
        std::fs::read_to_string(data.join("publiccode-yml-standard/categories-list.rst")).unwrap();
    let categories: Vec<&str> = list
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .map(str::trim)
        .collect();
    assert_eq!(categories.len(), 106);
    let seed: serde_norway::Value = serde_norway::from_str(
        &std::fs::read_to_string(common::seed_dir().join("needs.yaml")).unwrap(),
    )
    .unwrap();
    let broader = |id: &str| -> Option<Option<String>> {
        seed["needs"].as_sequence().unwrap().iter().find_map(|n| {
            (n["id"].as_str() == Some(id)).then(|| n["broader"].as_str().map(str::to_owned))
        })
    };
    for c in &categories {
        let need = retex::import::taxonomy::publiccode_need(c)
            .unwrap_or_else(|| panic!("category `{c}` maps to no need"));
        assert!(
            broader(need).is_some(),
            "`{c}` maps to {need}, not a need of the seed"
        );
    }
    for broad in [
        "office",
        "collaboration",
        "communications",
        "it-development",
    ] {
        let need = retex::import::taxonomy::publiccode_need(broad).unwrap();
        assert_eq!(
            broader(need),
            Some(None),
            "`{broad}` sits under a need: {need}"
        );
    }
    // Every need the map names (govoss, SILL components, Munich tags too) is in the seed.
    for (at, need) in retex::import::taxonomy::need_map().targets() {
        assert!(
            broader(need).is_some(),
            "{at} maps to {need}, not a need of the seed"
        );
    }
}

#[tokio::test]
async fn the_audit_counts_on_the_imported_datasets_do_not_regress() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    retex::import::import_all(&store, &data, &options(), |_| {})
        .await
        .unwrap();
    let audit = retex::audit::audit(&store.dump().await.unwrap());
    let baseline: std::collections::BTreeMap<String, u64> = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit-baseline.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        audit.counts.keys().collect::<Vec<_>>(),
        baseline.keys().collect::<Vec<_>>()
    );
    for (check, allowed) in &baseline {
        let now = audit.counts[check];
        assert!(
            now <= *allowed,
            "{check} regressed: {now} > {allowed} (baseline)\n{}",
            audit.to_text()
        );
    }
    assert_eq!(audit.counts["duplicate_adoptions"], 0);
}
