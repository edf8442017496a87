/* The relationship view: fetch the graph's JSON (same URL as the "as JSON" link) and draw it with
   vis-network (served by the app from the npm install). Double-click or Enter opens a node's page.
   Sets data-ready="true" on the container once drawn, so tests (and people) know it is done. */
(function () {
  "use strict";
  var container = document.getElementById("relations");
  if (!container || typeof vis === "undefined") { return; }
  var colours = { organisatie: "#0b5cad", activiteit: "#e07b00", persoon: "#5b8c2a" };
  fetch(container.getAttribute("data-source"), { headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var hrefs = {};
      var nodes = data.nodes.map(function (n) {
        hrefs[n.id] = n.href;
        return {
          id: n.id, label: n.label, title: n.label,
          shape: n.category === "activiteit" ? "box" : "dot",
          size: n.center ? 24 : 12,
          color: n.center ? "#b00020" : (colours[n.category] || "#777"),
          font: { color: n.category === "activiteit" ? "#fff" : "#1d1d1b", size: n.center ? 18 : 13 }
        };
      });
      var edges = data.edges.map(function (e) {
        return { from: e.from, to: e.to, label: e.label, font: { size: 10, align: "middle" }, color: "#999" };
      });
      var network = new vis.Network(container, { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) }, {
        interaction: { keyboard: { enabled: true, bindToWindow: false }, navigationButtons: true, hover: true },
        physics: { stabilization: { iterations: 150 } },
        nodes: { widthConstraint: { maximum: 180 } }
      });
      function open(params) {
        if (params.nodes && params.nodes.length && hrefs[params.nodes[0]]) { window.location.href = hrefs[params.nodes[0]]; }
      }
      network.on("doubleClick", open);
      container.setAttribute("tabindex", "0");
      container.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { open({ nodes: network.getSelectedNodes() }); }
      });
      network.once("afterDrawing", function () { container.setAttribute("data-ready", "true"); });
    })
    .catch(function (error) { container.textContent = String(error); });
}());
