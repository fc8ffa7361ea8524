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

    var cluster = L.markerClusterGroup ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false }) : L.layerGroup();
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
    if (url) {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var markers = [];
          data.features.forEach(function (f) {
            var c = f.geometry.coordinates;
            var marker = L.circleMarker([c[1], c[0]], { radius: 8, color: "#fff", weight: 2, fillColor: "#0b5d7a", fillOpacity: 1, className: "space-marker" });
            marker.bindPopup('<a href="' + escapeHtml(f.properties.url) + '">' + escapeHtml(f.properties.name) + "</a>");
            markers.push(marker);
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

  function init() {
    var maps = document.querySelectorAll(".lc-map");
    for (var i = 0; i < maps.length; i++) setup(maps[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
