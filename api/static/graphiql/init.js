// Start GraphiQL against this server's /graphql (a file, not an inline script, so the page's CSP needs no 'unsafe-inline').
(function () {
  var endpoint = window.location.pathname.replace(/\/+$/, "");
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var defaultQuery = [
    "# Which of China's challenges does it share with Western studies, and which are China's alone?",
    "{",
    "  compare(a: {studies: [\"zheng-2013\"]}, b: {place: \"western\"}) {",
    "    onlyA { concept { label } a { mentions { label evidence { quote section } } } }",
    "    both { concept { label } strength b { studyCount studies(first: 5) { label } } }",
    "  }",
    "}",
    ""
  ].join("\n");
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery }));
})();
