/* The network explorer: filters, search, drawing (vis-network), side panel, bipartite and timeline
   views. All data comes from /explore/data.json and /explore/organisatie/<ref>.json; the server
   aggregates, so this script never draws more than a few hundred nodes. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("explore-config").textContent);
  var w = config.words;
  var root = config.root;
  var form = document.getElementById("filters");
  var canvas = document.getElementById("network");
  var timeline = document.getElementById("timeline");
  var panel = document.getElementById("panel");
  var leftOut = document.getElementById("left-out");
  var search = document.getElementById("f-search");
  var names = document.getElementById("org-names");
  var state = { view: "network", network: null, nodes: [], selected: null };
  window.kgraphExplore = state;

  function params(extra) {
    var p = new URLSearchParams();
    ["year", "kind", "theme", "role", "orgkind"].forEach(function (name) {
      var v = form.elements[name].value;
      if (v) p.set(name, v);
    });
    if (config.lang === "en") p.set("lang", "en");
    Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
    return p.toString();
  }

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function local(iri) { return iri.replace(/^.*?\/id\//, root + "doc/"); }
  function ref(iri) { return iri.split("/").pop(); }

  var palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

  function draw(nodes, edges) {
    if (state.network) { state.network.destroy(); state.network = null; }
    canvas.dataset.state = "drawing";
    if (typeof vis === "undefined") { canvas.dataset.state = "no-library"; return; }
    var maxDegree = Math.max.apply(null, [1].concat(nodes.map(function (n) { return n.degree || 0; })));
    var labelled = nodes.length <= 60 ? 0 : maxDegree / 4; // on a large view only the bigger nodes get labels
    var visNodes = nodes.map(function (n) {
      var color = palette[(n.community || 0) % palette.length];
      if (n.side === "activity") return { id: n.id, label: n.label, shape: "square", size: 6, color: "#999", font: { size: 10 } };
      if (n.collapsed) return { id: n.id, label: n.label, shape: "box", color: { background: "#eee", border: color } };
      return { id: n.id, label: (n.degree || 0) >= labelled || n.side ? n.label : undefined, title: n.label,
               value: (n.degree || 1), color: color, shape: "dot" };
    });
    var visEdges = edges.map(function (e, i) {
      var listed = e.activities || [];
      var title = listed.map(function (a) { return a.label; }).join("\n") || (e.roles || []).join(", ");
      // Only some shared activities are listed on a large view; the weight says how many there are.
      if (listed.length && e.weight > listed.length) title += "\n… (" + e.weight + " " + w.shared_activities + ")";
      return { id: i, from: e.source, to: e.target, value: e.weight || 1, title: title || undefined, color: { opacity: 0.35 } };
    });
    state.network = new vis.Network(canvas, { nodes: new vis.DataSet(visNodes), edges: new vis.DataSet(visEdges) }, {
      nodes: { scaling: { min: 6, max: 40, label: { enabled: true, min: 11, max: 22, drawThreshold: 9 } } },
      edges: { scaling: { min: 1, max: 8 }, smooth: false },
      physics: { solver: "forceAtlas2Based", stabilization: { iterations: 250 } },
      interaction: { hover: true, tooltipDelay: 150 }
    });
    state.network.once("stabilizationIterationsDone", function () {
      state.network.setOptions({ physics: false });
      canvas.dataset.state = "ready";
    });
    state.network.on("click", function (event) {
      if (event.nodes.length && String(event.nodes[0]).indexOf("/id/organisatie/") >= 0) select(event.nodes[0]);
    });
  }

  function showLeftOut(view, data) {
    var lo = data.left_out || {};
    if (view === "network") {
      leftOut.textContent = lo.organisations ? (lo.organisations + " " + w.organisations_left_out + " (" + lo.communities + ")")
        : w.nothing_left_out;
      if (lo.edges_not_drawn) leftOut.textContent += " " + lo.edges_not_drawn + " " + w.edges_not_drawn;
    } else if (view === "bipartite") {
      leftOut.textContent = lo.organisations || lo.associations ? (w.left_out + ": " + lo.organisations + " / " + lo.associations) : w.nothing_left_out;
    } else leftOut.textContent = "";
  }

  function drawTimeline(data) {
    timeline.textContent = "";
    var table = el("table");
    var head = el("tr");
    head.appendChild(el("th", w.month, { scope: "col" }));
    data.kinds.forEach(function (k) { head.appendChild(el("th", k.label, { scope: "col" })); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    data.months.concat([{ month: w.no_month, counts: data.without_month }]).forEach(function (m) {
      var tr = el("tr");
      tr.appendChild(el("th", m.month, { scope: "row" }));
      data.kinds.forEach(function (k, i) {
        var n = m.counts[k.id] || 0, td = el("td");
        if (n) { var bar = el("span", null, { class: "bar", title: n }); bar.style.width = (n * 12) + "px"; bar.style.background = palette[i % palette.length]; td.appendChild(bar); td.appendChild(document.createTextNode(" " + n)); }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    timeline.appendChild(table);
    timeline.dataset.state = "ready";
  }

  function load() {
    canvas.dataset.state = "loading";
    return fetch(root + "explore/data.json?" + params({ view: state.view })).then(function (r) { return r.json(); }).then(function (data) {
      showLeftOut(state.view, data);
      var network = state.view !== "timeline";
      canvas.hidden = !network; timeline.hidden = network;
      if (!network) { canvas.dataset.state = "ready"; drawTimeline(data); return; }
      state.nodes = data.nodes;
      names.textContent = "";
      data.nodes.filter(function (n) { return n.id.indexOf("/id/organisatie/") >= 0; }).forEach(function (n) {
        names.appendChild(el("option", null, { value: n.label }));
      });
      draw(data.nodes, data.edges);
      if (state.selected) select(state.selected);
    });
  }

  function list(title, items, render) {
    var section = el("section");
    section.appendChild(el("h3", title + " (" + items.length + ")"));
    var ul = el("ul");
    items.forEach(function (item) { var li = el("li"); render(li, item); ul.appendChild(li); });
    section.appendChild(ul);
    return section;
  }

  function link(iri, label) { return el("a", label, { href: local(iri) }); }

  function select(iri) {
    state.selected = iri;
    if (state.network && state.network.body.data.nodes.get(iri)) { state.network.selectNodes([iri]); state.network.focus(iri, { animation: false }); }
    return fetch(root + "explore/organisatie/" + ref(iri) + ".json?" + params()).then(function (r) { return r.ok ? r.json() : null; }).then(function (p) {
      panel.textContent = "";
      panel.dataset.selected = iri;
      if (!p) { panel.appendChild(el("p", w.not_found)); return; }
      var h = el("h2"); h.appendChild(link(p.id, p.label)); panel.appendChild(h);
      if (p.measures) {
        var dl = el("dl", null, { class: "measures" });
        ["degree", "weighted_degree", "betweenness", "community"].forEach(function (k) {
          dl.appendChild(el("dt", w[k])); dl.appendChild(el("dd", p.measures[k], { "data-measure": k }));
        });
        panel.appendChild(el("h3", w.measures)); panel.appendChild(dl);
      }
      panel.appendChild(list(w.activities, p.activities, function (li, a) {
        li.appendChild(link(a.id, a.label)); if (a.roles.length) li.appendChild(document.createTextNode(" (" + a.roles.join(", ") + ")"));
      })).dataset.part = "activities";
      panel.appendChild(list(w.through, p.through_networks, function (li, a) {
        li.appendChild(link(a.id, a.label)); li.appendChild(document.createTextNode(" — ")); li.appendChild(link(a.via.id, a.via.label));
      })).dataset.part = "through";
      panel.appendChild(list(w.partners, p.partners, function (li, partner) {
        li.appendChild(link(partner.id, partner.label)); li.appendChild(document.createTextNode(" " + partner.shared));
        li.dataset.shared = partner.shared;
      })).dataset.part = "partners";
      panel.dataset.state = "ready";
    });
  }

  form.addEventListener("change", function (event) { if (event.target !== search) load(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  search.addEventListener("change", function () {
    var wanted = search.value.trim().toLowerCase();
    var hit = state.nodes.filter(function (n) { return n.label.toLowerCase() === wanted; })[0]
      || state.nodes.filter(function (n) { return n.label.toLowerCase().indexOf(wanted) >= 0 && n.id.indexOf("/id/organisatie/") >= 0; })[0];
    if (hit) select(hit.id);
  });
  Array.prototype.forEach.call(document.querySelectorAll(".explore-views button"), function (button) {
    button.addEventListener("click", function () {
      state.view = button.dataset.view;
      Array.prototype.forEach.call(document.querySelectorAll(".explore-views button"), function (b) { b.setAttribute("aria-selected", String(b === button)); });
      load();
    });
  });
  load();
})();
