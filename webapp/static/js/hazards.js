// Optional helps on the report form; typing the place always works.
// - "Use my current position" fills the coordinates from the device.
// - A photo's GPS position fills them when they are empty (the server reads it too).
// Filled fields announce a "change", so the map's pin (js/map.js) follows them.
(function () {
  "use strict";
  var latField = document.getElementById("latitude");
  var lngField = document.getElementById("longitude");
  if (!latField || !lngField) { return; }

  function fill(lat, lng) {
    latField.value = lat.toFixed(6);
    lngField.value = lng.toFixed(6);
    latField.dispatchEvent(new Event("change", { bubbles: true }));
  }

  var wrap = document.querySelector("[data-locate-wrap]");
  if (wrap && "geolocation" in navigator) {
    var button = wrap.querySelector("[data-locate]");
    var status = wrap.querySelector("[data-locate-status]");
    wrap.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = wrap.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        fill(position.coords.latitude, position.coords.longitude);
        status.textContent = wrap.dataset.located;
      }, function () {
        status.textContent = wrap.dataset.failed;
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  // The GPS position in a JPEG's EXIF block, or null.
  function exifGps(view) {
    if (view.getUint16(0) !== 0xFFD8) { return null; }
    var offset = 2;
    while (offset + 4 < view.byteLength) {
      var marker = view.getUint16(offset), size = view.getUint16(offset + 2);
      if (marker === 0xFFE1 && view.getUint32(offset + 4) === 0x45786966) {
        return tiffGps(view, offset + 10);
      }
      offset += 2 + size;
    }
    return null;
  }

  function tiffGps(view, tiff) {
    var little = view.getUint16(tiff) === 0x4949;
    var u16 = function (at) { return view.getUint16(at, little); };
    var u32 = function (at) { return view.getUint32(at, little); };
    function entries(ifd) {
      var found = {}, count = u16(tiff + ifd);
      for (var i = 0; i < count; i++) {
        var at = tiff + ifd + 2 + i * 12;
        found[u16(at)] = { count: u32(at + 4), value: at + 8 };
      }
      return found;
    }
    var gpsEntry = entries(u32(tiff + 4))[0x8825];
    if (!gpsEntry) { return null; }
    var gps = entries(u32(gpsEntry.value));
    function degrees(tag) {
      var start = tiff + u32(gps[tag].value), parts = [];
      for (var i = 0; i < 3; i++) { parts.push(u32(start + i * 8) / u32(start + i * 8 + 4)); }
      return parts[0] + parts[1] / 60 + parts[2] / 3600;
    }
    function ref(tag) { return String.fromCharCode(view.getUint8(gps[tag].value)); }
    if (!gps[2] || !gps[4]) { return null; }
    var lat = degrees(2) * (gps[1] && ref(1) === "S" ? -1 : 1);
    var lng = degrees(4) * (gps[3] && ref(3) === "W" ? -1 : 1);
    return isFinite(lat) && isFinite(lng) ? [lat, lng] : null;
  }

  var photos = document.getElementById("photos");
  if (photos && window.DataView && Blob.prototype.arrayBuffer) {
    photos.addEventListener("change", function () {
      var file = photos.files[0];
      if (!file || latField.value || lngField.value) { return; }
      file.slice(0, 256 * 1024).arrayBuffer().then(function (buffer) {
        var point = null;
        try { point = exifGps(new DataView(buffer)); } catch (error) { point = null; }
        if (point) { fill(point[0], point[1]); }
      });
    });
  }
})();
