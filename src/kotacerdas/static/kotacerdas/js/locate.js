// "Use my location" on the PECUT form: fills latitude and longitude from the phone's GPS.
// Without JavaScript, or without a GPS, the fields are typed by hand or left empty.
(function () {
  var button = document.getElementById("use-location");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    button.setAttribute("aria-busy", "true");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        document.getElementById("lat").value = position.coords.latitude.toFixed(6);
        document.getElementById("long").value = position.coords.longitude.toFixed(6);
        button.removeAttribute("aria-busy");
      },
      function () { button.removeAttribute("aria-busy"); },
      { enableHighAccuracy: true, timeout: 15000 }
    );
  });
})();
