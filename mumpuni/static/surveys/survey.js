/* SKM questionnaire: tap a chosen answer again to clear it (a blank is allowed), count the answered
   questions, and tell the tablet's poll how long the page has been left alone. */
(function () {
  "use strict";
  var lastTouch = Date.now();
  window.skmIdleSeconds = function () { return (Date.now() - lastTouch) / 1000; };
  ["pointerdown", "keydown", "input", "scroll"].forEach(function (name) {
    document.addEventListener(name, function () { lastTouch = Date.now(); }, { passive: true, capture: true });
  });

  var form = document.getElementById("skm-form");
  if (!form) { return; }
  var chosen = {};
  form.querySelectorAll("input.skm-answer:checked").forEach(function (input) { chosen[input.name] = input.value; });

  function count() {
    var answered = 0;
    for (var i = 1; i <= 9; i++) {
      if (form.querySelector("input[name=u" + i + "]:checked")) { answered++; }
    }
    var out = document.getElementById("skm-count");
    if (out) { out.textContent = String(answered); }
  }

  form.addEventListener("click", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("skm-answer")) { return; }
    if (chosen[input.name] === input.value) {
      input.checked = false;
      delete chosen[input.name];
    } else {
      chosen[input.name] = input.value;
    }
    count();
  });
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button) { button.disabled = true; }
    // A disabled submitter is not sent: keep its name/value in a hidden field.
    if (button && button.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
      form.appendChild(hidden);
    }
  });
  count();
})();
