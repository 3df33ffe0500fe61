/* Complaint form: dependent selects (point → services, kecamatan → kelurahan), "Gunakan lokasi saya"
   (the browser's geolocation; no map tiles, no third-party requests), anonymous hides and clears contact
   fields, and a friendly early check of the chosen attachments. Everything also works without JavaScript:
   the server checks it all again. */
(function () {
  "use strict";
  var dataNode = document.getElementById("complaint-form-data");
  var form = document.getElementById("complaint-form");
  if (!dataNode || !form) return;
  var data = JSON.parse(dataNode.textContent);
  var text = data.text;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function option(value, label, selected) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    if (selected) o.selected = true;
    return o;
  }

  // Point → services.
  var point = document.getElementById("f-point");
  var service = document.getElementById("f-service");
  var allServices = Array.prototype.map.call(service.options, function (o) { return [o.value, o.textContent]; })
    .filter(function (pair) { return pair[0]; });
  function refreshServices() {
    var chosen = service.value;
    var rows = point.value && data.services[point.value]
      ? data.services[point.value].map(function (r) { return [r.code, r.name]; })
      : allServices;
    service.replaceChildren(option("", text.allServices, false));
    rows.forEach(function (r) { service.appendChild(option(r[0], r[1], r[0] === chosen)); });
  }
  point.addEventListener("change", refreshServices);
  refreshServices();

  // Kecamatan → kelurahan (without a kecamatan, every kelurahan grouped by kecamatan stays).
  var kecamatan = document.getElementById("f-kecamatan");
  var kelurahan = document.getElementById("f-kelurahan");
  var allGroups = kelurahan.cloneNode(true);
  function refreshKelurahan() {
    var chosen = kelurahan.value;
    var rows = data.kelurahan[kecamatan.value];
    if (!kecamatan.value || !rows) {
      kelurahan.replaceChildren.apply(kelurahan, Array.prototype.map.call(allGroups.children, function (n) { return n.cloneNode(true); }));
      kelurahan.value = chosen;
      return;
    }
    kelurahan.replaceChildren(option("", text.allKelurahan, false));
    rows.forEach(function (r) { kelurahan.appendChild(option(r.code, r.name, r.code === chosen)); });
  }
  kecamatan.addEventListener("change", refreshKelurahan);
  kelurahan.addEventListener("change", function () {
    // Picking a kelurahan first fills in its kecamatan.
    if (kecamatan.value || !kelurahan.value) return;
    var group = kelurahan.selectedOptions[0] && kelurahan.selectedOptions[0].parentNode;
    if (group && group.dataset && group.dataset.kecamatan) {
      var chosen = kelurahan.value;
      kecamatan.value = group.dataset.kecamatan;
      refreshKelurahan();
      kelurahan.value = chosen;
    }
  });
  refreshKelurahan();

  // Geolocation.
  var geoButton = document.getElementById("geo-button");
  var geoClear = document.getElementById("geo-clear");
  var geoStatus = document.getElementById("geo-status");
  var lat = document.getElementById("f-latitude");
  var lon = document.getElementById("f-longitude");
  if ("geolocation" in navigator) {
    geoButton.hidden = false;
    geoButton.addEventListener("click", function () {
      geoStatus.textContent = text.locating;
      geoButton.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lon.value = pos.coords.longitude.toFixed(6);
        geoStatus.textContent = format(text.located, { lat: lat.value, lon: lon.value, acc: Math.round(pos.coords.accuracy) });
        geoClear.hidden = false;
        geoButton.disabled = false;
      }, function () {
        geoStatus.textContent = text.denied;
        geoButton.disabled = false;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
  geoClear.addEventListener("click", function () {
    lat.value = "";
    lon.value = "";
    geoStatus.textContent = "";
    geoClear.hidden = true;
  });

  // Identity: anonymous hides and clears the contact fields.
  var contact = document.getElementById("contact-fields");
  var anonymousNote = document.getElementById("anonymous-note");
  function refreshIdentity() {
    var chosen = form.querySelector("input[name=identity]:checked");
    var anonymous = chosen && chosen.value === "anonymous";
    contact.hidden = anonymous;
    anonymousNote.hidden = !anonymous;
    if (anonymous) {
      contact.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    }
  }
  form.querySelectorAll("input[name=identity]").forEach(function (r) { r.addEventListener("change", refreshIdentity); });
  refreshIdentity();

  // Attachments: say early what the server would refuse anyway.
  var files = document.getElementById("f-attachments");
  var filesError = document.getElementById("attachments-client-error");
  files.addEventListener("change", function () {
    var problems = [];
    if (files.files.length > data.maxFiles) problems.push(format(text.tooMany, { n: data.maxFiles }));
    Array.prototype.forEach.call(files.files, function (f) {
      if (f.size > data.maxBytes) problems.push(format(text.tooBig, { name: f.name, mb: data.maxMb }));
    });
    filesError.textContent = problems.join(" ");
    files.setCustomValidity(problems.join(" "));
  });

  // A field the citizen corrects loses its red mark; the server checks it again on submit.
  form.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.classList || !field.classList.contains("is-invalid")) return;
    field.classList.remove("is-invalid");
    field.removeAttribute("aria-invalid");
    var message = document.getElementById("err-" + field.name);
    if (message) message.hidden = true;
  });

  var alertBox = document.getElementById("form-alert");
  if (alertBox) alertBox.focus();
})();
