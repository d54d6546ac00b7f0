/* The loop planner: choose a person, the number of rounds and each round's focus; every round
   gets a different story that shows its focus (a maximum matching of rounds to stories, passing
   stories tried first), and a round that cannot have one says why. Everything comes from the
   JSON island the build wrote; text is set with textContent only. */
(function () {
  "use strict";

  var MAX_ROUNDS = 8;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  /* Assign stories to rounds so that as many rounds as possible get one, none told twice.
     rounds: [focus]; stories: [{slug, tags, passes, ...}]. Returns [story or null] per round. */
  function assign(rounds, stories) {
    var order = stories.slice().sort(function (a, b) {
      if (a.passes !== b.passes) return a.passes ? -1 : 1;
      if (a.tags.length !== b.tags.length) return a.tags.length - b.tags.length;
      return a.title.localeCompare(b.title);
    });
    var candidates = rounds.map(function (focus) {
      return order.filter(function (s) { return s.tags.indexOf(focus) !== -1; });
    });
    var roundOf = {}; // slug -> round index
    function augment(r, seen) {
      for (var i = 0; i < candidates[r].length; i++) {
        var slug = candidates[r][i].slug;
        if (seen[slug]) continue;
        seen[slug] = true;
        if (roundOf[slug] === undefined || augment(roundOf[slug], seen)) {
          roundOf[slug] = r;
          return true;
        }
      }
      return false;
    }
    for (var r = 0; r < rounds.length; r++) augment(r, {});
    var out = rounds.map(function () { return null; });
    order.forEach(function (s) {
      if (roundOf[s.slug] !== undefined) out[roundOf[s.slug]] = s;
    });
    return out;
  }

  /* Why a round has no story: none of the person's stories shows the focus, or all that do are told elsewhere. */
  function reason(focus, r, plan, stories, owner) {
    var fitting = stories.filter(function (s) { return s.tags.indexOf(focus) !== -1; });
    if (!fitting.length) return "no story of " + owner + "'s shows " + focus + "; write one, or change the focus";
    var elsewhere = [];
    plan.forEach(function (s, i) {
      if (s && i !== r && s.tags.indexOf(focus) !== -1) elsewhere.push(i + 1);
    });
    return "every story that shows " + focus + " is already told (round" + (elsewhere.length > 1 ? "s " : " ") + elsewhere.join(", ") + ")";
  }

  function Planner(root) {
    this.root = root;
    this.data = JSON.parse(root.querySelector("[data-practice-data]").textContent);
    this.form = root.querySelector("[data-planner-form]");
    this.person = root.querySelector("[data-planner-person]");
    this.rounds = root.querySelector("[data-planner-rounds]");
    this.focusBox = root.querySelector("[data-planner-focus]");
    this.result = root.querySelector("[data-planner-result]");
    this.status = root.querySelector("[data-plan-status]");
    this.list = root.querySelector("[data-plan]");
    this.focus = [];
    var self = this;
    this.data.people.forEach(function (p, i) {
      var option = el("option", p.owner);
      option.value = String(i);
      self.person.appendChild(option);
    });
    this.person.addEventListener("change", function () { self.plan(); });
    this.rounds.addEventListener("input", function () { self.layout(); self.plan(); });
    root.querySelector("[data-plan-print]").addEventListener("click", function () { window.print(); });
    this.form.addEventListener("submit", function (e) { e.preventDefault(); });
    root.querySelector("[data-planner-noscript]").hidden = true;
    this.form.hidden = false;
    this.result.hidden = false;
    this.layout();
    this.plan();
  }

  Planner.prototype.count = function () {
    var n = parseInt(this.rounds.value, 10);
    if (isNaN(n) || n < 1) return 1;
    return Math.min(n, MAX_ROUNDS);
  };

  Planner.prototype.layout = function () {
    var n = this.count();
    var comps = this.data.competencies;
    var self = this;
    while (this.focus.length < n) {
      var i = this.focus.length;
      var wrap = el("div", null, "hb-field");
      var label = el("label", "Round " + (i + 1));
      var select = el("select");
      select.id = "hb-planner-round-" + (i + 1);
      select.setAttribute("data-planner-round", String(i + 1));
      label.htmlFor = select.id;
      comps.forEach(function (c) {
        var option = el("option", c);
        option.value = c;
        select.appendChild(option);
      });
      select.value = comps[i % comps.length];
      select.addEventListener("change", function () { self.plan(); });
      wrap.appendChild(label);
      wrap.appendChild(select);
      this.focusBox.appendChild(wrap);
      this.focus.push(select);
    }
    this.focus.forEach(function (select, i) { select.parentNode.hidden = i >= n; });
  };

  Planner.prototype.plan = function () {
    var person = this.data.people[Number(this.person.value) || 0];
    var n = this.count();
    var rounds = this.focus.slice(0, n).map(function (s) { return s.value; });
    var plan = assign(rounds, person.stories);
    var list = this.list;
    list.textContent = "";
    var missing = 0;
    rounds.forEach(function (focus, r) {
      var li = el("li");
      li.setAttribute("data-round", String(r + 1));
      li.appendChild(el("strong", "Round " + (r + 1) + " · " + focus + ": "));
      var story = plan[r];
      if (story) {
        li.setAttribute("data-story", story.slug);
        li.appendChild(el("span", story.title));
        if (!story.passes) li.appendChild(el("span", " (does not pass the checker yet)", "hb-plan-warn"));
      } else {
        missing += 1;
        li.setAttribute("data-story", "");
        li.className = "hb-plan-gap";
        li.appendChild(el("span", "no fitting story: " + reason(focus, r, plan, person.stories, person.owner)));
      }
      list.appendChild(li);
    });
    var told = n - missing;
    this.status.textContent = missing
      ? missing + " of " + n + " rounds have no fitting story; " + told + " different " + (told === 1 ? "story" : "stories") + " planned for " + person.owner + "."
      : n + " rounds, " + n + " different " + (n === 1 ? "story" : "stories") + " for " + person.owner + ": none is told twice.";
  };

  window.HandbookPlanner = { assign: assign, planners: [] };
  Array.prototype.forEach.call(document.querySelectorAll("[data-planner]"), function (root) {
    window.HandbookPlanner.planners.push(new Planner(root));
  });
})();
