/* Story bank: filter the table by owner and competency, and sort it by a column.
   Plain script, no modules and no fetch, so it works from file:// as well as served.
   The table is complete without it: this only shows the controls and reorders rows. */
(function () {
  "use strict";

  function rowsOf(tbody) {
    return Array.prototype.slice.call(tbody.rows);
  }

  /* Order rows by one column; ties keep title order whichever way the column goes. */
  function compare(key, type, direction) {
    return function (a, b) {
      var x = a.getAttribute("data-" + key) || "";
      var y = b.getAttribute("data-" + key) || "";
      var order = type === "number" ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      if (order !== 0) return direction * order;
      return (a.getAttribute("data-title") || "").localeCompare(b.getAttribute("data-title") || "");
    };
  }

  function setUp(bank) {
    var table = bank.querySelector("table");
    var tbody = table && table.tBodies[0];
    if (!tbody) return;
    var controls = bank.querySelector("[data-bank-controls]");
    var count = bank.querySelector("[data-bank-count]");
    var filters = bank.querySelectorAll("[data-bank-filter]");
    var total = tbody.rows.length;

    function applyFilters() {
      var owner = bank.querySelector('[data-bank-filter="owner"]').value;
      var tag = bank.querySelector('[data-bank-filter="tag"]').value;
      var shown = 0;
      rowsOf(tbody).forEach(function (row) {
        var tags = (row.getAttribute("data-tags") || "").split(" ");
        var keep = (!owner || row.getAttribute("data-owner") === owner) && (!tag || tags.indexOf(tag) !== -1);
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = shown === total
        ? "All " + total + (total === 1 ? " story" : " stories")
        : shown + " of " + total + (total === 1 ? " story" : " stories");
    }

    function sortBy(header) {
      var key = header.getAttribute("data-bank-sort");
      var type = header.getAttribute("data-bank-type") || "text";
      var descending = header.getAttribute("aria-sort") === "ascending";
      var order = rowsOf(tbody).sort(compare(key, type, descending ? -1 : 1));
      order.forEach(function (row) { tbody.appendChild(row); });
      table.querySelectorAll("th[data-bank-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    }

    table.querySelectorAll("th[data-bank-sort]").forEach(function (header) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "hb-bank__sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(header); });
    });
    Array.prototype.forEach.call(filters, function (select) {
      select.addEventListener("change", applyFilters);
    });
    controls.hidden = false;
    bank.classList.add("hb-bank--interactive");
    applyFilters();
  }

  function init() {
    document.querySelectorAll("[data-bank]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
