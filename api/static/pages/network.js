// The network view's enhancements: highlight a node's neighbours on hover or keyboard focus, and redraw the
// network from /network.json when the dimension filter changes (the page works without this script).
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var figure = document.getElementById("network");
  var svg = document.getElementById("network-svg");
  var form = document.getElementById("network-filter");
  if (!figure || !svg || !form) { return; }

  function neighbours() {
    var adj = {};
    svg.querySelectorAll(".link").forEach(function (link) {
      var s = link.getAttribute("data-source"), t = link.getAttribute("data-target");
      (adj[s] = adj[s] || []).push({ node: t, link: link });
      (adj[t] = adj[t] || []).push({ node: s, link: link });
    });
    return adj;
  }
  var adj = neighbours();

  function highlight(id) {
    clear();
    svg.classList.add("highlighting");
    var on = {}; on[id] = true;
    (adj[id] || []).forEach(function (e) { on[e.node] = true; e.link.classList.add("on"); });
    svg.querySelectorAll(".node").forEach(function (n) {
      if (on[n.getAttribute("data-node")]) { n.classList.add("on"); }
    });
  }
  function clear() {
    svg.classList.remove("highlighting");
    svg.querySelectorAll(".on").forEach(function (el) { el.classList.remove("on"); });
  }
  function nodeOf(ev) { return ev.target.closest ? ev.target.closest(".node") : null; }
  svg.addEventListener("mouseover", function (ev) { var n = nodeOf(ev); if (n) { highlight(n.getAttribute("data-node")); } });
  svg.addEventListener("mouseout", function (ev) { if (nodeOf(ev)) { clear(); } });
  svg.addEventListener("focusin", function (ev) { var n = nodeOf(ev); if (n) { highlight(n.getAttribute("data-node")); } });
  svg.addEventListener("focusout", clear);

  function el(name, attrs, text) {
    var e = document.createElementNS(SVGNS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function draw(data) {
    svg.setAttribute("viewBox", "0 0 " + data.width + " " + data.height);
    svg.setAttribute("width", data.width);
    svg.setAttribute("height", data.height);
    var links = el("g", { "class": "links" }), nodes = el("g", { "class": "nodes" });
    data.links.forEach(function (l) {
      var p = el("path", { "class": "link dim-" + l.dimension, d: l.path, "data-source": l.source, "data-target": l.target });
      p.appendChild(el("title", {}, l.mentions.length + " mention(s)"));
      links.appendChild(p);
    });
    var byId = {}, studies = [];
    data.nodes.forEach(function (n) {
      byId[n.id] = n;
      if (n.kind === "study") { studies.push(n); }
      var a = el("a", { "class": "node node-" + n.kind + " " + (n.kind === "study" ? "place-" : "dim-") + n.group,
                        href: n.href, "data-node": n.id });
      a.appendChild(el("circle", { cx: n.x, cy: n.y, r: 4 + Math.min(n.degree, 8) }));
      var study = n.kind === "study";
      a.appendChild(el("text", { x: study ? n.x - 14 : n.x + 14, y: n.y + 4, "text-anchor": study ? "end" : "start" }, n.label));
      a.appendChild(el("title", {}, n.label + " (" + n.detail + "): " + n.degree + (study ? " concepts" : " studies")));
      nodes.appendChild(a);
    });
    svg.replaceChildren(links, nodes);
    adj = neighbours();
    drawTable(data, byId, studies);
    var counts = { studies: studies.length, concepts: data.nodes.length - studies.length, links: data.links.length };
    document.querySelectorAll("#network-summary [data-count]").forEach(function (s) {
      s.textContent = counts[s.getAttribute("data-count")];
    });
    var json = document.getElementById("network-json");
    if (json) {
      json.setAttribute("href", figure.getAttribute("data-json") + (data.dimension ? "?dimension=" + encodeURIComponent(data.dimension) : ""));
    }
  }

  function drawTable(data, byId, studies) {
    var body = document.querySelector("#network-table tbody");
    if (!body) { return; }
    var rows = studies.map(function (s) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-study", s.id);
      var th = document.createElement("th"); th.scope = "row";
      var a = document.createElement("a"); a.href = s.href; a.textContent = s.label; th.appendChild(a);
      var td1 = document.createElement("td"); td1.textContent = s.detail;
      var td2 = document.createElement("td");
      data.links.filter(function (l) { return l.source === s.id; })
        .map(function (l) { return byId[l.target]; })
        .sort(function (x, y) { return x.label.toLowerCase() < y.label.toLowerCase() ? -1 : 1; })
        .forEach(function (c, i) {
          if (i) { td2.appendChild(document.createTextNode(", ")); }
          var ca = document.createElement("a"); ca.href = c.href; ca.textContent = c.label;
          ca.setAttribute("data-concept", c.id); td2.appendChild(ca);
        });
      tr.append(th, td1, td2);
      return tr;
    });
    body.replaceChildren.apply(body, rows);
  }

  var select = form.querySelector("select[name=dimension]");
  select.addEventListener("change", function () {
    var dim = select.value;
    var url = figure.getAttribute("data-json") + (dim ? "?dimension=" + encodeURIComponent(dim) : "");
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        draw(data);
        var caption = document.getElementById("network-caption");
        if (caption) {
          var label = select.options[select.selectedIndex].text;
          caption.textContent = data.nodes.filter(function (n) { return n.kind === "study"; }).length +
            " studies and the factor concepts they report" + (dim ? " in the " + label + " dimension." : ".");
        }
        history.replaceState(null, "", location.pathname + (dim ? "?dimension=" + encodeURIComponent(dim) : ""));
      })
      .catch(function () { form.submit(); });
  });
})();
