/* Input fields for the `# param:` lines of a named query: when an example with parameters is
   picked (button.example[data-name]), a form with one typed field per parameter appears; it runs
   the query through /api/queries/{name} (values bound as RDF terms by the server) and shows the
   rows as a table, with links to the same answer as CSV and JSON. window.kgraphParams.show(name)
   opens the form for a query from any other script. */
(function () {
  "use strict";
  var configBlock = document.getElementById("kgraph-ui-config");
  var section = document.getElementById("query-params");
  if (!configBlock || !section) return;
  var config = JSON.parse(configBlock.textContent);
  var byName = {};
  config.examples.forEach(function (q) { byName[q.name] = q; });
  var lang = document.documentElement.lang === "en" ? "en" : "nl";
  var form = document.getElementById("query-params-form");
  var fields = document.getElementById("query-params-fields");
  var result = document.getElementById("query-params-result");
  var error = document.getElementById("query-params-error");
  var current = null;
  var INPUT = { iri: ["text", "organisatie:gent of <https://…>"], string: ["text", ""], integer: ["number", ""],
                decimal: ["number", ""], date: ["date", ""] };

  function url(kind) {
    var p = new URLSearchParams();
    Array.prototype.forEach.call(fields.querySelectorAll("input"), function (input) { if (input.value) p.set(input.name, input.value); });
    if (lang !== "nl") p.set("lang", lang);  // the answer's labels in the page's language
    var query = p.toString();
    return new URL(current.api + (kind ? "." + kind : "") + (query ? "?" + query : ""), window.location.href).href;
  }

  function refreshLinks() {
    document.getElementById("query-params-csv").href = url("csv");
    document.getElementById("query-params-json").href = url("json");
  }

  function show(name) {
    current = byName[name];
    if (!current || !current.parameters || !current.parameters.length) { section.hidden = true; current = null; return; }
    document.getElementById("query-params-title").textContent = current.title[lang];
    fields.textContent = ""; result.textContent = ""; error.hidden = true;
    current.parameters.forEach(function (p) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.name = p.name; input.type = INPUT[p.type][0]; input.placeholder = INPUT[p.type][1];
      input.dataset.type = p.type;
      if (p.type === "decimal") input.step = "any";
      if (p.default) input.value = p.default;
      input.addEventListener("input", refreshLinks);
      label.appendChild(document.createTextNode((p.label || p.name) + " (" + p.type + ") "));
      label.appendChild(input);
      fields.appendChild(label);
    });
    refreshLinks();
    section.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    result.textContent = ""; error.hidden = true;
    fetch(url("json")).then(function (response) {
      return response.ok ? response.json() : response.text().then(function (text) { throw new Error(text); });
    }).then(function (body) {
      var table = document.createElement("table");
      var head = table.createTHead().insertRow();
      body.variables.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
      var tbody = table.createTBody();
      body.rows.forEach(function (row) {
        var tr = tbody.insertRow();
        body.variables.forEach(function (v) { tr.insertCell().textContent = row[v] === null ? "" : String(row[v]); });
      });
      result.appendChild(table);
      result.dataset.rows = String(body.rows.length);
    }).catch(function (exc) { error.textContent = exc.message; error.hidden = false; });
  });

  Array.prototype.forEach.call(document.querySelectorAll("button.example"), function (button) {
    button.addEventListener("click", function () { show(button.dataset.name); });
  });
  window.kgraphParams = { show: show };
})();
