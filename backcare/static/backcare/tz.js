// Sign-up: start the time zone list at the zone this device is set to, when backcare knows it.
// Without this script the list starts at the deployment's default and the person picks.
(function () {
  "use strict";
  var select = document.querySelector("select[name=timezone][data-guess]");
  if (!select || !window.Intl) { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && select.querySelector('option[value="' + zone + '"]')) { select.value = zone; }
})();
