/* Maps of the atlas. Data come from data-* attributes or a same-origin GeoJSON URL (no inline script: CSP).
   Without a tile server the map is a plain background with area centres and markers, which still works. */
(function () {
  "use strict";

  function parse(el, name, fallback) {
    var raw = el.getAttribute(name);
    if (!raw) return fallback;
    try { return JSON.parse(raw); } catch (e) { return fallback; }
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function setup(el) {
    if (typeof L === "undefined") return;
    var centre = parse(el, "data-centre", [21.3273, 103.921]);
    var map = L.map(el, { scrollWheelZoom: false, maxZoom: 18, minZoom: 6 }).setView(centre, 12);
    el.lcMap = map;
    var tileUrl = el.getAttribute("data-tile-url");
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 19, attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
    }
    var bounds = [];
    var areas = parse(el, "data-areas", []);
    var areaLayer = L.layerGroup().addTo(map);
    areas.forEach(function (a) {
      if (a.lat == null || a.lon == null) return;
      L.circle([a.lat, a.lon], { radius: 350, className: "area-centre", color: "#4a5560", weight: 1, fillOpacity: 0.08 })
        .bindTooltip(escapeHtml(a.name))
        .addTo(areaLayer);
    });

    var coverage = parse(el, "data-coverage", null);
    if (coverage) {
      coverage.features.forEach(function (f) {
        var c = f.geometry.coordinates, p = f.properties;
        var ll = [c[1], c[0]];
        bounds.push(ll);
        L.circle(ll, {
          radius: p.radius_m,
          color: p.gap ? "#a4001d" : "#1d6b2f",
          weight: 2,
          fillOpacity: p.gap ? 0.25 : 0.08,
          className: p.gap ? "coverage-gap" : "coverage-ok"
        }).bindPopup("<strong>" + escapeHtml(p.name) + "</strong><br>" + p.spaces + " " +
          escapeHtml(el.getAttribute("data-label-spaces")) +
          (p.gap ? "<br>" + escapeHtml(el.getAttribute("data-label-gap")) : "")).addTo(map);
      });
    }

    var cluster = L.markerClusterGroup ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, animate: false }) : L.layerGroup();
    cluster.addTo(map);

    function addPoint(lat, lon, name, url) {
      var marker = L.circleMarker([lat, lon], { radius: 8, color: "#fff", weight: 2, fillColor: "#0b5d7a", fillOpacity: 1, className: "space-marker" });
      var html = url ? '<a href="' + escapeHtml(url) + '">' + escapeHtml(name) + "</a>" : escapeHtml(name);
      marker.bindPopup(html);
      cluster.addLayer(marker);
      bounds.push([lat, lon]);
      return marker;
    }

    var points = parse(el, "data-points", null);
    if (points) {
      points.forEach(function (p) { addPoint(p.lat, p.lon, p.name, null); });
      if (points.length === 1) {
        map.setView([points[0].lat, points[0].lon], 15, { animate: false });
        el.setAttribute("data-ready", "1");
        el.setAttribute("data-markers", "1");
        return;
      }
    }
    var url = el.getAttribute("data-geojson");
    function finish(count) {
      if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15, animate: false });
      el.setAttribute("data-markers", String(count));
      el.setAttribute("data-ready", "1");
    }
    function marker(f) {
      var c = f.geometry.coordinates;
      var m = L.circleMarker([c[1], c[0]], { radius: 8, color: "#fff", weight: 2, fillColor: "#0b5d7a", fillOpacity: 1, className: "space-marker" });
      m.bindPopup('<a href="' + escapeHtml(f.properties.url) + '">' + escapeHtml(f.properties.name) + "</a>");
      return m;
    }
    if (url && el.getAttribute("data-bbox")) {
      setupBbox(el, map, cluster, url, marker);
    } else if (url) {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var markers = [];
          data.features.forEach(function (f) {
            var c = f.geometry.coordinates;
            markers.push(marker(f));
            bounds.push([c[1], c[0]]);
          });
          if (cluster.addLayers) cluster.addLayers(markers); else markers.forEach(function (m) { cluster.addLayer(m); });
          finish(markers.length);
        })
        .catch(function () { finish(0); });
    } else {
      finish(points ? points.length : 0);
    }
  }

  /* The spaces in view, tile by tile: the view is covered by square tiles of a grid whose size follows the zoom
     (at most 10 degrees, the API's largest bbox), each fetched once (`?bbox=` of the tile: the same URL for every
     visitor, so the server's page cache, the ETag and the browser's cache all hold), after the map has stopped
     moving for a moment, at most MAX_TILES of them (the nearest to the centre) and at most 2 at once (a weak
     connection is not flooded). A marker is added once, whatever tiles bring it. */
  var MAX_TILES = 12, PARALLEL = 2, DEBOUNCE_MS = 300;

  function setupBbox(el, map, cluster, url, marker) {
    var sep = url.indexOf("?") === -1 ? "?" : "&";
    var loaded = {}, seen = {}, count = 0, truncated = false, generation = 0;
    var more = el.parentNode ? el.parentNode.querySelector(".map-more") : null;
    var extent = parse(el, "data-extent", null);
    if (extent) map.fitBounds(extent, { padding: [20, 20], maxZoom: 15, animate: false });

    function tilesInView() {
      var z = Math.max(6, Math.min(12, map.getZoom() - 2));
      var step = 360 / Math.pow(2, z);
      var b = map.getBounds(), c = map.getCenter();
      var west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
      var south = Math.max(-90, b.getSouth()), north = Math.min(90, b.getNorth());
      var tiles = [];
      for (var x = Math.floor((west + 180) / step); x * step - 180 < east; x++) {
        for (var y = Math.floor((south + 90) / step); y * step - 90 < north; y++) {
          var w = x * step - 180, s = y * step - 90;
          var box = [w, s, Math.min(180, w + step), Math.min(90, s + step)];
          var d = Math.abs(w + step / 2 - c.lng) + Math.abs(s + step / 2 - c.lat);
          tiles.push({ key: box.join(","), d: d });
        }
      }
      tiles.sort(function (a, b2) { return a.d - b2.d; });
      if (tiles.length > MAX_TILES) truncated = true;
      tiles = tiles.slice(0, MAX_TILES);
      tiles.forEach(function (t) { if (loaded[t.key] === "more") truncated = true; });
      return tiles;
    }

    function show() {
      el.setAttribute("data-markers", String(count));
      if (more) {
        more.textContent = el.getAttribute("data-label-more") || "";
        more.hidden = !truncated;
      }
    }

    function load() {
      var mine = ++generation;
      truncated = false;
      var queue = tilesInView().filter(function (t) { return !loaded[t.key]; });
      var running = 0;
      el.setAttribute("data-loading", "1");
      function next() {
        if (mine !== generation) return;  // the map moved on: the new view's tiles come first
        if (!queue.length) {
          if (!running) {
            el.removeAttribute("data-loading");
            show();
            el.setAttribute("data-ready", "1");
          }
          return;
        }
        var tile = queue.shift();
        running++;
        fetch(url + sep + "bbox=" + tile.key, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
          .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
          .then(function (data) {
            loaded[tile.key] = data.truncated ? "more" : "all";
            if (data.truncated) truncated = true;
            var markers = [];
            data.features.forEach(function (f) {
              if (seen[f.id]) return;
              seen[f.id] = true;
              markers.push(marker(f));
            });
            count += markers.length;
            if (cluster.addLayers) cluster.addLayers(markers); else markers.forEach(function (m) { cluster.addLayer(m); });
          })
          .catch(function () { /* a failed tile is asked again at the next move */ })
          .then(function () { running--; next(); });
      }
      for (var i = 0; i < PARALLEL; i++) next();
    }

    var timer = null;
    map.on("moveend", function () {
      clearTimeout(timer);
      timer = setTimeout(load, DEBOUNCE_MS);
    });
    load();
  }

  function init() {
    var maps = document.querySelectorAll(".lc-map");
    for (var i = 0; i < maps.length; i++) setup(maps[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
