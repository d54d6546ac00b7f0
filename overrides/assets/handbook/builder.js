/* The story builder: reads the form that the build generated from template.yml, checks the
   story with checker.js as the reader types, keeps the draft in localStorage, and writes the
   story out as YAML (for data/stories/) and as Markdown (as `handbook render` would). */
(function () {
  "use strict";

  var root = document.getElementById("hb-builder");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";

  var template = JSON.parse(document.getElementById("hb-template").textContent);
  var rules = JSON.parse(document.getElementById("hb-rules").textContent);
  var spec = template.story;
  var form = document.getElementById("hb-form");
  var folder = root.dataset.folder;
  var storageKey = root.dataset.storageKey;
  var siteRoot = root.dataset.root || "";
  var yaml = window.jsyaml;
  var Checker = window.HandbookChecker;
  var Figures = window.HandbookFigures;
  var idCounter = 0;
  var outputs = { yaml: "", markdown: "" };

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
    return specFor(spec.meta, key) || specFor(spec.sections, key);
  }

  function instantiate(tpl) {
    var prefix = "hb-n" + ++idCounter;
    var fragment = tpl.content.cloneNode(true);
    var node = fragment.querySelector("li, tr");
    [node].concat(children(node, "[id], [for], [aria-describedby], [aria-labelledby]")).forEach(function (el) {
      ["id", "for", "aria-describedby", "aria-labelledby"].forEach(function (name) {
        var value = el.getAttribute(name);
        if (value && value.indexOf("__id__") !== -1) el.setAttribute(name, value.split("__id__").join(prefix));
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
    requireKeys(spec.meta.concat(spec.sections), data, [], problems);
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
      el.querySelector("[data-input]").checked = value === true;
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
      li.appendChild(document.createTextNode(" (needed before handbook check accepts the story)"));
    }
    return li;
  }

  var lastSummary = "";

  function showFindings(findings, places) {
    children(root, "[data-findings]").forEach(function (ul) { ul.textContent = ""; });
    children(form, "[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var list = document.getElementById("hb-summary-list");
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
    var count = findings.length
      ? errors + (errors === 1 ? " error, " : " errors, ") + warnings + (warnings === 1 ? " warning" : " warnings")
      : "Meets the handbook's bar: the checker finds nothing to improve.";
    var summary = count + "|" + findings.map(function (f) { return f.field + f.message; }).join("|");
    if (summary === lastSummary) return;
    lastSummary = summary;
    document.getElementById("hb-summary-count").textContent = count;
    list.textContent = "";
    items.forEach(function (li) { list.appendChild(li); });
    root.dataset.errors = String(errors);
    root.dataset.warnings = String(warnings);
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
    var el = document.getElementById("hb-duration");
    el.textContent = "About " + shown + " min to say at " + speaking.words_per_minute + " words a minute: " + words +
      " of " + Figures.pyG(low) + "–" + Figures.pyG(high) + " min.";
    el.dataset.band = band;
  }

  // ------------------------------------------------------------------ update cycle

  var saveNote = document.getElementById("hb-saved");

  function update(save) {
    var read = collect();
    var findings = read.problems.concat(Checker.check(read.data, "story", template, rules));
    findings.forEach(function (f) { f.order = order(hostOf(f.loc, read.places)); });
    findings.sort(function (a, b) { return a.order - b.order || String(a.rule).localeCompare(String(b.rule)); });
    showFindings(findings, read.places);
    showDuration(read.data);
    outputs.yaml = toYaml(read.data);
    outputs.markdown = toMarkdown(read.data);
    document.getElementById("hb-out-yaml").textContent = outputs.yaml;
    document.getElementById("hb-out-markdown").textContent = outputs.markdown;
    document.getElementById("hb-filename").textContent = "data/stories/" + slugOf(read.data.title) + ".yml";
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

  function saveDraft(data) {
    try {
      if (Object.keys(data).length) window.localStorage.setItem(storageKey, JSON.stringify({ version: 1, data: data }));
      else window.localStorage.removeItem(storageKey);
      saveNote.textContent = "Draft saved in this browser at " + new Date().toLocaleTimeString() + ". Nothing leaves your computer.";
    } catch (e) {
      saveNote.textContent = "This browser refuses to keep a draft (" + e.name + "): copy or download your story before you leave.";
    }
  }

  function loadDraft() {
    try {
      var raw = window.localStorage.getItem(storageKey);
      if (!raw) return null;
      var stored = JSON.parse(raw);
      return stored && stored.version === 1 && stored.data && typeof stored.data === "object" ? stored.data : null;
    } catch (e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ loading YAML

  var loadStatus = document.getElementById("hb-load-status");

  function loadYaml(text, source) {
    var data;
    try {
      data = yaml.load(text, { schema: yaml.YAML11_SCHEMA });
    } catch (e) {
      loadStatus.textContent = source + " is not valid YAML: " + (e.reason || e.message).split("\n")[0] + (e.mark ? " (line " + (e.mark.line + 1) + ", column " + (e.mark.column + 1) + ")" : "") + ". The form is unchanged.";
      loadStatus.dataset.state = "error";
      return false;
    }
    if (!data || typeof data !== "object" || Array.isArray(data)) {
      loadStatus.textContent = source + " holds no story: expected a mapping of keys at the top. The form is unchanged.";
      loadStatus.dataset.state = "error";
      return false;
    }
    var known = spec.meta.concat(spec.sections).map(function (f) { return f.key; });
    var unknown = Object.keys(data).filter(function (k) { return known.indexOf(k) === -1; });
    fill(data);
    update(true);
    loadStatus.dataset.state = unknown.length ? "warning" : "ok";
    loadStatus.textContent = "Loaded " + (data.title || data.headline || "the story") + " from " + source + "." +
      (unknown.length ? " Not loaded, since the template has no such key: " + unknown.join(", ") + "." : "");
    return true;
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
    a.download = slugOf(read.data.title) + "." + button.dataset.ext;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // ------------------------------------------------------------------ events

  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

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

  document.getElementById("hb-clear").addEventListener("click", function () {
    if (!window.confirm("Clear every field of this story? The saved draft is deleted too; copy or download it first if you want to keep it.")) return;
    fill({});
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* nothing kept */ }
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

  document.getElementById("hb-load-button").addEventListener("click", function () {
    var text = document.getElementById("hb-load-text").value;
    if (!text.trim()) {
      loadStatus.textContent = "Paste a story's YAML into the box first.";
      loadStatus.dataset.state = "error";
      return;
    }
    loadYaml(text, "the pasted text");
  });

  document.getElementById("hb-load-file").addEventListener("change", function (e) {
    var file = e.target.files && e.target.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () { loadYaml(String(reader.result), file.name); };
    reader.onerror = function () { loadStatus.textContent = file.name + " could not be read."; };
    reader.readAsText(file);
  });

  // ------------------------------------------------------------------ start

  var draft = loadDraft();
  fill(draft || {});
  update(false);
  if (draft) saveNote.textContent = "Your draft was restored from this browser. It stays here until you clear it.";

  window.HandbookBuilder = { collect: function () { return collect().data; }, fill: function (d) { fill(d); update(true); }, toYaml: toYaml, toMarkdown: toMarkdown, outputs: outputs, update: update };
})();
