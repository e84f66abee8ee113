/* bibliomap map viewer: draws a VOSviewer-style map on a 2D canvas, offline.
 * One BibliomapViewer.mount(root, data, options) call per map; several maps can share a page.
 * User text (labels, descriptions) only ever goes into the page through textContent. */
(function () {
  "use strict";
  if (window.BibliomapViewer) { return; }

  var MIN_ZOOM = 1, MAX_ZOOM = 2000, NEVER = 1e9;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  /* A number as the page's language writes it: decimalMark is the map data's decimal_mark ("," in Indonesian). */
  function fmt(v, decimalMark) {
    if (v === null || v === undefined || (typeof v === "number" && !isFinite(v))) { return "\u2013"; }
    if (typeof v === "number") {
      if (Math.abs(v - Math.round(v)) < 1e-9) { return String(Math.round(v)); }
      return v.toFixed(Math.abs(v) >= 100 ? 1 : 3).replace(".", decimalMark || ".");
    }
    return String(v);
  }

  function shorten(s, n) {
    s = String(s);
    return s.length <= n ? s : s.slice(0, n - 1).replace(/\s+$/, "") + "\u2026";
  }

  function hexToRgb(h) {
    var c = h.replace("#", "");
    return [parseInt(c.slice(0, 2), 16), parseInt(c.slice(2, 4), 16), parseInt(c.slice(4, 6), 16)];
  }

  function rgba(rgb, a) { return "rgba(" + rgb[0] + "," + rgb[1] + "," + rgb[2] + "," + a + ")"; }

  function mount(root, data, options) {
    options = options || {};
    var n = data.n;
    var X = Float64Array.from(data.x), Y = Float64Array.from(data.y);
    var CL = Int32Array.from(data.cluster);
    var labels = data.label;
    var maxLabel = data.settings.max_label_length || 30;
    var shortLabels = labels.map(function (s) { return shorten(s, maxLabel); });
    var weightNames = Object.keys(data.weights), scoreNames = Object.keys(data.scores);
    var palette = data.palette, noClusterColor = data.no_cluster_color;
    var clusterInfo = {};
    data.clusters.forEach(function (c) { clusterInfo[c.cluster] = c; });
    var cmap = data.settings.cmap; // 256 x [r,g,b]

    // links (already sorted by strength, strongest first) and adjacency (CSR)
    var LS = Int32Array.from(data.links.s), LT = Int32Array.from(data.links.t), LW = Float64Array.from(data.links.w);
    var m = LS.length;
    var deg = new Int32Array(n + 1);
    for (var k = 0; k < m; k++) { deg[LS[k] + 1]++; deg[LT[k] + 1]++; }
    for (k = 0; k < n; k++) { deg[k + 1] += deg[k]; }
    var adj = new Int32Array(2 * m), adjLink = new Int32Array(2 * m), fill = deg.slice(0, n);
    for (k = 0; k < m; k++) {
      adj[fill[LS[k]]] = LT[k]; adjLink[fill[LS[k]]++] = k;
      adj[fill[LT[k]]] = LS[k]; adjLink[fill[LT[k]]++] = k;
    }

    var state = {
      view: data.settings.view || "network", density: "item",
      sizeWeight: data.settings.size_weight || (weightNames.length ? weightNames[0] : null),
      score: data.settings.score || (scoreNames.length ? scoreNames[0] : null),
      maxLinks: data.settings.max_links, curved: data.settings.curved,
      zoom: 1, cx: 0, cy: 0, selected: -1, hover: -1,
      hidden: {}, visible: new Uint8Array(n)
    };

    // ---------------------------------------------------------------- DOM
    var prefix = options.idPrefix || "";
    function pid(name) { return prefix ? prefix + "-" + name : name; }
    root.classList.add("bm-viewer");
    var bar = el("div", "bm-toolbar");
    var text = data.text || {}, names = data.names || {};
    function T(message) { return text[message] || message; }  // the viewer's own words, in the report's language
    function N(name) { return names[name] || name; }  // a weight or score name, as shown
    var title = el("span", "bm-title", data.title || T("Map"));
    var count = el("span", "bm-count");
    var countNum = el("span", "", String(n)); countNum.id = pid("item-count");
    var linkNum = el("span", "", String(m)); linkNum.id = pid("link-count");
    count.appendChild(countNum); count.appendChild(document.createTextNode(" " + T("items") + ", "));
    count.appendChild(linkNum); count.appendChild(document.createTextNode(" " + T("links")));
    var searchBox = el("div", "bm-search");
    var search = el("input"); search.type = "search"; search.placeholder = T("Search items"); search.id = pid("search");
    search.setAttribute("aria-label", T("Search items"));
    var results = el("div", "bm-results"); results.id = pid("search-results");
    searchBox.appendChild(search); searchBox.appendChild(results);

    function select(id, choices, current, label) {
      var wrap = el("label", "bm-control", label + " ");
      var s = el("select"); s.id = pid(id);
      choices.forEach(function (c) {
        var o = el("option", "", c[1]); o.value = c[0]; if (c[0] === current) { o.selected = true; } s.appendChild(o);
      });
      wrap.appendChild(s);
      return [wrap, s];
    }
    var viewSel = select("view", [["network", T("Network")], ["overlay", T("Overlay")], ["density", T("Density")]], state.view, T("View"));
    var scoreSel = select("score", scoreNames.map(function (s) { return [s, N(s)]; }), state.score, T("Score"));
    var densSel = select("density", [["item", T("Item density")], ["cluster", T("Cluster density")]], "item", T("Density"));
    var sizeSel = select("size", weightNames.map(function (s) { return [s, N(s)]; }), state.sizeWeight, T("Size"));
    var linksWrap = el("label", "bm-control", T("Links") + " ");
    var linksInput = el("input"); linksInput.type = "number"; linksInput.min = "0"; linksInput.max = String(m);
    linksInput.value = String(Math.min(state.maxLinks, m)); linksInput.id = pid("max-links"); linksWrap.appendChild(linksInput);
    var curvedWrap = el("label", "bm-control", T("Curved") + " ");
    var curvedBox = el("input"); curvedBox.type = "checkbox"; curvedBox.checked = !!state.curved; curvedWrap.appendChild(curvedBox);
    var resetBtn = el("button", "bm-button", T("Reset view")); resetBtn.type = "button"; resetBtn.id = pid("reset-view");
    var zoomIn = el("button", "bm-button", "+"), zoomOut = el("button", "bm-button", "\u2212");
    zoomIn.type = zoomOut.type = "button"; zoomIn.id = pid("zoom-in"); zoomOut.id = pid("zoom-out");
    zoomIn.setAttribute("aria-label", T("Zoom in")); zoomOut.setAttribute("aria-label", T("Zoom out"));
    [title, count, searchBox, viewSel[0], sizeSel[0], scoreSel[0], densSel[0], linksWrap, curvedWrap, zoomIn, zoomOut, resetBtn].forEach(function (e) { bar.appendChild(e); });
    if (!scoreNames.length) { viewSel[1].querySelector("option[value=overlay]").disabled = true; }
    if (!weightNames.length) { sizeSel[0].style.display = "none"; }

    var body = el("div", "bm-body");
    var stage = el("div", "bm-stage");
    var canvas = el("canvas", "bm-canvas"); canvas.id = pid("canvas");
    canvas.tabIndex = 0; canvas.setAttribute("role", "img"); canvas.setAttribute("aria-label", T("Map of {n} items; drag to pan, scroll or +/- to zoom").replace("{n}", String(n)));
    var tip = el("div", "bm-tooltip"); tip.id = pid("tooltip"); tip.style.display = "none";
    stage.appendChild(canvas); stage.appendChild(tip);
    var side = el("div", "bm-side");
    var legend = el("div", "bm-legend"); legend.id = pid("legend");
    var info = el("div", "bm-info"); info.id = pid("info");
    side.appendChild(legend); side.appendChild(info);
    body.appendChild(stage); body.appendChild(side);
    root.appendChild(bar); root.appendChild(body);
    var ctx = canvas.getContext("2d");

    // ---------------------------------------------------------------- sizes, colours, visibility
    var diam = new Float64Array(n), font = new Float64Array(n), order = new Int32Array(n), textW = new Float64Array(n);
    function computeSizes() {
      var w = state.sizeWeight ? data.weights[state.sizeWeight] : null, mean = 0, i;
      if (w) { for (i = 0; i < n; i++) { mean += Math.max(+w[i] || 0, 0); } mean /= Math.max(n, 1); }
      var idx = [];
      for (i = 0; i < n; i++) {
        var wn = (w && mean > 0) ? Math.pow(Math.max(+w[i] || 0, 0) / mean, 0.5) : 1;
        diam[i] = Math.max(16 * wn, 5); font[i] = 9 + 4 * wn; idx.push(i);
      }
      if (w) { idx.sort(function (a, b) { return ((+w[b] || 0) - (+w[a] || 0)) || (a - b); }); }
      order.set(idx);
      ctx.font = "10px " + FONT;
      for (i = 0; i < n; i++) { textW[i] = ctx.measureText(shortLabels[i]).width * font[i] / 10; }
    }
    var FONT = "'Open Sans', 'DejaVu Sans', Arial, sans-serif";

    var clusterRgb = {};
    function colorOfCluster(c) {
      if (!clusterRgb[c]) { clusterRgb[c] = hexToRgb(c > 0 ? (clusterInfo[c] && clusterInfo[c].color) || palette[(c - 1) % palette.length] : noClusterColor); }
      return clusterRgb[c];
    }
    var scoreRange = [0, 1];
    function computeScoreRange() {
      var v = state.score ? data.scores[state.score] : null, lo = Infinity, hi = -Infinity;
      if (v) { for (var i = 0; i < n; i++) { var s = v[i]; if (s !== null && isFinite(s)) { if (s < lo) { lo = s; } if (s > hi) { hi = s; } } } }
      var r = data.settings.score_range && data.settings.score_range[state.score];
      if (r) { lo = r[0]; hi = r[1]; }
      if (!isFinite(lo)) { lo = 0; hi = 1; }
      if (hi <= lo) { hi = lo + 1; }
      scoreRange = [lo, hi];
    }
    function scoreBucket(i) {
      var v = data.scores[state.score][i];
      if (v === null || !isFinite(v)) { return -1; }
      var t = (v - scoreRange[0]) / (scoreRange[1] - scoreRange[0]);
      return Math.max(0, Math.min(255, Math.round(t * 255)));
    }
    function updateVisibility() {
      for (var i = 0; i < n; i++) { state.visible[i] = state.hidden[CL[i]] ? 0 : 1; }
    }

    // ---------------------------------------------------------------- view transform
    var W = 1, H = 1, base = 1, dpr = 1, minX = 0, maxX = 0, minY = 0, maxY = 0;
    (function bounds() {
      if (!n) { minX = minY = -1; maxX = maxY = 1; return; }
      minX = maxX = X[0]; minY = maxY = Y[0];
      for (var i = 1; i < n; i++) { if (X[i] < minX) { minX = X[i]; } if (X[i] > maxX) { maxX = X[i]; } if (Y[i] < minY) { minY = Y[i]; } if (Y[i] > maxY) { maxY = Y[i]; } }
    })();
    function fit() {
      var sx = maxX - minX || 1, sy = maxY - minY || 1;
      base = Math.min((W - 140) / sx, (H - 50) / sy);  // room for labels at the sides
      if (!(base > 0)) { base = 1; }
    }
    function resetView() { state.zoom = 1; state.cx = (minX + maxX) / 2; state.cy = (minY + maxY) / 2; }
    function sx(x) { return W / 2 + (x - state.cx) * base * state.zoom; }
    function sy(y) { return H / 2 - (y - state.cy) * base * state.zoom; }
    function wx(px) { return state.cx + (px - W / 2) / (base * state.zoom); }
    function wy(py) { return state.cy - (py - H / 2) / (base * state.zoom); }

    // ---------------------------------------------------------------- label scaling (ANCHORS 1.8)
    var factor = new Float64Array(n);
    function computeFactors() {
      // F_i = max over heavier visible j with f_ij > F_j of f_ij; only pairs with f_ij > MIN_ZOOM matter,
      // so a grid of cells (max label box) finds them in near-linear time.
      var maxW = 0, maxH = 0, i, r;
      for (i = 0; i < n; i++) { if (textW[i] > maxW) { maxW = textW[i]; } if (font[i] > maxH) { maxH = font[i]; } }
      var cw = maxW + 1, ch = maxH + 1, grid = new Map();
      factor.fill(NEVER);
      for (r = 0; r < n; r++) {
        i = order[r];
        if (!state.visible[i]) { continue; }
        var bx = X[i] * base, by = -Y[i] * base, gx = Math.floor(bx / cw), gy = Math.floor(by / ch), F = 0;
        for (var ox = -1; ox <= 1; ox++) {
          for (var oy = -1; oy <= 1; oy++) {
            var cell = grid.get((gx + ox) + "," + (gy + oy));
            if (!cell) { continue; }
            for (var q = 0; q < cell.length; q++) {
              var j = cell[q];
              var dx = Math.abs(bx - X[j] * base), dy = Math.abs(by + Y[j] * base);
              var fx = dx > 0 ? 0.5 * (textW[i] + textW[j] + 2) / dx : NEVER;
              var fy = dy > 0 ? 0.5 * (font[i] + font[j] + 2) / dy : NEVER;
              var f = Math.min(fx, fy);
              if (f > MIN_ZOOM && f > factor[j] && f > F) { F = f; }
            }
          }
        }
        factor[i] = F;
        var key = gx + "," + gy, list = grid.get(key);
        if (list) { list.push(i); } else { grid.set(key, [i]); }
      }
    }

    // ---------------------------------------------------------------- links to draw
    var drawnLinks = new Int32Array(0);
    function chooseLinks() {
      var out = [], cap = Math.max(0, state.maxLinks | 0);
      for (var k = 0; k < m && out.length < cap; k++) {
        if (state.visible[LS[k]] && state.visible[LT[k]]) { out.push(k); }
      }
      drawnLinks = Int32Array.from(out);
      var mean = 0;
      for (k = 0; k < drawnLinks.length; k++) { mean += LW[drawnLinks[k]]; }
      linkMean = drawnLinks.length ? mean / drawnLinks.length : 1;
    }
    var linkMean = 1;
    function linkWidth(k) { return Math.max(1.5 * Math.sqrt(LW[k] / linkMean), 0.1); }
    function widthBucket(w) { return Math.min(7, Math.round(w * 2)); }

    // ---------------------------------------------------------------- density images
    var densityImg = {};
    ["item", "cluster"].forEach(function (kind) {
      var d = data.density && data.density[kind];
      if (!d) { return; }
      var img = new Image();
      img.onload = function () { requestDraw(); };
      img.src = d.png;
      densityImg[kind] = { img: img, extent: d.extent };
    });

    // ---------------------------------------------------------------- drawing
    var pending = false, firstPaint = false;
    function requestDraw() {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; draw(); });
    }

    function pathSegment(k) {
      var x0 = sx(X[LS[k]]), y0 = sy(Y[LS[k]]), x1 = sx(X[LT[k]]), y1 = sy(Y[LT[k]]);
      if ((x0 < 0 && x1 < 0) || (x0 > W && x1 > W) || (y0 < 0 && y1 < 0) || (y0 > H && y1 > H)) {
        if (!state.curved) { return; }
      }
      ctx.moveTo(x0, y0);
      if (state.curved) {
        var mx = (x0 + x1) / 2, my = (y0 + y1) / 2, dx = x1 - x0, dy = y1 - y0;
        ctx.quadraticCurveTo(mx - 0.2 * dy, my + 0.2 * dx, x1, y1);
      } else { ctx.lineTo(x1, y1); }
    }

    function itemColorKey(i) {
      if (state.view === "overlay") { var b = scoreBucket(i); return b < 0 ? "none" : "s" + b; }
      return "c" + CL[i];
    }
    function colorForKey(key, alpha) {
      if (key === "none") { return rgba(hexToRgb(noClusterColor), alpha); }
      if (key.charAt(0) === "s") { return rgba(cmap[+key.slice(1)], alpha); }
      return rgba(colorOfCluster(+key.slice(1)), alpha);
    }

    function drawLinks(list, dimmed) {
      var groups = {}, k, key;
      for (var q = 0; q < list.length; q++) {
        k = list[q];
        key = (state.view === "network" ? "c" + CL[LS[k]] : "g") + "|" + widthBucket(linkWidth(k));
        (groups[key] || (groups[key] = [])).push(k);
      }
      Object.keys(groups).forEach(function (g) {
        var parts = g.split("|"), ck = parts[0];
        ctx.strokeStyle = ck === "g" ? (dark() ? "rgba(200,200,200,0.35)" : "rgba(130,130,130,0.35)") : colorForKey(ck, dimmed ? 0.08 : 0.4);
        ctx.lineWidth = Math.max(+parts[1] / 2, 0.1);
        ctx.beginPath();
        var arr = groups[g];
        for (var t = 0; t < arr.length; t++) { pathSegment(arr[t]); }
        ctx.stroke();
      });
    }

    function dark() { return state.view === "density" && state.density === "cluster"; }

    function draw() {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.fillStyle = dark() ? "#000000" : "#ffffff";
      ctx.fillRect(0, 0, W, H);
      var sel = state.selected, neighbours = null, i, q;
      if (sel >= 0) {
        neighbours = new Uint8Array(n); neighbours[sel] = 1;
        for (q = deg[sel]; q < deg[sel + 1]; q++) { neighbours[adj[q]] = 1; }
      }
      if (state.view === "density") {
        var d = densityImg[state.density];
        if (d && d.img.complete && d.img.naturalWidth) {
          var e = d.extent;
          ctx.imageSmoothingEnabled = true;
          ctx.drawImage(d.img, sx(e[0]), sy(e[3]), sx(e[1]) - sx(e[0]), sy(e[2]) - sy(e[3]));
        }
      } else {
        drawLinks(drawnLinks, sel >= 0);
        if (sel >= 0) {
          var own = [];
          for (q = deg[sel]; q < deg[sel + 1]; q++) { if (state.visible[adj[q]]) { own.push(adjLink[q]); } }
          drawLinks(own.slice(0, 2000), false);
        }
        // circles, grouped by colour (one path per colour)
        var groups = {}, key;
        for (var r = n - 1; r >= 0; r--) {
          i = order[r];
          if (!state.visible[i]) { continue; }
          var px = sx(X[i]), py = sy(Y[i]), rad = diam[i] / 2;
          if (px + rad < 0 || px - rad > W || py + rad < 0 || py - rad > H) { continue; }
          key = itemColorKey(i) + (neighbours && !neighbours[i] ? "|d" : "");
          (groups[key] || (groups[key] = [])).push(i);
        }
        Object.keys(groups).forEach(function (g) {
          var dim = g.slice(-2) === "|d", ck = dim ? g.slice(0, -2) : g, arr = groups[g];
          ctx.fillStyle = colorForKey(ck, dim ? 0.15 : 0.9);
          ctx.beginPath();
          for (var t = 0; t < arr.length; t++) {
            var j = arr[t], x = sx(X[j]), y = sy(Y[j]);
            ctx.moveTo(x + diam[j] / 2, y); ctx.arc(x, y, diam[j] / 2, 0, 2 * Math.PI);
          }
          ctx.fill();
        });
        if (sel >= 0) {
          ctx.strokeStyle = "#000"; ctx.lineWidth = 2; ctx.beginPath();
          ctx.arc(sx(X[sel]), sy(Y[sel]), diam[sel] / 2 + 2, 0, 2 * Math.PI); ctx.stroke();
        }
      }
      // labels: heaviest first, shown when zoom >= F_i (selected item and neighbours always)
      ctx.textAlign = "center"; ctx.textBaseline = "middle";
      var textColor = dark() ? "#ffffff" : "#1a1a1a", shown = 0;
      for (r = 0; r < n; r++) {
        i = order[r];
        if (!state.visible[i]) { continue; }
        var force = i === sel;
        if (!force && factor[i] > state.zoom) { continue; }
        if (neighbours && !neighbours[i] && !force) { continue; }
        var lx = sx(X[i]), ly = sy(Y[i]);
        if (lx + textW[i] < 0 || lx - textW[i] > W || ly < -20 || ly > H + 20) { continue; }
        ctx.font = (force ? "bold " : "") + font[i].toFixed(1) + "px " + FONT;
        ctx.fillStyle = textColor;
        ctx.fillText(shortLabels[i], lx, ly);
        shown++;
      }
      root.setAttribute("data-labels-shown", String(shown));
      if (!firstPaint) {
        firstPaint = true;
        var t = performance.now();
        root.setAttribute("data-first-paint-ms", t.toFixed(1));
        if (window.__firstPaintMs === undefined) { window.__firstPaintMs = t; }
      }
    }

    // ---------------------------------------------------------------- legend and info panel
    function buildLegend() {
      legend.textContent = "";
      if (state.view === "overlay" && state.score) {
        legend.appendChild(el("div", "bm-legend-title", N(state.score)));
        var bar = el("canvas", "bm-colorbar"); bar.width = 200; bar.height = 14;
        var c2 = bar.getContext("2d");
        for (var x = 0; x < 200; x++) { c2.fillStyle = rgba(cmap[Math.round(x / 199 * 255)], 1); c2.fillRect(x, 0, 1, 14); }
        legend.appendChild(bar);
        var ends = el("div", "bm-colorbar-ends");
        ends.appendChild(el("span", "", fmt(scoreRange[0], data.decimal_mark))); ends.appendChild(el("span", "", fmt(scoreRange[1], data.decimal_mark)));
        legend.appendChild(ends);
        return;
      }
      legend.appendChild(el("div", "bm-legend-title", T("Clusters")));
      var counts = {};
      for (var i = 0; i < n; i++) { counts[CL[i]] = (counts[CL[i]] || 0) + 1; }
      Object.keys(counts).map(Number).sort(function (a, b) { return (a === 0) - (b === 0) || a - b; }).forEach(function (c) {
        var row = el("label", "bm-legend-row");
        var box = el("input"); box.type = "checkbox"; box.checked = !state.hidden[c]; box.setAttribute("data-cluster", String(c));
        box.addEventListener("change", function () {
          state.hidden[c] = !box.checked; if (state.selected >= 0 && state.hidden[CL[state.selected]]) { state.selected = -1; }
          updateVisibility(); computeFactors(); chooseLinks(); requestDraw();
        });
        var sw = el("span", "bm-swatch"); sw.style.background = rgba(colorOfCluster(c), 1);
        var name = clusterName(c);
        row.appendChild(box); row.appendChild(sw); row.appendChild(el("span", "bm-legend-label", name));
        row.appendChild(el("span", "bm-legend-n", String(counts[c])));
        legend.appendChild(row);
      });
    }

    function clusterName(c) {
      return c > 0 ? ((clusterInfo[c] && clusterInfo[c].label) || T("Cluster {n}").replace("{n}", String(c))) : T("No cluster");
    }

    function itemDetails(container, i, topLinks) {
      container.textContent = "";
      container.appendChild(el("div", "bm-item-label", labels[i]));
      var c = CL[i];
      container.appendChild(el("div", "bm-item-cluster", clusterName(c)));
      if (data.description && data.description[i]) { container.appendChild(el("div", "bm-item-desc", data.description[i])); }
      var table = el("table", "bm-item-table");
      function row(k, v) { var tr = el("tr"); tr.appendChild(el("th", "", k)); tr.appendChild(el("td", "", fmt(v, data.decimal_mark))); table.appendChild(tr); }
      weightNames.forEach(function (w) { row(N(w), data.weights[w][i]); });
      scoreNames.forEach(function (s) { row(N(s), data.scores[s][i]); });
      container.appendChild(table);
      var nb = [];
      for (var q = deg[i]; q < deg[i + 1]; q++) { nb.push(q); }
      nb.sort(function (a, b) { return LW[adjLink[b]] - LW[adjLink[a]] || adj[a] - adj[b]; });
      if (nb.length) {
        container.appendChild(el("div", "bm-item-sub", T("Strongest links ({n})").replace("{n}", String(nb.length))));
        var ul = el("ul", "bm-item-links");
        nb.slice(0, topLinks).forEach(function (q) { ul.appendChild(el("li", "", shorten(labels[adj[q]], 40) + " \u2014 " + fmt(LW[adjLink[q]], data.decimal_mark))); });
        container.appendChild(ul);
      }
      if (data.url && data.url[i] && /^https?:\/\//i.test(data.url[i])) {
        var a = el("a", "bm-item-url", data.url[i]); a.href = data.url[i]; a.target = "_blank"; a.rel = "noopener noreferrer";
        container.appendChild(a);
      }
    }

    function showInfo() {
      if (state.selected < 0) { info.textContent = ""; info.appendChild(el("div", "bm-hint", T("Hover over an item for details; click to highlight its links."))); return; }
      itemDetails(info, state.selected, 10);
    }

    // ---------------------------------------------------------------- interaction
    function itemAt(px, py) {
      var best = -1, bestD = Infinity;
      for (var i = 0; i < n; i++) {
        if (!state.visible[i]) { continue; }
        var dx = sx(X[i]) - px, dy = sy(Y[i]) - py, d = dx * dx + dy * dy, r = diam[i] / 2 + 3;
        if (d <= r * r && d < bestD) { best = i; bestD = d; }
      }
      return best;
    }
    function localPos(ev) { var b = canvas.getBoundingClientRect(); return [ev.clientX - b.left, ev.clientY - b.top]; }

    var drag = null;
    canvas.addEventListener("mousedown", function (ev) { var p = localPos(ev); drag = { x: p[0], y: p[1], cx: state.cx, cy: state.cy, moved: false }; });
    window.addEventListener("mouseup", function (ev) {
      if (!drag) { return; }
      var moved = drag.moved; drag = null;
      if (moved || ev.target !== canvas) { return; }
      var p = localPos(ev), hit = itemAt(p[0], p[1]);
      selectItem(hit, false);
    });
    canvas.addEventListener("mousemove", function (ev) {
      var p = localPos(ev);
      if (drag) {
        var dx = p[0] - drag.x, dy = p[1] - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
        if (drag.moved) {
          state.cx = drag.cx - dx / (base * state.zoom); state.cy = drag.cy + dy / (base * state.zoom);
          tip.style.display = "none"; requestDraw(); return;
        }
      }
      var hit = itemAt(p[0], p[1]);
      if (hit < 0) { tip.style.display = "none"; canvas.style.cursor = "default"; state.hover = -1; return; }
      canvas.style.cursor = "pointer";
      if (hit !== state.hover) { itemDetails(tip, hit, 5); state.hover = hit; }
      tip.style.display = "block";
      var tx = Math.min(p[0] + 14, W - tip.offsetWidth - 4), ty = Math.min(p[1] + 14, H - tip.offsetHeight - 4);
      tip.style.left = Math.max(tx, 0) + "px"; tip.style.top = Math.max(ty, 0) + "px";
    });
    canvas.addEventListener("mouseleave", function () { tip.style.display = "none"; state.hover = -1; });
    canvas.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = localPos(ev), wx0 = wx(p[0]), wy0 = wy(p[1]);
      var z = state.zoom * Math.exp(-ev.deltaY * 0.0015);
      state.zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z));
      state.cx = wx0 - (p[0] - W / 2) / (base * state.zoom); state.cy = wy0 + (p[1] - H / 2) / (base * state.zoom);
      requestDraw();
    }, { passive: false });

    function selectItem(i, center) {
      state.selected = i;
      if (i >= 0 && center) {
        state.cx = X[i]; state.cy = Y[i];
        if (factor[i] > state.zoom && factor[i] < NEVER) { state.zoom = Math.min(MAX_ZOOM, factor[i] * 1.05); }
      }
      showInfo(); requestDraw();
    }

    function runSearch() {
      var qtext = search.value.trim().toLowerCase();
      results.textContent = "";
      if (!qtext) { results.style.display = "none"; return []; }
      var hits = [];
      for (var r = 0; r < n && hits.length < 12; r++) {
        var i = order[r];
        if (String(labels[i]).toLowerCase().indexOf(qtext) >= 0) { hits.push(i); }
      }
      hits.forEach(function (i) {
        var b = el("button", "bm-result", labels[i]); b.type = "button";
        b.addEventListener("click", function () { results.style.display = "none"; selectItem(i, true); });
        results.appendChild(b);
      });
      if (!hits.length) { results.appendChild(el("div", "bm-noresult", T("No item found"))); }
      results.style.display = "block";
      return hits;
    }
    search.addEventListener("input", runSearch);
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { var hits = runSearch(); if (hits.length) { results.style.display = "none"; selectItem(hits[0], true); } }
      if (ev.key === "Escape") { results.style.display = "none"; }
    });

    function syncControls() {
      scoreSel[0].style.display = state.view === "overlay" && scoreNames.length ? "" : "none";
      densSel[0].style.display = state.view === "density" ? "" : "none";
      linksWrap.style.display = curvedWrap.style.display = state.view === "density" ? "none" : "";
      root.setAttribute("data-view", state.view);
    }
    viewSel[1].addEventListener("change", function () { state.view = viewSel[1].value; syncControls(); buildLegend(); requestDraw(); });
    scoreSel[1].addEventListener("change", function () { state.score = scoreSel[1].value; computeScoreRange(); buildLegend(); requestDraw(); });
    densSel[1].addEventListener("change", function () { state.density = densSel[1].value; requestDraw(); });
    sizeSel[1].addEventListener("change", function () { state.sizeWeight = sizeSel[1].value; computeSizes(); computeFactors(); requestDraw(); });
    linksInput.addEventListener("change", function () { state.maxLinks = Math.max(0, parseInt(linksInput.value, 10) || 0); chooseLinks(); requestDraw(); });
    curvedBox.addEventListener("change", function () { state.curved = curvedBox.checked; requestDraw(); });
    resetBtn.addEventListener("click", function () { resetView(); selectItem(-1, false); });
    function zoomBy(f) { state.zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, state.zoom * f)); requestDraw(); }
    zoomIn.addEventListener("click", function () { zoomBy(1.5); });
    zoomOut.addEventListener("click", function () { zoomBy(1 / 1.5); });
    canvas.addEventListener("keydown", function (ev) {
      var step = 60 / (base * state.zoom);
      if (ev.key === "+" || ev.key === "=") { zoomBy(1.25); }
      else if (ev.key === "-") { zoomBy(0.8); }
      else if (ev.key === "ArrowLeft") { state.cx -= step; requestDraw(); }
      else if (ev.key === "ArrowRight") { state.cx += step; requestDraw(); }
      else if (ev.key === "ArrowUp") { state.cy += step; requestDraw(); }
      else if (ev.key === "ArrowDown") { state.cy -= step; requestDraw(); }
      else if (ev.key === "Escape") { selectItem(-1, false); }
      else { return; }
      ev.preventDefault();
    });

    function resize() {
      var b = stage.getBoundingClientRect();
      var w = Math.max(Math.floor(b.width), 50), h = Math.max(Math.floor(b.height), 50);
      dpr = window.devicePixelRatio || 1;
      if (w === W && h === H && canvas.width === Math.round(w * dpr)) { return; }
      W = w; H = h;
      canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
      canvas.style.width = W + "px"; canvas.style.height = H + "px";
      fit(); computeFactors(); draw();
    }

    // ---------------------------------------------------------------- start
    updateVisibility(); computeSizes(); computeScoreRange(); chooseLinks(); resetView();
    syncControls(); buildLegend(); showInfo();
    resize();
    if (window.ResizeObserver) { new ResizeObserver(function () { resize(); requestDraw(); }).observe(stage); }
    else { window.addEventListener("resize", function () { resize(); }); }

    var api = {
      setView: function (v) { viewSel[1].value = v; state.view = v; syncControls(); buildLegend(); draw(); },
      setScore: function (s) { scoreSel[1].value = s; state.score = s; computeScoreRange(); buildLegend(); draw(); },
      setDensity: function (d) { densSel[1].value = d; state.density = d; draw(); },
      select: function (i) { selectItem(i, true); draw(); },
      screenPosition: function (i) { return [sx(X[i]), sy(Y[i])]; },
      state: state, factors: factor, draw: draw
    };
    root.bibliomap = api;
    return api;
  }

  function mountFromPage(rootId) {
    var root = document.getElementById(rootId);
    var data = JSON.parse(document.getElementById(rootId + "-data").textContent);
    return mount(root, data, { idPrefix: root.getAttribute("data-id-prefix") || "" });
  }

  window.BibliomapViewer = { mount: mount, mountFromPage: mountFromPage };
})();
