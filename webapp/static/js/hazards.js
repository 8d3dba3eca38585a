// Optional: fill the coordinates from the device's position. Typing the place always works.
(function () {
  "use strict";
  var wrap = document.querySelector("[data-locate-wrap]");
  if (!wrap || !("geolocation" in navigator)) { return; }
  var button = wrap.querySelector("[data-locate]");
  var status = wrap.querySelector("[data-locate-status]");
  wrap.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = wrap.dataset.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("latitude").value = position.coords.latitude.toFixed(6);
      document.getElementById("longitude").value = position.coords.longitude.toFixed(6);
      status.textContent = wrap.dataset.located;
    }, function () {
      status.textContent = wrap.dataset.failed;
    }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
