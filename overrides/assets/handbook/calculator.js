/* The decision calculator: EV = p × benefit − (1 − p) × cost and EV per week for each option,
   ranked as prep_handbook/figures.py rank_options ranks them (figures.js does the arithmetic). */
(function () {
  "use strict";

  var Figures = window.HandbookFigures;
  var KEYS = ["probability", "benefit", "cost", "weeks"];
  var idCounter = 0;

  function setup(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var unit = root.dataset.unit;
    var body = root.querySelector("[data-rows]");
    var tpl = root.querySelector("template[data-row-template]");
    var example = JSON.parse(root.querySelector("script[data-example]").textContent);
    var orderEl = root.querySelector("[data-order]");
    var problemEl = root.querySelector("[data-problem]");

    function rows() {
      return Array.prototype.slice.call(body.querySelectorAll(":scope > tr[data-option]"));
    }

    function newRow() {
      var prefix = "hb-calc-n" + ++idCounter;
      var row = tpl.content.cloneNode(true).querySelector("tr");
      Array.prototype.forEach.call(row.querySelectorAll("[id], [for]"), function (el) {
        ["id", "for"].forEach(function (name) {
          var v = el.getAttribute(name);
          if (v) el.setAttribute(name, v.split("__id__").join(prefix));
        });
      });
      body.appendChild(row);
      return row;
    }

    function read(row) {
      var option = { name: row.querySelector('[data-key="name"]').value.trim() };
      var missing = [];
      KEYS.forEach(function (key) {
        var input = row.querySelector('[data-key="' + key + '"]');
        var value = input.value.trim() === "" ? NaN : Number(input.value);
        if (!isFinite(value)) missing.push(key);
        option[key] = value;
      });
      if (!missing.length) {
        if (option.probability < 0 || option.probability > 1) missing.push("a probability between 0 and 1");
        if (!(option.weeks > 0)) missing.push("weeks above 0");
      }
      return { option: option, missing: missing };
    }

    function label(option, i) {
      return option.name || "Option " + (i + 1);
    }

    function update() {
      var complete = [];
      var problems = [];
      rows().forEach(function (row, i) {
        var r = read(row);
        var evCell = row.querySelector("[data-ev]");
        var weekCell = row.querySelector("[data-per-week]");
        if (r.missing.length) {
          evCell.textContent = "–";
          weekCell.textContent = "–";
          row.dataset.complete = "false";
          problems.push(label(r.option, i) + " needs " + r.missing.join(", "));
          return;
        }
        r.option.name = label(r.option, i);
        var ev = Figures.expectedValue(r.option.probability, r.option.benefit, r.option.cost);
        evCell.textContent = Figures.pyG(ev) + " " + unit;
        weekCell.textContent = Figures.pyFixed(ev / r.option.weeks, 2) + " " + unit + "/week";
        row.dataset.complete = "true";
        complete.push(r.option);
      });
      var ranked = Figures.rankOptions(complete);
      rows().forEach(function (row) { row.removeAttribute("data-rank"); });
      if (ranked.length) {
        orderEl.textContent = ranked.map(function (o) {
          return o.name + " (" + Figures.pyFixed(o.ev_per_week, 2) + " " + unit + "/week)";
        }).join(" → ") + (ranked.length > 1 ? ". Start with " + ranked[0].name + ", then reassess." : ".");
        if (ranked[0].ev_per_week <= 0) orderEl.textContent += " No option has a positive expected value: look for a cheaper experiment first.";
      } else {
        orderEl.textContent = "Fill in an option's probability, benefit, cost and weeks.";
      }
      problemEl.hidden = !problems.length;
      problemEl.textContent = problems.length ? "Not ranked yet: " + problems.join("; ") + "." : "";
      root.dataset.order = ranked.map(function (o) { return o.name; }).join(",");
    }

    function fill(options) {
      body.textContent = "";
      options.forEach(function (o) {
        var row = newRow();
        row.querySelector('[data-key="name"]').value = o.name;
        KEYS.forEach(function (key) { row.querySelector('[data-key="' + key + '"]').value = String(o[key]); });
      });
      update();
    }

    root.addEventListener("input", update);
    root.addEventListener("click", function (e) {
      if (e.target.closest("[data-add]")) {
        var row = newRow();
        row.querySelector('[data-key="name"]').value = String.fromCharCode(65 + Math.min(rows().length - 1, 25));
        row.querySelector('[data-key="probability"]').focus();
        update();
      } else if (e.target.closest("[data-reset]")) {
        fill(example);
      } else if (e.target.closest("[data-remove]")) {
        var tr = e.target.closest("tr");
        var next = tr.nextElementSibling || tr.previousElementSibling;
        tr.remove();
        (next ? next.querySelector("input") : root.querySelector("[data-add]")).focus();
        update();
      }
    });
    update();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".hb-calc"), setup);
})();
