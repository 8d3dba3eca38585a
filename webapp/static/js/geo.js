// WGS84 <-> GCJ-02, the same as webapp/common/geo.py (tests/browser/test_map.py checks
// that the two agree). Reports are stored in WGS84; GCJ-02 tiles draw them shifted.
(function () {
  "use strict";
  var A = 6378245.0;
  var EE = 0.00669342162296594323;
  var PI = Math.PI;

  function outsideChina(lat, lng) {
    return !(lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271);
  }

  function offsetLatitude(x, y) {
    var v = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    v += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    v += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    v += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    return v;
  }

  function offsetLongitude(x, y) {
    var v = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    v += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    v += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    v += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    return v;
  }

  function wgs84ToGcj02(lat, lng) {
    if (outsideChina(lat, lng)) { return [lat, lng]; }
    var x = lng - 105.0, y = lat - 35.0;
    var radLat = lat / 180.0 * PI;
    var magic = 1 - EE * Math.pow(Math.sin(radLat), 2);
    var dLat = (offsetLatitude(x, y) * 180.0) / ((A * (1 - EE)) / (magic * Math.sqrt(magic)) * PI);
    var dLng = (offsetLongitude(x, y) * 180.0) / (A / Math.sqrt(magic) * Math.cos(radLat) * PI);
    return [lat + dLat, lng + dLng];
  }

  function gcj02ToWgs84(lat, lng) {
    if (outsideChina(lat, lng)) { return [lat, lng]; }
    var guessLat = lat, guessLng = lng;
    for (var step = 0; step < 30; step++) {
      var drawn = wgs84ToGcj02(guessLat, guessLng);
      var errLat = drawn[0] - lat, errLng = drawn[1] - lng;
      guessLat -= errLat;
      guessLng -= errLng;
      if (Math.max(Math.abs(errLat), Math.abs(errLng)) < 1e-7) { break; }
    }
    return [guessLat, guessLng];
  }

  function distanceM(lat1, lng1, lat2, lng2) {
    var rad = PI / 180, dLat = (lat2 - lat1) * rad, dLng = (lng2 - lng1) * rad;
    var a = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dLng / 2), 2);
    return 2 * 6371000 * Math.asin(Math.sqrt(a));
  }

  window.PortalGeo = {
    outsideChina: outsideChina,
    wgs84ToGcj02: wgs84ToGcj02,
    gcj02ToWgs84: gcj02ToWgs84,
    distanceM: distanceM
  };
})();
