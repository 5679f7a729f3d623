// Starts GraphiQL on the page, against this server's own endpoint. Served by the retex binary.
(function () {
  var fetcher = GraphiQL.createFetcher({ url: new URL("graphql", window.location.href).toString() });
  var defaultQuery = [
    "# retex: public-sector experience with software.",
    "# Try: which collectivities adopted BigBlueButton, and how did it go?",
    "{",
    "  solution(id: \"solution:bigbluebutton\") {",
    "    name",
    "    licence",
    "    adoptions(first: 10) {",
    "      totalCount",
    "      edges { node { collectivity { name } status started outcomes { kind summary { value } sources { title } } } }",
    "    }",
    "  }",
    "}",
    ""
  ].join("\n");
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery, defaultEditorToolsVisibility: false }));
})();
