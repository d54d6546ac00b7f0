/* The question bank's competency filter: shows only the questions tagged with the chosen
   competency and says how many are shown. Without JavaScript the whole list reads, and the
   control stays hidden. */
(function () {
  "use strict";
  function setup(root) {
    var controls = root.querySelector("[data-questions-controls]");
    var select = root.querySelector("[data-questions-filter]");
    var count = root.querySelector("[data-questions-count]");
    var items = Array.prototype.slice.call(root.querySelectorAll("li[data-tags]"));
    function apply() {
      var tag = select.value;
      var shown = 0;
      items.forEach(function (li) {
        var show = !tag || li.dataset.tags.split(" ").indexOf(tag) !== -1;
        li.hidden = !show;
        if (show) shown += 1;
      });
      count.textContent = tag ? shown + " of " + items.length + " questions" : "All " + items.length + " questions";
    }
    select.addEventListener("change", apply);
    var wanted = new URLSearchParams(window.location.search).get("competency");
    if (wanted && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) select.value = wanted;
    controls.hidden = false;
    apply();
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-questions]"), setup);
})();
