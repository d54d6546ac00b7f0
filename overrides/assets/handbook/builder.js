/* The story builder, and the prep-kit builder beside it: each reads the form that the build
   generated from template.yml (`story`, or `kit`), checks it with checker.js, keeps the draft in
   localStorage, and writes it out: a story as YAML (for data/stories/) and as Markdown (as
   `handbook render` would); a prep kit as YAML for data/kits/, the scaffold `handbook new --kit`
   writes with what the form holds filled in (the keys left empty stay commented examples).
   A chooser above them shows one builder at a time.

   It coaches rather than scolds: a field's notes appear once the writer has left it (or asked to
   "check everything"). It takes hostile input calmly: imported YAML and saved drafts are size-,
   depth- and alias-limited, parsed and checked whole before the form changes in one step, and a
   failed import never touches the saved draft. */
(function () {
  "use strict";

  // Each builder's own noun, as its messages say it.
  var NOUNS = { story: ["story", "stories"], kit: ["prep kit", "prep kits"] };
  // A kit's playbook row: choosing the hypothetical shows the handbook's steps, one input each.
  var GUIDE = { choice: "hypothetical", list: "steps" };

  var idCounter = 0; // fresh ids for cloned rows and items, unique across both builders

  function island(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function start(root) {
  if (root.dataset.ready) return;
  root.dataset.ready = "1";

  var kind = root.dataset.kind || "story";
  var prefix = root.dataset.prefix || "hb-";
  var noun = NOUNS[kind][0];
  var nouns = NOUNS[kind][1];
  var template = island("hb-template");
  var rules = island("hb-rules");
  var context = kind === "kit" ? island("hb-kit-context") : null;
  var scaffold = kind === "kit" ? island("hb-kit-scaffold") : null;
  var spec = template[kind];
  var topSpecs = kind === "kit" ? spec.fields : spec.meta.concat(spec.sections);
  function byId(name) {
    return document.getElementById(prefix + name);
  }
  var form = byId("form");
  var folder = root.dataset.folder;
  var storageKey = root.dataset.storageKey;
  var siteRoot = root.dataset.root || "";
  var yaml = window.jsyaml;
  var Checker = window.HandbookChecker;
  var Figures = window.HandbookFigures;
  var outputs = { yaml: "", markdown: "" };

  // The limits of `handbook check` (prep_handbook/yamlsource.py), and what a form can hold.
  var MAX_BYTES = 1000000;
  var MAX_DEPTH = 32;
  var MAX_ITEMS = 200; // items of one list: a story needs a handful
  var MAX_VALUES = 5000;
  var asideKey = storageKey + ".set-aside";

  // Coaching: which fields the writer has left, and whether they asked to see everything.
  var touched = new Set();
  var checkAll = false;

  // ------------------------------------------------------------------ form structure

  function children(el, selector) {
    return Array.prototype.slice.call(el.querySelectorAll(selector));
  }

  function topFields() {
    return children(form, ":scope > section > [data-field]");
  }

  function subFields(el) {
    if (el.dataset.type === "object") return children(el, ":scope > .hb-fields > [data-field]");
    return children(el, ":scope > fieldset > .hb-fields > [data-field]"); // a records row
  }

  function specFor(list, key) {
    for (var i = 0; i < list.length; i++) if (list[i].key === key) return list[i];
    return null;
  }

  function topSpec(key) {
    return specFor(topSpecs, key);
  }

  function instantiate(tpl) {
    var fresh = "hb-n" + ++idCounter;
    var fragment = tpl.content.cloneNode(true);
    var node = fragment.querySelector("li, tr");
    [node].concat(children(node, "[id], [for], [aria-describedby], [aria-labelledby]")).forEach(function (el) {
      ["id", "for", "aria-describedby", "aria-labelledby"].forEach(function (name) {
        var value = el.getAttribute(name);
        if (value && value.indexOf("__id__") !== -1) el.setAttribute(name, value.split("__id__").join(fresh));
      });
    });
    // A list inside a row (a playbook's steps): its items' references to the list's help take this
    // row's ids now; the items' own ids stay `__id__` until each item is added.
    children(node, "template").forEach(function (inner) {
      children(inner.content, "[aria-describedby]").forEach(function (el) {
        el.setAttribute("aria-describedby", el.getAttribute("aria-describedby").split("__id__-").join(fresh + "-"));
      });
    });
    return node;
  }

  function container(fieldEl) {
    return fieldEl.querySelector(fieldEl.dataset.type === "records" ? ":scope > [data-rows]" : ":scope > [data-items]");
  }

  function addEntry(fieldEl) {
    var isRecords = fieldEl.dataset.type === "records";
    var tpl = fieldEl.querySelector(isRecords ? ":scope > template[data-row-template]" : ":scope > template[data-item-template]");
    var node = instantiate(tpl);
    container(fieldEl).appendChild(node);
    renumber(fieldEl);
    return node;
  }

  function labelOf(fieldEl) {
    var legend = fieldEl.querySelector(":scope > legend");
    return legend ? legend.firstChild.textContent.trim() : "";
  }

  function renumber(fieldEl) {
    var label = labelOf(fieldEl);
    children(container(fieldEl), ":scope > li").forEach(function (li, i) {
      var n = i + 1;
      if (fieldEl.dataset.type === "records") {
        li.querySelector("[data-row-legend]").textContent = label + " " + n;
        li.querySelector("[data-remove]").setAttribute("aria-label", "Remove " + label + " " + n);
      } else {
        li.querySelector("[data-input]").setAttribute("aria-label", label + " " + n);
        li.querySelector("[data-remove]").setAttribute("aria-label", "Remove " + label + " " + n);
      }
    });
  }

  function firstInput(el) {
    return el.querySelector("[data-input], input, select, textarea");
  }

  // ------------------------------------------------------------------ reading the form

  // Each reader returns the value (or undefined when empty) and records where each part of
  // the data lives in the form, so findings can be shown beside their field.
  function readField(el, loc, places, problems, fieldSpec) {
    var type = el.dataset.type;
    places[Checker.formatField(loc)] = el;
    if (type === "object") {
      var obj = {};
      subFields(el).forEach(function (sub) {
        var value = readField(sub, loc.concat([sub.dataset.field]), places, problems, specFor(fieldSpec.fields, sub.dataset.field));
        if (value !== undefined) obj[sub.dataset.field] = value;
      });
      requireKeys(fieldSpec.fields, obj, loc, problems);
      return Object.keys(obj).length ? obj : undefined;
    }
    if (type === "records") {
      var rows = [];
      children(container(el), ":scope > li").forEach(function (li) {
        var rowLoc = loc.concat([rows.length]);
        var rowPlaces = {};
        var rowProblems = [];
        var row = {};
        rowPlaces[Checker.formatField(rowLoc)] = li;
        subFields(li).forEach(function (sub) {
          var value = readField(sub, rowLoc.concat([sub.dataset.field]), rowPlaces, rowProblems, specFor(fieldSpec.fields, sub.dataset.field));
          if (value !== undefined) row[sub.dataset.field] = value;
        });
        if (!Object.keys(row).length) return; // an empty row is not part of the story
        requireKeys(fieldSpec.fields, row, rowLoc, rowProblems);
        Object.assign(places, rowPlaces);
        Array.prototype.push.apply(problems, rowProblems);
        rows.push(row);
      });
      return rows.length ? rows : undefined;
    }
    if (type === "list") {
      var items = [];
      children(container(el), ":scope > li [data-input]").forEach(function (input) {
        var text = input.value.trim();
        if (text) {
          places[Checker.formatField(loc.concat([items.length]))] = el;
          items.push(text);
        }
      });
      return items.length ? items : undefined;
    }
    if (type === "choices") {
      var picked = children(el, "[data-choice]:checked").map(function (box) { return box.value; });
      return picked.length ? picked : undefined;
    }
    var input = el.querySelector("[data-input]");
    if (type === "boolean") return input.checked ? true : undefined;
    if (type === "integer" || type === "number") {
      if (input.validity && input.validity.badInput) {
        problems.push(shape(loc, "expected a number"));
        return undefined;
      }
      if (input.value.trim() === "") return undefined;
      var number = Number(input.value);
      if (!isFinite(number)) {
        problems.push(shape(loc, "expected a number"));
        return undefined;
      }
      if (type === "integer" && !Number.isInteger(number)) problems.push(shape(loc, "expected a whole number, got " + input.value.trim()));
      if (fieldSpec.minimum !== null && fieldSpec.minimum !== undefined && number < fieldSpec.minimum)
        problems.push(shape(loc, "must be at least " + Figures.pyG(fieldSpec.minimum) + "; got " + Figures.pyG(number)));
      if (fieldSpec.maximum !== null && fieldSpec.maximum !== undefined && number > fieldSpec.maximum)
        problems.push(shape(loc, "must be at most " + Figures.pyG(fieldSpec.maximum) + "; got " + Figures.pyG(number)));
      return number;
    }
    var text = input.value.trim();
    return text ? text : undefined;
  }

  function required(fieldSpec) {
    return fieldSpec.required || (fieldSpec.required_in || []).indexOf(folder) !== -1;
  }

  function shape(loc, message) {
    return { rule: null, severity: "error", loc: loc, field: Checker.formatField(loc), message: message, hint: "", see: "" };
  }

  function requireKeys(fieldSpecs, value, loc, problems) {
    fieldSpecs.forEach(function (f) {
      if (required(f) && !(f.key in value)) problems.push(shape(loc.concat([f.key]), "field required"));
    });
  }

  function collect() {
    var data = {};
    var places = {};
    var problems = [];
    topFields().forEach(function (el) {
      var key = el.dataset.field;
      var value = readField(el, [key], places, problems, topSpec(key));
      if (value !== undefined) data[key] = value;
    });
    requireKeys(topSpecs, data, [], problems);
    return { data: data, places: places, problems: problems };
  }

  // ------------------------------------------------------------------ writing the form

  function writeField(el, value, fieldSpec) {
    var type = el.dataset.type;
    if (type === "object") {
      subFields(el).forEach(function (sub) {
        writeField(sub, value ? value[sub.dataset.field] : undefined, specFor(fieldSpec.fields, sub.dataset.field));
      });
      return;
    }
    if (type === "records" || type === "list") {
      container(el).textContent = "";
      var items = Array.isArray(value) ? value : [];
      items.forEach(function (item) {
        var node = addEntry(el);
        if (type === "records") {
          subFields(node).forEach(function (sub) {
            writeField(sub, item && typeof item === "object" ? item[sub.dataset.field] : undefined, specFor(fieldSpec.fields, sub.dataset.field));
          });
        } else {
          node.querySelector("[data-input]").value = scalarText(item);
        }
      });
      if (!items.length) addEntry(el);
      return;
    }
    if (type === "choices") {
      var picked = Array.isArray(value) ? value.map(String) : [];
      children(el, "[data-choice]").forEach(function (box) { box.checked = picked.indexOf(box.value) !== -1; });
      return;
    }
    if (type === "boolean") {
      // Imports come in as text (failsafe schema): `draft: true` and YAML 1.1's `yes`/`on` tick the box.
      el.querySelector("[data-input]").checked = value === true || (typeof value === "string" && /^(true|yes|on|y)$/i.test(value.trim()));
      return;
    }
    el.querySelector("[data-input]").value = value === undefined || value === null ? "" : scalarText(value);
  }

  function scalarText(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  function fill(data) {
    topFields().forEach(function (el) {
      var key = el.dataset.field;
      writeField(el, data ? data[key] : undefined, topSpec(key));
    });
  }

  // ------------------------------------------------------------------ outputs

  function slugOf(title) {
    var slug = String(title || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    return slug.slice(0, 60).replace(/-+$/, "") || "my-story";
  }

  // A story is named by its title; a kit by its owner, as readiness.owner_slug names a new kit.
  function fileSlug(data) {
    if (kind !== "kit") return slugOf(data.title);
    var slug = String(data.owner || "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    return slug.slice(0, 60).replace(/-+$/, "") || "my-kit";
  }

  // The kit as `handbook new --kit` scaffolds it (kits.blank_kit: the same header and examples, embedded
  // as hb-kit-scaffold), each key the form holds written out under its prompt, the others left commented.
  function kitYaml(data) {
    var parts = spec.fields.map(function (f) {
      var comment = "# " + fold(f.prompt || "");
      if (!(f.key in data)) return comment + "\n" + scaffold.examples[f.key];
      var value = data[f.key];
      var body = typeof value === "string" ? f.key + ": " + JSON.stringify(value)
        : yaml.dump(pick(data, f.key), { schema: yaml.YAML11_SCHEMA, lineWidth: 100, noRefs: true }).replace(/\n$/, "");
      return comment + "\n" + body;
    });
    return scaffold.header + "\n\n" + parts.join("\n\n") + "\n";
  }

  function pick(data, key) {
    var out = {};
    out[key] = data[key];
    return out;
  }

  function toYaml(data) {
    var body = Object.keys(data).length ? yaml.dump(data, { schema: yaml.YAML11_SCHEMA, lineWidth: 100, noRefs: true }) : "";
    return "# " + spec.title + ", written with the handbook's story builder.\n" +
      "# Save it as data/stories/" + slugOf(data.title) + ".yml and run `handbook check`.\n" + body;
  }

  function fold(value) {
    return String(value).split(/\s+/).filter(Boolean).join(" ");
  }

  function show(value, fieldSpec) {
    if (typeof value === "number") return fieldSpec && fieldSpec.type === "integer" ? String(value) : Figures.pyG(value);
    return fold(value);
  }

  // The same shape as prep_handbook/partials/plain/story.md.j2 (tested against it, text for text).
  function toMarkdown(data) {
    var lines = ["# " + fold(data.title || data.headline || ""), ""];
    var tags = (data.tags || []).map(fold).join(", ");
    if (data.owner || tags) {
      lines.push((data.owner ? "**Owner:** " + fold(data.owner) : "") + (data.owner && tags ? " · " : "") + (tags ? "**Competencies:** " + tags : ""), "");
    }
    lines.push("**" + fold(data.headline || "") + "**");
    if (data.pitch) lines.push("", fold(data.pitch));
    spec.sections.forEach(function (section) {
      if (section.key === "headline" || !(section.key in data)) return;
      var value = data[section.key];
      lines.push("", "## " + fold(section.title || section.key), "");
      if (section.type === "list") {
        value.forEach(function (item) { lines.push("- " + fold(item)); });
      } else if (section.type === "object") {
        section.fields.forEach(function (f) {
          if (!(f.key in value)) return;
          var v = value[f.key];
          var text = f.type === "list" ? fold(v.join("; ")) : show(v, f);
          lines.push("- **" + fold(f.title || f.key) + ":** " + text);
        });
      } else if (section.type === "records") {
        // baseline and outcome with a unit read as one figure (Figures.outcomeFigures), as the partial does
        var byKey = {};
        section.fields.forEach(function (f) { byKey[f.key] = f; });
        var pair = Boolean(byKey.baseline && byKey.outcome && byKey.unit);
        value.forEach(function (r, i) {
          var first = section.fields[0];
          lines.push(i + 1 + ". **" + show(r[first.key] === undefined ? "" : r[first.key], first) + "**");
          section.fields.slice(1).forEach(function (f) {
            if (!(f.key in r)) return;
            if (pair && (f.key === "baseline" || f.key === "outcome")) {
              if (f.key === "outcome" && "baseline" in r) return;
              var label = "baseline" in r && "outcome" in r
                ? fold(byKey.baseline.title || "baseline") + " → " + fold(byKey.outcome.title || "outcome").toLowerCase()
                : fold(f.title || f.key);
              lines.push("   - " + label + ": " + Figures.outcomeFigures(r));
            } else if (!(pair && f.key === "unit" && ("baseline" in r || "outcome" in r))) {
              lines.push("   - " + fold(f.title || f.key) + ": " + show(r[f.key], f));
            }
          });
        });
      } else {
        lines.push(show(value, section));
      }
    });
    // Records kept beside the sections (the follow-up questions), after them.
    spec.meta.forEach(function (field) {
      var records = data[field.key];
      if (field.type !== "records" || !records || !records.length) return;
      lines.push("", "## " + fold(field.title || field.key), "");
      records.forEach(function (r, i) {
        var first = field.fields[0];
        lines.push(i + 1 + ". **" + show(r[first.key] === undefined ? "" : r[first.key], first) + "**");
        field.fields.slice(1).forEach(function (f) {
          if (f.key in r) lines.push("   - " + fold(f.title || f.key) + ": " + show(r[f.key], f));
        });
      });
    });
    return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
  }

  // ------------------------------------------------------------------ findings

  function seeHref(see) {
    if (!see) return "";
    var parts = see.split("#");
    return siteRoot + parts[0].replace(/\.md$/, ".html") + (parts[1] ? "#" + parts[1] : "");
  }

  function hostOf(loc, places) {
    for (var n = loc.length; n >= 0; n--) {
      var el = places[Checker.formatField(loc.slice(0, n))];
      if (el) return el;
    }
    return null;
  }

  function findingsList(el) {
    return el.querySelector(":scope > [data-findings]") || el.querySelector(":scope > fieldset > [data-findings]");
  }

  function findingItem(f) {
    var li = document.createElement("li");
    li.className = "hb-finding hb-" + f.severity;
    var tag = document.createElement("strong");
    tag.textContent = f.severity === "error" ? "Error: " : "Warning: ";
    li.appendChild(tag);
    li.appendChild(document.createTextNode(f.message + (f.hint ? ". " + f.hint : "")));
    if (f.rule) {
      li.appendChild(document.createTextNode(" "));
      var a = document.createElement("a");
      a.href = seeHref(f.see);
      a.className = "hb-rule";
      a.textContent = "[" + f.rule + "]";
      li.appendChild(a);
    } else {
      li.appendChild(document.createTextNode(" (needed before handbook check accepts the " + noun + ")"));
    }
    return li;
  }

  var lastSummary = "";

  function shownNow(f, places) {
    if (checkAll) return true;
    var host = hostOf(f.loc, places);
    return host !== null && touched.has(host);
  }

  function showFindings(all, places) {
    var findings = all.filter(function (f) { return shownNow(f, places); });
    var waiting = all.length - findings.length;
    children(root, "[data-findings]").forEach(function (ul) { ul.textContent = ""; });
    children(form, "[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var list = byId("summary-list");
    var items = [];
    findings.forEach(function (f) {
      var host = hostOf(f.loc, places);
      var target = host ? findingsList(host) : null;
      if (target) target.appendChild(findingItem(f));
      if (host && f.severity === "error" && host.classList.contains("hb-scalar")) firstInput(host).setAttribute("aria-invalid", "true");
      var li = document.createElement("li");
      li.className = "hb-finding hb-" + f.severity;
      var where = host ? (host.id ? host : firstInput(host)) : null;
      var label = f.field ? f.field + ": " : "";
      if (where && where.id) {
        var a = document.createElement("a");
        a.href = "#" + where.id;
        a.textContent = label + f.message;
        li.appendChild(a);
      } else {
        li.textContent = label + f.message;
      }
      if (f.rule) li.appendChild(document.createTextNode(" [" + f.rule + "]"));
      items.push(li);
    });
    var errors = findings.filter(function (f) { return f.severity === "error"; }).length;
    var warnings = findings.length - errors;
    var count;
    if (findings.length) {
      count = errors + (errors === 1 ? " error, " : " errors, ") + warnings + (warnings === 1 ? " warning" : " warnings") +
        (waiting ? " in the fields you have filled" : "");
    } else if (!waiting) {
      count = "Meets the handbook's bar: the checker finds nothing to improve.";
    } else if (!touched.size) {
      count = "Start writing: the checker's notes on a field appear here and beside it once you leave it.";
    } else {
      count = "Nothing to fix in the fields you have filled so far.";
    }
    var more = byId("check-all-note");
    if (more) more.textContent = waiting ? "“Check everything” shows what the rest of the " + noun + " still needs." : "";
    var summary = count + "|" + findings.map(function (f) { return f.field + f.message; }).join("|");
    if (summary === lastSummary) return;
    lastSummary = summary;
    byId("summary-count").textContent = count;
    list.textContent = "";
    items.forEach(function (li) { list.appendChild(li); });
    root.dataset.errors = String(errors);
    root.dataset.warnings = String(warnings);
    root.dataset.waiting = String(waiting);
  }

  function showDuration(data) {
    var speaking = rules.speaking;
    var minutes = Checker.spokenMinutes(data, template, speaking);
    var shown = Figures.pyFixed(minutes, 1);
    var rounded = Number(shown);
    var low = speaking.story_minutes[0];
    var high = speaking.story_minutes[1];
    var band = rounded < low ? "under" : rounded > high ? "over" : "on";
    var words = { under: "under the target", on: "on target", over: "over the target" }[band];
    var el = byId("duration");
    el.hidden = !(minutes > 0); // nothing to time before there is text
    el.textContent = "About " + shown + " min to say at " + speaking.words_per_minute + " words a minute: " + words +
      " of " + Figures.pyG(low) + "–" + Figures.pyG(high) + " min.";
    el.dataset.band = band;
  }

  // How long each playbook takes to say (kits.playbook_seconds), against the speaking target.
  function showPlaybookTimes(data) {
    var el = byId("duration");
    var band = rules.speaking.playbook_seconds;
    var said = (Array.isArray(data.playbooks) ? data.playbooks : []).filter(function (p) {
      return Array.isArray(p.steps) && p.steps.length;
    }).map(function (p) {
      var seconds = Checker.playbookSeconds(p.steps, rules.speaking.words_per_minute);
      var title = p.hypothetical && context.hypotheticals[p.hypothetical] ? context.hypotheticals[p.hypothetical].title : "A playbook";
      var where = seconds < band[0] ? "under" : seconds > band[1] ? "over" : "on target";
      return title + ": about " + seconds + " s (" + where + ")";
    });
    el.hidden = !said.length;
    el.textContent = said.length ? said.join("; ") + ". Aim for " + Figures.pyG(band[0]) + "–" + Figures.pyG(band[1]) + " s each at " +
      rules.speaking.words_per_minute + " words a minute." : "";
  }

  // Under each playbook row, the handbook's steps for the hypothetical it answers; each empty step input
  // shows the step it stands for, and a row whose steps are all empty gets one input per step.
  function showGuides() {
    children(form, "li.hb-row").forEach(function (li) {
      var choice = li.querySelector('[data-field="' + GUIDE.choice + '"] select');
      var listEl = li.querySelector('[data-field="' + GUIDE.list + '"][data-type="list"]');
      if (!choice || !listEl) return;
      var guide = context.hypotheticals[choice.value] || null;
      var note = li.querySelector("[data-guide]");
      if (!guide) {
        if (note) note.remove();
        return;
      }
      if (!note) {
        note = document.createElement("p");
        note.className = "hb-help hb-guide";
        note.dataset.guide = "";
        choice.closest("[data-field]").after(note);
      }
      var text = "The handbook's steps: " + guide.steps.map(function (step, i) { return i + 1 + ". " + step; }).join("; ") + ".";
      if (note.textContent !== text) note.textContent = text;
      var inputs = children(container(listEl), ":scope > li [data-input]");
      if (li.dataset.guided !== choice.value && inputs.every(function (input) { return !input.value.trim(); })) {
        li.dataset.guided = choice.value;
        container(listEl).textContent = "";
        guide.steps.forEach(function () { addEntry(listEl); });
        inputs = children(container(listEl), ":scope > li [data-input]");
      }
      inputs.forEach(function (input, i) { input.placeholder = guide.steps[i] || ""; });
    });
  }

  // ------------------------------------------------------------------ update cycle

  var saveNote = byId("saved");

  function update(save) {
    var read = collect();
    var findings = read.problems.concat(Checker.check(read.data, kind, template, rules, folder, context));
    findings.forEach(function (f) { f.order = order(hostOf(f.loc, read.places)); });
    findings.sort(function (a, b) { return a.order - b.order || String(a.rule).localeCompare(String(b.rule)); });
    showFindings(findings, read.places);
    if (kind === "kit") {
      showPlaybookTimes(read.data);
      showGuides();
      outputs.yaml = kitYaml(read.data);
    } else {
      showDuration(read.data);
      outputs.yaml = toYaml(read.data);
      outputs.markdown = toMarkdown(read.data);
      byId("out-markdown").textContent = outputs.markdown;
    }
    byId("out-yaml").textContent = outputs.yaml;
    byId("filename").textContent = "data/" + folder + "/" + fileSlug(read.data) + ".yml";
    if (save) saveDraft(read.data);
    return read;
  }

  var allFields = null;
  function order(el) {
    if (!el) return 1e9;
    allFields = children(root, "[data-field], li.hb-row");
    var i = allFields.indexOf(el);
    return i === -1 ? 1e9 : i;
  }

  var timer = null;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      timer = null;
      update(true);
    }, 150);
  }

  // ------------------------------------------------------------------ draft

  var draftLocked = false; // a saved draft that could not be loaded nor set aside is never overwritten

  function saveDraft(data) {
    if (draftLocked) return;
    try {
      var json = JSON.stringify({ version: 1, data: data });
      if (json.length > MAX_BYTES) {
        saveNote.textContent = "This " + noun + " is too large to keep as a draft (" + json.length.toLocaleString("en") +
          " characters; at most " + MAX_BYTES.toLocaleString("en") + "): download it before you leave.";
        return;
      }
      if (Object.keys(data).length) window.localStorage.setItem(storageKey, json);
      else window.localStorage.removeItem(storageKey);
      saveNote.textContent = "Draft saved in this browser at " + new Date().toLocaleTimeString() + ". Nothing leaves your computer.";
    } catch (e) {
      saveNote.textContent = "This browser refuses to keep a draft (" + e.name + "): copy or download your " + noun + " before you leave.";
    }
  }

  // Returns the saved draft's data, or null; a draft too large or malformed to load is set aside.
  function loadDraft() {
    var raw;
    try {
      raw = window.localStorage.getItem(storageKey);
    } catch (e) {
      return null;
    }
    if (!raw) return null;
    var why = null;
    var data = null;
    if (raw.length > MAX_BYTES) {
      why = "it is " + raw.length.toLocaleString("en") + " characters, more than the " + MAX_BYTES.toLocaleString("en") + " a draft may hold";
    } else {
      try {
        var stored = JSON.parse(raw);
        data = stored && stored.version === 1 && stored.data && typeof stored.data === "object" && !Array.isArray(stored.data) ? stored.data : null;
        if (!data) why = "it is not a draft this builder wrote";
        else why = tooBig(data);
      } catch (e) {
        why = "it is not valid JSON";
      }
    }
    if (!why) return data;
    setAside(raw, why);
    return null;
  }

  function setAside(raw, why) {
    var where;
    try {
      window.localStorage.removeItem(storageKey);
      window.localStorage.setItem(asideKey, raw);
      where = "It is kept aside in this browser (localStorage key " + asideKey + "); the form starts empty.";
    } catch (e) {
      try { window.localStorage.setItem(storageKey, raw); } catch (e2) { /* it was there a moment ago */ }
      draftLocked = true;
      where = "It is left as it was, and nothing you type here is saved until you clear the form.";
    }
    saveNote.textContent = "Your saved draft was not loaded: " + why + ". " + where;
    saveNote.dataset.state = "error";
  }

  // Says why `data` is too big for the form (too deep, a list too long, too many values), or null.
  function tooBig(data) {
    var stack = [[data, 0]];
    var values = 0;
    while (stack.length) {
      var top = stack.pop();
      var value = top[0];
      if (++values > MAX_VALUES) return "it holds more than " + MAX_VALUES.toLocaleString("en") + " values";
      if (top[1] > MAX_DEPTH) return "it nests deeper than " + MAX_DEPTH + " levels";
      if (value === null || typeof value !== "object") continue;
      var items = Array.isArray(value) ? value : Object.keys(value).map(function (k) { return value[k]; });
      if (Array.isArray(value) && items.length > MAX_ITEMS)
        return "it holds a list of " + items.length.toLocaleString("en") + " items, more than the " + MAX_ITEMS + " a list may hold";
      for (var i = 0; i < items.length; i++) stack.push([items[i], top[1] + 1]);
    }
    return null;
  }

  // ------------------------------------------------------------------ loading YAML

  var loadStatus = byId("load-status");

  function refuse(message) {
    loadStatus.textContent = message + " The form and your saved draft are unchanged.";
    loadStatus.dataset.state = "error";
    return false;
  }

  var NULLS = { "": true, "~": true, "null": true, "Null": true, "NULL": true };

  // Plain values come in as text (YAML's failsafe schema): the form types them by the template,
  // so `timeline: 2:30`, `unit: on` and `pitch: 1.10` keep what was typed, and numbers become numbers.
  function nullsOut(value) {
    if (typeof value === "string") return NULLS[value.trim()] ? null : value;
    if (Array.isArray(value)) return value.map(nullsOut);
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = nullsOut(value[k]); });
      return out;
    }
    return value;
  }

  // The YAML mistakes writers make, said as what to do (as `handbook check` says them).
  function advice(text, e) {
    var reason = String(e.reason || e.message || "").split("\n")[0];
    var where = e.mark ? " (line " + (e.mark.line + 1) + ", column " + (e.mark.column + 1) + ")" : "";
    if (/maxAliases/.test(reason)) return "uses an alias (*name) to repeat a value; " + nouns + " do not use anchors or aliases: write the value out" + where;
    if (/maxDepth/.test(reason)) return "nests deeper than " + MAX_DEPTH + " levels; a " + noun + " needs far fewer" + where;
    var line = e.mark ? (text.split("\n")[e.mark.line] || "") : "";
    var m = /^(\s*(?:-\s+)?)([^\s:#'"][^:#]*?):\s+(\S.*?)\s*$/.exec(line);
    if (/\t/.test(line.slice(0, line.length - line.trimStart().length))) return "has a tab where YAML needs spaces for indentation; indent with spaces only" + where;
    if (m && /^[%@`]/.test(m[3])) return "has a value that cannot start with '" + m[3][0] + "'; put it in quotes: " + m[2] + ": " + JSON.stringify(m[3]) + where;
    if (m && /: /.test(m[3])) return "has a text holding ': ', which YAML reads as a new key; put the text in quotes (" + m[2] + ": " + JSON.stringify(m[3]) + ") or write '>' after the key and the text on the next line" + where;
    return "is not valid YAML: " + reason + where;
  }

  function loadYaml(text, source) {
    // 1. Everything is checked first: size, YAML (no aliases, bounded depth), shape.
    if (text.length > MAX_BYTES)
      return refuse(source + " is " + text.length.toLocaleString("en") + " characters; a " + noun + " may be at most " + MAX_BYTES.toLocaleString("en") + ".");
    var data;
    try {
      data = yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA, maxAliases: 0, maxDepth: MAX_DEPTH });
    } catch (e) {
      return refuse(source + " " + advice(text, e) + ".");
    }
    if (!data || typeof data !== "object" || Array.isArray(data))
      return refuse(source + " holds no " + noun + ": expected a mapping of keys at the top.");
    var big = tooBig(data);
    if (big) return refuse(source + " is too large for the builder: " + big + ".");
    data = nullsOut(data);
    var known = topSpecs.map(function (f) { return f.key; });
    var unknown = Object.keys(data).filter(function (k) { return known.indexOf(k) === -1; });
    // 2. Then the form changes in one step; should that fail, it is put back as it was.
    var before = collect().data;
    try {
      fill(data);
    } catch (e) {
      fill(before);
      update(false);
      return refuse(source + " could not be put into the form (" + e.message + ").");
    }
    markFilled();
    update(true);
    loadStatus.dataset.state = unknown.length ? "warning" : "ok";
    var what = kind === "kit" ? (data.owner ? data.owner + "'s prep kit" : "the prep kit") : data.title || data.headline || "the story";
    loadStatus.textContent = "Loaded " + what + " from " + source + "." +
      (unknown.length ? " Not loaded, since the template has no such key: " + unknown.join(", ") + "." : "");
    return true;
  }

  // A story loaded or restored was written already: every field that holds something shows its notes.
  function markFilled() {
    var read = collect();
    Object.keys(read.places).forEach(function (key) {
      var el = read.places[key];
      if (el.classList.contains("hb-row") || filled(el)) touchFrom(el);
    });
  }

  function filled(el) {
    return children(el, "[data-input], select").some(function (input) { return input.value.trim() !== ""; }) ||
      children(el, "[data-choice]:checked").length > 0;
  }

  function touchFrom(el) {
    for (var node = el; node && node !== form; node = node.parentElement) {
      if (node.matches("[data-field], li.hb-row")) touched.add(node);
    }
  }

  // ------------------------------------------------------------------ copy and download

  function copyText(key) {
    var text = outputs[key];
    var note = root.querySelector('[data-copied="' + key + '"]');
    function done(ok) {
      note.textContent = ok ? "Copied." : "Copy failed: select the text below and copy it.";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "hb-offscreen";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function download(button) {
    var key = button.dataset.download;
    var read = collect();
    var blob = new Blob([outputs[key]], { type: button.dataset.mime + ";charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = fileSlug(read.data) + "." + button.dataset.ext;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // ------------------------------------------------------------------ events

  form.addEventListener("submit", function (e) { e.preventDefault(); });
  // A field the writer has typed in or changed: leaving it shows its notes. Passing through an
  // empty field on the way elsewhere shows nothing, so a blank form does not scold.
  var edited = new Set();
  function edit(e) {
    var host = e.target.closest && e.target.closest("[data-field]");
    if (host) edited.add(host);
    schedule();
  }
  form.addEventListener("input", edit);
  form.addEventListener("change", edit);
  // Leaving a field is when its notes appear: not before, so a blank form does not scold.
  form.addEventListener("focusout", function (e) {
    var host = e.target.closest("[data-field]");
    if (!host || !form.contains(host) || !edited.has(host)) return;
    var size = touched.size;
    touchFrom(host);
    if (touched.size !== size) schedule();
  });

  form.addEventListener("click", function (e) {
    var add = e.target.closest("[data-add]");
    if (add) {
      var fieldEl = add.closest("[data-field]");
      var node = addEntry(fieldEl);
      firstInput(node).focus();
      schedule();
      return;
    }
    var remove = e.target.closest("[data-remove]");
    if (remove) {
      var li = remove.closest("li");
      var owner = li.parentElement.closest("[data-field]");
      var next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      renumber(owner);
      (next ? firstInput(next) : owner.querySelector(":scope > [data-add]")).focus();
      schedule();
    }
  });

  // Enter in a list item adds the next item, as in a bulleted list.
  form.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || e.shiftKey || e.isComposing) return;
    var input = e.target;
    if (input.tagName !== "INPUT" || input.type === "checkbox") return;
    e.preventDefault();
    var li = input.closest(".hb-item");
    if (!li || !input.value.trim()) return;
    var owner = li.parentElement.closest("[data-field]");
    var node = addEntry(owner);
    li.parentElement.insertBefore(node, li.nextElementSibling);
    renumber(owner);
    firstInput(node).focus();
  });

  // Leaving the page saves what the last keystroke changed, before the debounce would.
  window.addEventListener("pagehide", function () {
    if (timer !== null) {
      clearTimeout(timer);
      update(true);
    }
  });

  byId("clear").addEventListener("click", function () {
    if (!window.confirm("Clear every field of this " + noun + "? The saved draft is deleted too; copy or download it first if you want to keep it.")) return;
    fill({});
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* nothing kept */ }
    draftLocked = false;
    touched.clear();
    edited.clear();
    checkAll = false;
    update(false);
    saveNote.textContent = "Form cleared; the saved draft is deleted.";
    firstInput(form).focus();
  });

  root.addEventListener("click", function (e) {
    var copy = e.target.closest("[data-copy]");
    if (copy) copyText(copy.dataset.copy);
    var dl = e.target.closest("[data-download]");
    if (dl) download(dl);
  });

  byId("load-button").addEventListener("click", function () {
    var text = byId("load-text").value;
    if (!text.trim()) {
      loadStatus.textContent = "Paste a " + noun + "'s YAML into the box first.";
      loadStatus.dataset.state = "error";
      return;
    }
    loadYaml(text, "the pasted text");
  });

  byId("load-file").addEventListener("change", function (e) {
    var file = e.target.files && e.target.files[0];
    if (!file) return;
    if (file.size > MAX_BYTES) {
      refuse(file.name + " is " + file.size.toLocaleString("en") + " bytes; a " + noun + " may be at most " + MAX_BYTES.toLocaleString("en") + ".");
      e.target.value = "";
      return;
    }
    var reader = new FileReader();
    reader.onload = function () { loadYaml(String(reader.result), file.name); };
    reader.onerror = function () { loadStatus.textContent = file.name + " could not be read."; };
    reader.readAsText(file);
  });

  // ------------------------------------------------------------------ start

  // "Check everything": the notes of every field, filled or not.
  var actions = root.querySelector(".hb-panel-actions");
  var checkButton = document.createElement("button");
  checkButton.type = "button";
  checkButton.className = "md-button md-button--primary";
  checkButton.id = prefix + "check-all";
  checkButton.textContent = "Check everything";
  actions.insertBefore(checkButton, actions.firstChild);
  var checkNote = document.createElement("p");
  checkNote.className = "hb-check-all-note";
  checkNote.id = prefix + "check-all-note";
  actions.parentNode.insertBefore(checkNote, actions);
  checkButton.addEventListener("click", function () {
    checkAll = true;
    update(false);
    byId("summary-count").focus();
  });
  byId("summary-count").setAttribute("tabindex", "-1");

  var draft = loadDraft();
  try {
    fill(draft || {});
  } catch (e) {
    setAside(JSON.stringify({ version: 1, data: draft }), "it could not be put into the form (" + e.message + ")");
    draft = null;
    fill({});
  }
  if (draft) markFilled();
  update(false);
  if (draft) saveNote.textContent = "Your draft was restored from this browser. It stays here until you clear it.";

  return {
    collect: function () { return collect().data; },
    fill: function (d) { fill(d); markFilled(); update(true); },
    checkEverything: function () { checkAll = true; update(false); },
    toYaml: kind === "kit" ? kitYaml : toYaml, toMarkdown: toMarkdown, outputs: outputs, update: update,
  };
  }

  // ------------------------------------------------------------------ the builders, and the chooser

  var story = document.getElementById("hb-builder");
  var kit = document.getElementById("hb-kit-builder");
  if (story && !story.dataset.ready) window.HandbookBuilder = start(story);
  if (kit && !kit.dataset.ready) window.HandbookKitBuilder = start(kit);

  var chooser = document.getElementById("hb-kind");
  if (!chooser || !story || !kit || chooser.dataset.ready) return;
  chooser.dataset.ready = "1";
  var KIND_KEY = "prep-handbook.builder.kind";
  function choose(value, remember) {
    story.hidden = value === "kit";
    kit.hidden = value !== "kit";
    Array.prototype.forEach.call(chooser.querySelectorAll("input[name=hb-kind]"), function (radio) { radio.checked = radio.value === value; });
    if (remember) {
      try { window.localStorage.setItem(KIND_KEY, value); } catch (e) { /* the choice lasts this visit */ }
    }
  }
  var asked = new URLSearchParams(window.location.search).get("kind");
  var kept = null;
  try { kept = window.localStorage.getItem(KIND_KEY); } catch (e) { kept = null; }
  choose(asked === "kit" || asked === "story" ? asked : kept === "kit" ? "kit" : "story", false);
  chooser.hidden = false;
  chooser.addEventListener("change", function (e) {
    if (e.target.name === "hb-kind") choose(e.target.value, true);
  });
})();
