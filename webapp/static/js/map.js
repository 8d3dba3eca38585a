// The site's maps (README "Maps"), on pages that hold a [data-map] element:
// "pick" places a report (tap, drag, or arrow keys and Enter), "reports" is the public
// map, "neighbours" an officer's view of a report and the reports around it.
// The page works without this file: the coordinates fields and the lists stay.
(function () {
  "use strict";
  var Geo = window.PortalGeo;
  var NEARBY_RADIUS_M = 150;
  var SYMBOLS = {
    submitted: "!", investigating: "?", rectifying: "\u2692",
    closed: "\u2713", rejected: "\u2715", duplicate: "="
  };

  function numbers(text) {
    return text.split(",").map(Number);
  }

  function setUp(el) {
    var tiles = JSON.parse(el.getAttribute("data-tiles"));
    var gcj = tiles.crs === "gcj02";
    var area = numbers(el.dataset.area); // west,south,east,north in WGS84
    var m = {
      el: el,
      // A stored (WGS84) point where the tiles draw it, and a point on the tiles as WGS84.
      toMap: function (lat, lng) { return gcj ? Geo.wgs84ToGcj02(lat, lng) : [lat, lng]; },
      fromMap: function (latlng) {
        return gcj ? Geo.gcj02ToWgs84(latlng.lat, latlng.lng) : [latlng.lat, latlng.lng];
      },
      insideArea: function (lat, lng) {
        return lat >= area[1] && lat <= area[3] && lng >= area[0] && lng <= area[2];
      }
    };
    m.map = L.map(el, { keyboard: el.dataset.map !== "pick", maxZoom: tiles.max_zoom });
    m.map.attributionControl.setPrefix(
      '<a href="' + el.dataset.licence + '">Leaflet</a>');
    var options = { maxZoom: tiles.max_zoom, attribution: tiles.attribution };
    if (tiles.subdomains.length) { options.subdomains = tiles.subdomains; }
    L.tileLayer(tiles.url, options).addTo(m.map);
    if (tiles.label_url) { L.tileLayer(tiles.label_url, options).addTo(m.map); }
    m.areaBounds = L.latLngBounds(m.toMap(area[1], area[0]), m.toMap(area[3], area[2]));
    return m;
  }

  // Leaflet moves the icon's own element; its shape (rotated for some states) is inside.
  function stateIcon(state, extraClass) {
    return L.divIcon({
      className: "map-marker-icon" + (extraClass ? " " + extraClass : ""),
      html: '<span class="map-marker map-marker-' + state + '"><span aria-hidden="true">' +
        (SYMBOLS[state] || "\u2022") + "</span></span>",
      iconSize: [36, 36],
      iconAnchor: [18, 18],
      popupAnchor: [0, -18]
    });
  }

  function popupFor(reference, stateLabel, place, url) {
    var box = document.createElement("p");
    var link = document.createElement("a");
    link.href = url;
    link.textContent = reference;
    box.appendChild(link);
    box.appendChild(document.createTextNode(" \u00b7 " + stateLabel + " \u00b7 " + place));
    return box;
  }

  function bboxOf(m, bounds) {
    var sw = m.fromMap(bounds.getSouthWest()), ne = m.fromMap(bounds.getNorthEast());
    var clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)); };
    return [clamp(sw[1], 180), clamp(sw[0], 90), clamp(ne[1], 180), clamp(ne[0], 90)]
      .map(function (v) { return v.toFixed(6); }).join(",");
  }

  // --- Placing a report ------------------------------------------------------

  function pick(el) {
    var m = setUp(el);
    var form = el.closest("form");
    var latField = document.getElementById("latitude");
    var lngField = document.getElementById("longitude");
    var status = document.getElementById(el.dataset.status);
    var nearbyList = document.getElementById(el.dataset.nearby);
    var openStates = el.dataset.openStates.split(",");
    var labels = JSON.parse(el.getAttribute("data-state-labels"));
    var nearbyLayer = L.layerGroup().addTo(m.map);
    var help = document.getElementById(el.getAttribute("aria-describedby"));
    if (help) { help.hidden = false; }
    var placed = null; // the last point set, as the tiles draw it
    L.rectangle(m.areaBounds, {
      fill: false, interactive: false, weight: 2, dashArray: "6 4", color: "#0b4ea2"
    }).addTo(m.map);
    var pin = L.marker(m.areaBounds.getCenter(), {
      draggable: true, keyboard: false, icon: L.divIcon({
        className: "map-pin", html: '<span class="map-pin-drop"></span>',
        iconSize: [30, 30], iconAnchor: [15, 30]
      })
    });

    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("error-message", Boolean(isError));
    }

    function typedPoint() {
      var lat = parseFloat(latField.value), lng = parseFloat(lngField.value);
      return isFinite(lat) && isFinite(lng) ? [lat, lng] : null;
    }

    function showPin(latlng) {
      pin.setLatLng(latlng);
      if (!m.map.hasLayer(pin)) { pin.addTo(m.map); }
    }

    function place(latlng) {
      var wgs = m.fromMap(latlng);
      if (!m.insideArea(wgs[0], wgs[1])) {
        say(el.dataset.outside, true);
        if (placed) { showPin(placed); } else { pin.remove(); }
        return;
      }
      placed = latlng;
      showPin(latlng);
      latField.value = wgs[0].toFixed(6);
      lngField.value = wgs[1].toFixed(6);
      say(el.dataset.placed.replace("{lat}", latField.value).replace("{lng}", lngField.value));
      showNearby(wgs);
    }

    function followFields() {
      var point = typedPoint();
      if (!point) { return; }
      var latlng = L.latLng(m.toMap(point[0], point[1]));
      showPin(latlng);
      if (m.insideArea(point[0], point[1])) {
        placed = latlng;
        m.map.setView(latlng, Math.max(m.map.getZoom(), 16));
        showNearby(point);
      }
    }

    function chosenCategory() {
      var checked = form.querySelector("input[name=category]:checked");
      return checked ? checked.value : "";
    }

    function showNearby(wgs) {
      nearbyLayer.clearLayers();
      nearbyList.textContent = "";
      var category = chosenCategory();
      if (!category) { return; }
      var d = NEARBY_RADIUS_M / 111320;
      var dLng = d / Math.max(Math.cos(wgs[0] * Math.PI / 180), 0.01);
      var box = [wgs[1] - dLng, wgs[0] - d, wgs[1] + dLng, wgs[0] + d]
        .map(function (v) { return v.toFixed(6); }).join(",");
      var url = el.dataset.geojson + "?bbox=" + box + "&category=" + encodeURIComponent(category);
      fetch(url, { credentials: "omit" }).then(function (answer) {
        return answer.ok ? answer.json() : { features: [] };
      }).then(function (data) {
        data.features.forEach(function (feature) {
          var p = feature.properties, c = feature.geometry.coordinates;
          var metres = Geo.distanceM(wgs[0], wgs[1], c[1], c[0]);
          if (openStates.indexOf(p.state) < 0 || metres > NEARBY_RADIUS_M) { return; }
          L.marker(m.toMap(c[1], c[0]), {
            icon: stateIcon(p.state, "map-marker-nearby"), title: p.reference, keyboard: false
          }).bindPopup(popupFor(p.reference, labels[p.state], p.place, p.url)).addTo(nearbyLayer);
          var item = document.createElement("li");
          item.appendChild(popupFor(p.reference, labels[p.state], p.place, p.url));
          nearbyList.appendChild(item);
        });
        nearbyList.parentNode.hidden = !nearbyList.children.length;
      }).catch(function () { /* the hint is a help, not a step: the form still works */ });
    }

    function onKey(event) {
      var step = event.shiftKey ? 60 : 15;
      var moves = { ArrowUp: [0, -step], ArrowDown: [0, step], ArrowLeft: [-step, 0], ArrowRight: [step, 0] };
      if (moves[event.key]) {
        event.preventDefault();
        var start = m.map.hasLayer(pin) ? pin.getLatLng() : m.map.getCenter();
        var point = m.map.latLngToContainerPoint(start).add(moves[event.key]);
        var latlng = m.map.containerPointToLatLng(point);
        showPin(latlng);
        if (!m.map.getBounds().pad(-0.1).contains(latlng)) { m.map.panTo(latlng); }
        say(el.dataset.moving);
      } else if (event.key === "Enter" && m.map.hasLayer(pin)) {
        event.preventDefault();
        place(pin.getLatLng());
      } else if (event.key === "+" || event.key === "=") {
        m.map.zoomIn();
      } else if (event.key === "-") {
        m.map.zoomOut();
      }
    }

    m.map.fitBounds(m.areaBounds);
    followFields();
    m.map.on("click", function (event) { place(event.latlng); });
    pin.on("dragend", function () { place(pin.getLatLng()); });
    el.addEventListener("keydown", onKey);
    [latField, lngField].forEach(function (field) {
      field.addEventListener("change", followFields);
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "category" && placed) { showNearby(m.fromMap(placed)); }
    });
    form.addEventListener("submit", function (event) {
      var point = typedPoint();
      if (point && !m.insideArea(point[0], point[1]) && !event.submitter?.name) {
        event.preventDefault();
        say(el.dataset.outside, true);
        latField.focus();
      }
    });
  }

  // --- The public map ----------------------------------------------------------

  function reports(el) {
    var m = setUp(el);
    var labels = JSON.parse(el.getAttribute("data-state-labels"));
    var status = document.getElementById(el.dataset.status);
    var filters = new URLSearchParams(el.dataset.filters);
    var cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    var loaded = null; // { bounds, truncated } of the last answer
    m.map.addLayer(cluster);

    // The view rounded out to a grid of two tiles' width at this zoom: nearby views ask
    // the same URL, which the server's page cache then answers for every visitor.
    function snapped(bounds) {
      var step = 720 / Math.pow(2, m.map.getZoom());
      var sw = bounds.getSouthWest(), ne = bounds.getNorthEast();
      return L.latLngBounds(
        [Math.floor(sw.lat / step) * step, Math.floor(sw.lng / step) * step],
        [Math.ceil(ne.lat / step) * step, Math.ceil(ne.lng / step) * step]);
    }

    function load() {
      var view = m.map.getBounds();
      if (loaded && !loaded.truncated && loaded.bounds.contains(view)) { return; }
      var wanted = snapped(view);
      filters.set("bbox", bboxOf(m, wanted));
      fetch(el.dataset.geojson + "?" + filters.toString(), { credentials: "omit" })
        .then(function (answer) {
          if (!answer.ok) { throw new Error(answer.status); }
          return answer.json();
        })
        .then(function (data) {
          loaded = { bounds: wanted, truncated: data.truncated };
          cluster.clearLayers();
          cluster.addLayers(data.features.map(function (feature) {
            var p = feature.properties, c = feature.geometry.coordinates;
            return L.marker(m.toMap(c[1], c[0]), {
              icon: stateIcon(p.state), title: p.reference + " \u00b7 " + labels[p.state]
            }).bindPopup(popupFor(p.reference, labels[p.state], p.place, p.url));
          }));
          status.textContent = data.truncated ? el.dataset.truncated :
            el.dataset.shown.replace("{count}", data.features.length);
        })
        .catch(function () {
          loaded = null;
          status.textContent = el.dataset.failed;
        });
    }

    m.map.on("moveend", load);
    m.map.fitBounds(m.areaBounds);
    load();
  }

  // --- An officer's report and its neighbours -------------------------------------

  function neighbours(el) {
    var m = setUp(el);
    var points = JSON.parse(el.getAttribute("data-points"));
    var self = points[0];
    var centre = m.toMap(self.lat, self.lng);
    L.circle(centre, {
      radius: NEARBY_RADIUS_M, fill: false, weight: 2, dashArray: "6 4", interactive: false
    }).addTo(m.map);
    points.forEach(function (p, index) {
      L.marker(m.toMap(p.lat, p.lng), {
        icon: stateIcon(p.state, index === 0 ? "map-marker-self" : ""),
        title: p.reference + " \u00b7 " + p.label,
        zIndexOffset: index === 0 ? 1000 : 0
      }).bindPopup(popupFor(p.reference, p.label, p.place, p.url)).addTo(m.map);
    });
    m.map.fitBounds(L.latLng(centre).toBounds(2.4 * NEARBY_RADIUS_M));
    // The queue link follows the map: the reports in the view the officer is looking at.
    var link = document.querySelector("[data-map-view-link]");
    if (link) {
      m.map.on("moveend", function () {
        link.href = link.dataset.mapViewLink + "?bbox=" + bboxOf(m, m.map.getBounds());
      });
    }
  }

  var modes = { pick: pick, reports: reports, neighbours: neighbours };
  var script = document.currentScript;

  // Leaflet is loaded only when a map comes near the screen: the page is ready first.
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  var loading = null;
  function leaflet() {
    if (!loading) {
      loading = loadScript(script.dataset.leaflet).then(function () {
        return script.dataset.cluster ? loadScript(script.dataset.cluster) : null;
      });
    }
    return loading;
  }

  function whenNear(el, start) {
    if (!("IntersectionObserver" in window)) { start(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        start();
      }
    }, { rootMargin: "300px" });
    observer.observe(el);
  }

  document.querySelectorAll("[data-map]").forEach(function (el) {
    var mode = modes[el.dataset.map];
    if (!mode || !Geo || !window.Promise) { return; }
    el.hidden = false;
    whenNear(el, function () {
      leaflet().then(function () { mode(el); }, function () { el.hidden = true; });
    });
  });
})();
