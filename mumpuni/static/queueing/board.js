/* Display board: polls the board's JSON every second, redraws, and speaks each new call in Indonesian.
   The spoken sentence comes from the server (Python's terbilang); this script only says it. */
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) return;
  var url = board.dataset.url;
  var lastEvent = board.dataset.lastEvent ? parseInt(board.dataset.lastEvent, 10) : 0;
  var soundButton = document.getElementById("board-sound");
  var soundOn = false;
  var busy = false;

  function text(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = value;
  }

  function speak(sentence) {
    if (!soundOn || !("speechSynthesis" in window) || !sentence) return;
    var utterance = new SpeechSynthesisUtterance(sentence);
    utterance.lang = "id-ID";
    utterance.rate = 0.9;
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().indexOf("id") === 0) { utterance.voice = voices[i]; break; }
    }
    window.speechSynthesis.speak(utterance);
  }

  function row(cells) {
    var li = document.createElement("li");
    cells.forEach(function (c) {
      var span = document.createElement("span");
      if (c[1]) span.className = c[1];
      span.textContent = c[0];
      li.appendChild(span);
    });
    return li;
  }

  function render(state) {
    text("board-clock", state.time);
    var counters = document.getElementById("board-counters");
    counters.replaceChildren.apply(counters, state.counters.map(function (c) {
      var div = document.createElement("div");
      div.className = "board-counter" + (c.paused ? " paused" : "");
      div.dataset.counter = c.id;
      var name = document.createElement("span"); name.className = "name"; name.textContent = c.name;
      var num = document.createElement("span"); num.className = "number";
      num.textContent = c.paused ? "Istirahat" : (c.ticket || "—");
      div.appendChild(name); div.appendChild(num);
      return div;
    }));
    var recent = document.getElementById("board-recent");
    recent.replaceChildren.apply(recent, state.recent.map(function (r) {
      return row([[r.number, "number"], [r.counter, ""], [r.at, "time"]]);
    }));
    var waiting = document.getElementById("board-waiting");
    waiting.replaceChildren.apply(waiting, state.waiting.map(function (w) {
      return row([[w.letter + " · " + w.service, ""], [String(w.waiting), "number"]]);
    }));
    var latest = state.latest;
    if (latest && latest.event !== lastEvent) {
      lastEvent = latest.event;
      board.dataset.lastEvent = String(latest.event);
      text("board-latest-number", latest.number);
      text("board-latest-counter", latest.counter);
      var caption = document.getElementById("board-caption");
      caption.textContent = latest.text;
      caption.dataset.spoken = latest.text;
      var section = caption.parentElement;
      section.classList.remove("flash"); void section.offsetWidth; section.classList.add("flash");
      speak(latest.text);
    }
  }

  function poll() {
    if (busy) return;
    busy = true;
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) render(state); })
      .catch(function () { /* the network blinked: the next tick tries again */ })
      .finally(function () { busy = false; });
  }

  // Browsers only speak after a user gesture: a TV is set up once with one click on this button.
  if (soundButton) {
    soundButton.addEventListener("click", function () {
      soundOn = !soundOn;
      soundButton.setAttribute("aria-pressed", String(soundOn));
      soundButton.classList.toggle("active", soundOn);
      if (soundOn) speak("Suara papan antrean aktif");
    });
  }
  setInterval(poll, 1000);
})();
