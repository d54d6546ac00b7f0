/* The rehearsal log: score a timed run with the rubric (1–4 for each part), keep runs in this
   browser (localStorage), export them as `rehearsals:` YAML for the kit and import them back,
   and order what to rehearse next the Leitner way (weakest and least recently practised first).
   The person's kit runs come from the JSON island the build wrote; text is set with textContent. */
(function () {
  "use strict";

  var PASS = 3; // a run whose average score is at least this moves its item up a box
  var TOP_BOX = 5;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function pad(n) { return String(n).padStart(2, "0"); }

  var api = {
    today: function () {
      var d = new Date();
      return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    },
  };

  function total(run) {
    return Object.keys(run.scores).reduce(function (sum, k) { return sum + run.scores[k]; }, 0);
  }

  function average(run) {
    return total(run) / Object.keys(run.scores).length;
  }

  function key(run) {
    return JSON.stringify([run.item, run.date, run.seconds === undefined ? null : run.seconds, run.by || null, run.scores]);
  }

  /* The Leitner order: items never practised first (box 0, in the kit's order); then by box,
     the older last run first, the lower last score first. runs are in the order they happened. */
  function schedule(items, runs) {
    var state = {};
    items.forEach(function (item, i) { state[item.id] = { item: item, index: i, box: 0, last: "", lastTotal: 0, runs: 0 }; });
    runs.slice().sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order; }).forEach(function (run) {
      var s = state[run.item];
      if (!s) return;
      s.box = average(run) >= PASS ? Math.min(Math.max(s.box, 1) + 1, TOP_BOX) : 1;
      s.last = run.date;
      s.lastTotal = total(run);
      s.runs += 1;
    });
    return Object.keys(state).map(function (k) { return state[k]; }).sort(function (a, b) {
      if (a.box !== b.box) return a.box - b.box;
      if (a.last !== b.last) return a.last < b.last ? -1 : 1;
      if (a.lastTotal !== b.lastTotal) return a.lastTotal - b.lastTotal;
      return a.index - b.index;
    });
  }

  function Log(root) {
    this.root = root;
    this.data = JSON.parse(root.querySelector("[data-practice-data]").textContent);
    this.storageKey = this.data.storageKey;
    this.person = root.querySelector("[data-rehearsal-person]");
    this.itemSelect = root.querySelector("[data-rehearsal-item]");
    this.seconds = root.querySelector("[data-rehearsal-seconds]");
    this.rubricBox = root.querySelector("[data-rehearsal-rubric]");
    this.status = root.querySelector("[data-rehearsal-status]");
    this.next = root.querySelector("[data-rehearsal-next]");
    this.logBody = root.querySelector("[data-rehearsal-log] tbody");
    this.exportBox = root.querySelector("[data-rehearsal-export]");
    this.importBox = root.querySelector("[data-rehearsal-import]");
    this.importStatus = root.querySelector("[data-rehearsal-import-status]");
    this.kitFile = root.querySelector("[data-rehearsal-kitfile]");
    this.timerEl = root.querySelector("[data-timer]");
    var self = this;
    this.data.people.forEach(function (p, i) {
      var option = el("option", p.owner);
      option.value = String(i);
      self.person.appendChild(option);
    });
    this.buildRubric();
    this.person.addEventListener("change", function () { self.refresh(); });
    this.itemSelect.addEventListener("change", function () { self.band(); });
    root.querySelector("[data-rehearsal-form]").addEventListener("submit", function (e) { e.preventDefault(); self.save(); });
    root.querySelector("[data-rehearsal-download]").addEventListener("click", function () { self.download(); });
    root.querySelector("[data-rehearsal-import-button]").addEventListener("click", function () { self.importText(self.importBox.value); });
    root.querySelector("[data-rehearsal-noscript]").hidden = true;
    root.querySelector("[data-rehearsal-ui]").hidden = false;
    this.refresh();
  }

  Log.prototype.buildRubric = function () {
    var box = this.rubricBox;
    this.data.rubric.forEach(function (part) {
      var fieldset = el("fieldset", null, "hb-rubric-part");
      var legend = el("legend", part.label);
      fieldset.appendChild(legend);
      var hint = el("span", part.prompt, "hb-hint");
      hint.id = "hb-rubric-" + part.key + "-hint";
      fieldset.setAttribute("aria-describedby", hint.id);
      fieldset.appendChild(hint);
      var row = el("span", null, "hb-rubric-scale");
      for (var v = part.min; v <= part.max; v++) {
        var label = el("label");
        var input = el("input");
        input.type = "radio";
        input.name = "hb-rubric-" + part.key;
        input.value = String(v);
        input.setAttribute("data-score", part.key);
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + v));
        row.appendChild(label);
      }
      fieldset.appendChild(row);
      box.appendChild(fieldset);
    });
  };

  /* The timer's target: a story's minutes, or a playbook's 30–60 seconds. */
  Log.prototype.band = function () {
    var timer = this.timerEl && this.timerEl.hbTimer;
    if (!timer || !timer.setBand) return;
    var playbook = this.itemSelect.value.indexOf("playbook/") === 0;
    var low = playbook ? this.data.playbookSeconds[0] : this.data.storyMinutes[0] * 60;
    var high = playbook ? this.data.playbookSeconds[1] : this.data.storyMinutes[1] * 60;
    timer.setBand(low, high);
    var title = this.timerEl.querySelector(".hb-timer-title");
    if (title) {
      title.textContent = "";
      title.appendChild(el("strong", "Rehearsal timer"));
      title.appendChild(document.createTextNode(playbook
        ? " · one playbook: aim for " + low + "–" + high + " s"
        : " · one project story: aim for " + low / 60 + "–" + high / 60 + " min"));
    }
  };

  Log.prototype.current = function () {
    return this.data.people[Number(this.person.value) || 0];
  };

  Log.prototype.stored = function () {
    try {
      var all = JSON.parse(window.localStorage.getItem(this.storageKey) || "{}");
      return all && typeof all === "object" && !Array.isArray(all) ? all : {};
    } catch (e) {
      return {};
    }
  };

  Log.prototype.browserRuns = function (owner) {
    var runs = this.stored()[owner];
    return Array.isArray(runs) ? runs : [];
  };

  Log.prototype.keep = function (owner, runs) {
    var all = this.stored();
    all[owner] = runs;
    try {
      window.localStorage.setItem(this.storageKey, JSON.stringify(all));
      return true;
    } catch (e) {
      return false;
    }
  };

  /* Kit runs first, then this browser's that the kit does not already hold. */
  Log.prototype.allRuns = function (person) {
    var seen = {};
    var out = [];
    person.rehearsals.forEach(function (run) { seen[key(run)] = true; out.push({ run: run, where: "kit" }); });
    this.browserRuns(person.owner).forEach(function (run) {
      if (seen[key(run)]) return;
      seen[key(run)] = true;
      out.push({ run: run, where: "browser" });
    });
    out.forEach(function (entry, i) { entry.run = Object.assign({}, entry.run, { order: i }); });
    return out;
  };

  Log.prototype.refresh = function () {
    var person = this.current();
    var select = this.itemSelect;
    var previous = select.value;
    select.textContent = "";
    person.items.forEach(function (item) {
      var option = el("option", item.title);
      option.value = item.id;
      select.appendChild(option);
    });
    if (previous && person.items.some(function (i) { return i.id === previous; })) select.value = previous;
    this.kitFile.textContent = person.kit || "data/kits/ (start one with handbook new --kit)";
    var entries = this.allRuns(person);
    var runs = entries.map(function (e) { return e.run; });
    var titles = {};
    person.items.forEach(function (i) { titles[i.id] = i.title; });

    this.next.textContent = "";
    var next = this.next;
    schedule(person.items, runs).forEach(function (s) {
      var li = el("li");
      li.setAttribute("data-item", s.item.id);
      li.appendChild(el("span", s.item.title));
      li.appendChild(el("span", s.runs ? " · box " + s.box + ", last " + s.last + ", " + s.lastTotal + " points" : " · never rehearsed", "hb-hint"));
      next.appendChild(li);
    });

    var body = this.logBody;
    body.textContent = "";
    var out = this.data.rubric.length * 4;
    entries.slice().reverse().forEach(function (e) {
      var tr = el("tr");
      tr.setAttribute("data-run", e.where);
      var r = e.run;
      [r.date, titles[r.item] || r.item, r.by === "partner" ? "partner" : r.by === "self" ? "self" : "", r.seconds === undefined ? "" : Math.floor(r.seconds / 60) + ":" + pad(r.seconds % 60), total(r) + " / " + out, e.where === "kit" ? "the kit" : "this browser"].forEach(function (text) {
        tr.appendChild(el("td", text));
      });
      body.appendChild(tr);
    });
    if (!entries.length) {
      var tr = el("tr");
      var td = el("td", "No runs yet.");
      td.colSpan = 6;
      tr.appendChild(td);
      body.appendChild(tr);
    }
    this.exportBox.value = this.exportText(runs);
    this.band();
  };

  Log.prototype.exportText = function (runs) {
    if (!runs.length) return "rehearsals: []\n";
    var clean = runs.map(function (r) {
      var out = { item: r.item, date: r.date };
      if (r.seconds !== undefined) out.seconds = r.seconds;
      if (r.by) out.by = r.by;
      out.scores = r.scores;
      return out;
    });
    return window.jsyaml.dump({ rehearsals: clean }, { flowLevel: 3, lineWidth: -1 });
  };

  Log.prototype.elapsed = function () {
    var timer = this.timerEl && this.timerEl.hbTimer;
    return timer ? Math.round(timer.elapsed()) : 0;
  };

  Log.prototype.save = function () {
    var person = this.current();
    var scores = {};
    var missing = [];
    var root = this.root;
    this.data.rubric.forEach(function (part) {
      var checked = root.querySelector('input[name="hb-rubric-' + part.key + '"]:checked');
      if (checked) scores[part.key] = Number(checked.value);
      else missing.push(part.label);
    });
    if (missing.length) {
      this.status.textContent = "Score every part before saving; missing: " + missing.join(", ") + ".";
      return;
    }
    var seconds = this.seconds.value === "" ? this.elapsed() : parseInt(this.seconds.value, 10);
    if (isNaN(seconds) || seconds < 0) {
      this.status.textContent = "The time must be a whole number of seconds.";
      return;
    }
    var by = root.querySelector("input[data-rehearsal-by]:checked");
    var run = { item: this.itemSelect.value, date: api.today(), seconds: seconds, by: by ? by.value : "self", scores: scores };
    var runs = this.browserRuns(person.owner).concat([run]);
    if (!this.keep(person.owner, runs)) {
      this.status.textContent = "This browser refused to keep the run (storage full or disabled); export it now instead.";
      return;
    }
    Array.prototype.forEach.call(root.querySelectorAll("input[data-score]:checked"), function (input) { input.checked = false; });
    this.seconds.value = "";
    this.refresh();
    this.status.textContent = "Saved: " + this.itemSelect.selectedOptions[0].textContent + ", " + total(run) + " of " + this.data.rubric.length * 4 + " points.";
  };

  Log.prototype.download = function () {
    var blob = new Blob([this.exportBox.value], { type: "application/yaml" });
    var link = el("a");
    link.href = URL.createObjectURL(blob);
    link.download = "rehearsals-" + this.current().anchor.replace(/^owner-/, "") + ".yml";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  };

  /* Check one imported run against the rubric and the person's items; return an error or null. */
  Log.prototype.problem = function (run, i, person) {
    var where = "rehearsals[" + i + "]";
    if (!run || typeof run !== "object" || Array.isArray(run)) return where + ": expected a mapping of keys";
    var allowed = ["item", "date", "seconds", "by", "scores"];
    var extra = Object.keys(run).filter(function (k) { return allowed.indexOf(k) === -1; });
    if (extra.length) return where + "." + extra[0] + ": unknown key";
    if (!person.items.some(function (it) { return it.id === run.item; })) return where + ".item: '" + String(run.item) + "' is not one of " + person.owner + "'s stories or playbooks";
    if (typeof run.date !== "string" || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(run.date)) return where + ".date: expected a date as YYYY-MM-DD";
    if (run.seconds !== undefined && !(Number.isInteger(run.seconds) && run.seconds >= 0)) return where + ".seconds: expected a whole number of seconds";
    if (run.by !== undefined && run.by !== "self" && run.by !== "partner") return where + ".by: must be self or partner";
    if (!run.scores || typeof run.scores !== "object") return where + ".scores: field required";
    for (var p = 0; p < this.data.rubric.length; p++) {
      var part = this.data.rubric[p];
      var v = run.scores[part.key];
      if (!(Number.isInteger(v) && v >= part.min && v <= part.max)) return where + ".scores." + part.key + ": expected a whole number from " + part.min + " to " + part.max;
    }
    var known = this.data.rubric.map(function (part) { return part.key; });
    var stray = Object.keys(run.scores).filter(function (k) { return known.indexOf(k) === -1; });
    if (stray.length) return where + ".scores." + stray[0] + ": unknown key";
    return null;
  };

  Log.prototype.importText = function (text) {
    var say = this.importStatus;
    var person = this.current();
    if (text.length > this.data.importLimit) {
      say.textContent = "Not imported: the text is " + text.length + " characters; the log takes at most " + this.data.importLimit + ".";
      return;
    }
    if (/(^|[\s[{,])[&*][^\s]/m.test(text)) {
      say.textContent = "Not imported: anchors and aliases (& and *) are not accepted.";
      return;
    }
    var doc;
    try {
      doc = window.jsyaml.load(text, { schema: window.jsyaml.CORE_SCHEMA });
    } catch (e) {
      say.textContent = "Not imported: " + String(e.reason || e.message || e) + (e.mark ? " (line " + (e.mark.line + 1) + ")" : "") + ".";
      return;
    }
    var runs = doc && typeof doc === "object" && !Array.isArray(doc) ? doc.rehearsals : undefined;
    if (!Array.isArray(runs)) {
      say.textContent = "Not imported: no rehearsals: list in the text.";
      return;
    }
    for (var i = 0; i < runs.length; i++) {
      var problem = this.problem(runs[i], i, person);
      if (problem) {
        say.textContent = "Not imported: " + problem + ". Nothing was changed.";
        return;
      }
    }
    var have = {};
    this.allRuns(person).forEach(function (e) { have[key(e.run)] = true; });
    var fresh = runs.filter(function (r) { return !have[key(r)]; });
    if (!this.keep(person.owner, this.browserRuns(person.owner).concat(fresh))) {
      say.textContent = "Not imported: this browser refused to keep the runs.";
      return;
    }
    this.refresh();
    say.textContent = "Imported " + fresh.length + " new " + (fresh.length === 1 ? "run" : "runs") + " for " + person.owner + (runs.length > fresh.length ? " (" + (runs.length - fresh.length) + " already here)" : "") + ".";
  };

  api.schedule = schedule;
  api.logs = [];
  window.HandbookRehearsal = api;
  Array.prototype.forEach.call(document.querySelectorAll("[data-rehearsal]"), function (root) {
    api.logs.push(new Log(root));
  });
})();
