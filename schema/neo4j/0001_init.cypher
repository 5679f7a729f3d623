// retex on Neo4j (or any Bolt 4.4+ openCypher server), version 1: constraints and indexes.
// Applied at start-up; every statement is idempotent (IF NOT EXISTS). Statements are separated
// by semicolons at the end of a line. The graph's shape is documented in schema/neo4j/README.md.
CREATE CONSTRAINT need_id IF NOT EXISTS FOR (n:Need) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT solution_id IF NOT EXISTS FOR (n:Solution) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT publisher_id IF NOT EXISTS FOR (n:Publisher) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT collectivity_id IF NOT EXISTS FOR (n:Collectivity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT adoption_id IF NOT EXISTS FOR (n:Adoption) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT outcome_id IF NOT EXISTS FOR (n:Outcome) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT contribution_id IF NOT EXISTS FOR (n:Contribution) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT watch_source_id IF NOT EXISTS FOR (n:WatchSource) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT release_id IF NOT EXISTS FOR (n:Release) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT release_cycle_key IF NOT EXISTS FOR (n:ReleaseCycle) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT token_id IF NOT EXISTS FOR (n:Token) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT token_hash IF NOT EXISTS FOR (n:Token) REQUIRE n.hash IS UNIQUE;
CREATE CONSTRAINT product_cycle_id IF NOT EXISTS FOR (n:ProductCycle) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT store_meta_key IF NOT EXISTS FOR (n:StoreMeta) REQUIRE n.key IS UNIQUE;
CREATE INDEX need_broader IF NOT EXISTS FOR (n:Need) ON (n.broaderId);
CREATE INDEX need_sort IF NOT EXISTS FOR (n:Need) ON (n.sortKey);
CREATE INDEX solution_sort IF NOT EXISTS FOR (n:Solution) ON (n.sortKey);
CREATE INDEX solution_publisher IF NOT EXISTS FOR (n:Solution) ON (n.publisherId);
CREATE INDEX collectivity_sort IF NOT EXISTS FOR (n:Collectivity) ON (n.sortKey);
CREATE INDEX collectivity_population IF NOT EXISTS FOR (n:Collectivity) ON (n.popKey);
CREATE INDEX collectivity_parent IF NOT EXISTS FOR (n:Collectivity) ON (n.parentId);
CREATE INDEX adoption_collectivity IF NOT EXISTS FOR (n:Adoption) ON (n.collectivityId);
CREATE INDEX adoption_solution IF NOT EXISTS FOR (n:Adoption) ON (n.solutionId);
CREATE INDEX adoption_need IF NOT EXISTS FOR (n:Adoption) ON (n.needId);
CREATE INDEX outcome_adoption IF NOT EXISTS FOR (n:Outcome) ON (n.adoptionId);
CREATE INDEX watch_source_due IF NOT EXISTS FOR (n:WatchSource) ON (n.nextCheck);
CREATE INDEX release_sort IF NOT EXISTS FOR (n:Release) ON (n.sortKey);
CREATE INDEX release_solution IF NOT EXISTS FOR (n:Release) ON (n.solutionId);
CREATE INDEX release_cycle_solution IF NOT EXISTS FOR (n:ReleaseCycle) ON (n.solutionId);
CREATE INDEX history_node IF NOT EXISTS FOR (n:HistoryEntry) ON (n.nodeId);
CREATE INDEX idempotency_token IF NOT EXISTS FOR (n:IdempotencyKey) ON (n.tokenId);
CREATE INDEX contribution_collectivity IF NOT EXISTS FOR (n:Contribution) ON (n.collectivityId);
CREATE INDEX contribution_solution IF NOT EXISTS FOR (n:Contribution) ON (n.solutionId);
MERGE (m:StoreMeta {key: 'store'}) ON CREATE SET m.revision = 0, m.schemaVersion = 1;
