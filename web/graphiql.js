// Starts GraphiQL on the page, against this server's own endpoint. Served by the retex binary.
// Also makes the page pass automated accessibility checks (axe-core): a level-one heading,
// names for the editors' text areas, keyboard access to their scrolling regions, and syntax
// colours with a contrast of at least 4.5:1 on GraphiQL's light theme.
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

  var style = document.createElement("style");
  style.textContent = [
    ".retex-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }",
    ".graphiql-container .CodeMirror .cm-property { color: #005bb5; }",
    ".graphiql-container .CodeMirror .cm-attribute { color: #00707f; }",
    ".graphiql-container .CodeMirror .cm-string, .graphiql-container .CodeMirror .cm-string-2 { color: #8a5300; }",
    ".graphiql-container .CodeMirror .cm-number { color: #1a6b4d; }",
    ".graphiql-container .CodeMirror .cm-keyword, .graphiql-container .CodeMirror .cm-def { color: #a3135e; }",
    ".graphiql-container .CodeMirror .cm-variable, .graphiql-container .CodeMirror .cm-atom, .graphiql-container .CodeMirror .cm-builtin, .graphiql-container .CodeMirror .cm-qualifier, .graphiql-container .CodeMirror .cm-meta { color: #6b3fa0; }",
    ".graphiql-container .CodeMirror .cm-comment { color: #545b66; }",
    ".graphiql-container .CodeMirror-linenumber { color: #5c6470; }",
    ".graphiql-container .graphiql-logo, .graphiql-container .graphiql-logo-link { color: #3f4756 !important; }"
  ].join("\n");
  document.head.appendChild(style);

  var banner = document.createElement("header");
  var heading = document.createElement("h1");
  heading.className = "retex-visually-hidden";
  heading.textContent = "retex — GraphQL explorer (GraphiQL)";
  banner.appendChild(heading);
  document.body.insertBefore(banner, document.body.firstChild);

  // GraphiQL's editors (CodeMirror) create unnamed text areas and scrolling regions; name
  // them and make them reachable by keyboard as they appear.
  var names = [
    [".graphiql-query-editor", "GraphQL query"],
    ["[aria-label='Variables']", "Query variables"],
    ["[aria-label='Headers']", "Request headers"],
    [".graphiql-response", "Response"]
  ];
  function nameOf(area) {
    for (var i = 0; i < names.length; i++) {
      if (area.closest(names[i][0])) return names[i][1];
    }
    return area.readOnly ? "Response" : "Editor";
  }
  function tidy() {
    document.querySelectorAll("textarea:not([aria-label])").forEach(function (area) {
      area.setAttribute("aria-label", nameOf(area));
    });
    document.querySelectorAll(".CodeMirror-scroll:not([tabindex='0'])").forEach(function (scroll) {
      scroll.setAttribute("tabindex", "0");
      scroll.setAttribute("role", "region");
      var area = scroll.parentElement && scroll.parentElement.querySelector("textarea");
      scroll.setAttribute("aria-label", (area ? nameOf(area) : "Editor") + " (scrolling area)");
    });
  }
  new MutationObserver(tidy).observe(document.body, { childList: true, subtree: true });

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery, defaultEditorToolsVisibility: false }));
  tidy();
})();
