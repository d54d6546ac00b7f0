/* Rehearsal timers: start, stop and reset by button or key; the band (under, on target, over)
   comes from the data-low/data-high seconds the build wrote from rules.yml `speaking`.
   Time is read through HandbookTimer.now (Date.now by default), so tests can drive the clock. */
(function () {
  "use strict";

  if (window.HandbookTimer) {
    window.HandbookTimer.setup();
    return;
  }

  var BANDS = {
    under: "Under target",
    on: "On target",
    over: "Over target",
  };

  function clock(seconds) {
    var s = Math.floor(seconds);
    var m = Math.floor(s / 60);
    return m + ":" + String(s % 60).padStart(2, "0");
  }

  function bandOf(seconds, low, high) {
    if (seconds < low) return "under";
    if (seconds <= high) return "on";
    return "over";
  }

  function Timer(el) {
    this.el = el;
    this.low = Number(el.dataset.low);
    this.high = Number(el.dataset.high);
    this.limit = this.high + (this.high - this.low);
    this.elapsedBefore = 0; // ms accumulated before the current run
    this.startedAt = null; // api.now() when the current run started
    this.tick = null;
    this.face = el.querySelector("[data-clock]");
    this.bandEl = el.querySelector("[data-band-text]");
    this.fill = el.querySelector("[data-fill]");
    this.startButton = el.querySelector("[data-start]");
    this.resetButton = el.querySelector("[data-reset]");
    var self = this;
    this.startButton.addEventListener("click", function () { self.toggle(); });
    this.resetButton.addEventListener("click", function () { self.reset(); });
    el.addEventListener("keydown", function (e) { self.key(e); });
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    this.render();
  }

  Timer.prototype.elapsed = function () {
    var ms = this.elapsedBefore + (this.startedAt === null ? 0 : api.now() - this.startedAt);
    return Math.max(0, ms) / 1000;
  };

  Timer.prototype.running = function () {
    return this.startedAt !== null;
  };

  Timer.prototype.toggle = function () {
    if (this.running()) {
      this.elapsedBefore += api.now() - this.startedAt;
      this.startedAt = null;
      clearInterval(this.tick);
      this.tick = null;
    } else {
      this.startedAt = api.now();
      var self = this;
      this.tick = setInterval(function () { self.render(); }, 250);
    }
    this.render();
  };

  Timer.prototype.reset = function () {
    if (this.running()) {
      clearInterval(this.tick);
      this.tick = null;
    }
    this.startedAt = null;
    this.elapsedBefore = 0;
    this.render();
  };

  /* Change the target band (seconds), as the rehearsal log does for a playbook's 30–60 s. */
  Timer.prototype.setBand = function (low, high) {
    this.low = low;
    this.high = high;
    this.limit = high + (high - low);
    this.el.dataset.low = String(low);
    this.el.dataset.high = String(high);
    this.el.dataset.band = "";
    var target = this.el.querySelector(".hb-timer-target");
    if (target) {
      target.style.left = (low / this.limit) * 100 + "%";
      target.style.width = ((high - low) / this.limit) * 100 + "%";
    }
    this.render();
  };

  Timer.prototype.key = function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var key = e.key.toLowerCase();
    var onButton = e.target.tagName === "BUTTON";
    if ((key === " " && !onButton) || key === "k") {
      e.preventDefault();
      e.stopPropagation();
      this.toggle();
    } else if (key === "r") {
      e.preventDefault();
      e.stopPropagation();
      this.reset();
    }
  };

  Timer.prototype.render = function () {
    var seconds = this.elapsed();
    var band = bandOf(seconds, this.low, this.high);
    this.face.textContent = clock(seconds);
    this.face.setAttribute("aria-label", "Elapsed " + Math.floor(seconds / 60) + " minutes " + Math.floor(seconds % 60) + " seconds");
    if (this.el.dataset.band !== band) {
      this.el.dataset.band = band;
      this.bandEl.dataset.band = band;
      this.bandEl.textContent = BANDS[band];
    }
    this.fill.style.width = Math.min(100, (seconds / this.limit) * 100) + "%";
    var running = this.running();
    this.el.dataset.running = running ? "true" : "false";
    this.startButton.textContent = running ? "Stop" : seconds > 0 ? "Resume" : "Start";
    this.startButton.setAttribute("aria-pressed", running ? "true" : "false");
  };

  var api = {
    now: function () { return Date.now(); },
    timers: [],
    bandOf: bandOf,
    setup: function () {
      Array.prototype.forEach.call(document.querySelectorAll("[data-timer]"), function (el) {
        if (el.hbTimer) return;
        el.hbTimer = new Timer(el);
        api.timers.push(el.hbTimer);
      });
    },
  };

  window.HandbookTimer = api;
  api.setup();
})();
