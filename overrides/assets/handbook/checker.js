/* The checker's vocabulary, as prep_handbook/rules.py CHECKS implements it: the same check names,
   the same params (refused when the Python model would refuse them), the same `when:` of each rule,
   over the same declarations (rules.yml, embedded in the page), giving the same rule ids,
   severities, locations and messages. A pure function of (story, kind, template, rules, folder,
   context). The prep-kit checks of prep_handbook/kits.py are here too (UNTYPED: checks that declare
   no params model); those that read other files read `context`, what the page embeds of them
   (kits.page_context: each story's folder, path, errors and draft flag; each hypothetical's title and
   steps), and find nothing without it, as in Python. Needs figures.js. */
(function () {
  "use strict";

  var Figures = window.HandbookFigures;
  var W = "[\\p{L}\\p{N}_]"; // Python's \w on text
  var DIGIT = /\p{Nd}/u;
  var WORD = /[\p{L}\p{N}_’'-]+|\p{Nd}+(?:\.\p{Nd}+)?/gu;
  var FIRST_WORD = /[A-Za-z][\p{L}\p{N}_’'-]*/u;
  var TOKEN = /[A-Za-z][A-Za-z0-9]*/g;
  var BEFORE = new RegExp("(?<!" + W + ")from\\s+[~≈<>]?\\s*[$€£]?\\p{Nd}|\\p{Nd}\\s*(?:→|->|to)\\s*[~≈<>]?\\s*[$€£]?\\p{Nd}", "u");

  function anyCase(word) {
    return word.replace(/\p{L}/gu, function (c) {
      var lower = c.toLowerCase();
      var upper = c.toUpperCase();
      return lower === upper ? c : "[" + lower + upper + "]";
    });
  }

  // \b(?:I|(?i:me|my|mine|myself))\b  and  \b(?:we|our|ours|us|ourselves)\b, ignoring case
  var I_WORDS = new RegExp("(?<!" + W + ")(?:I|" + ["me", "my", "mine", "myself"].map(anyCase).join("|") + ")(?!" + W + ")", "gu");
  var WE_WORDS = new RegExp("(?<!" + W + ")(?:we|our|ours|us|ourselves)(?!" + W + ")", "giu");

  function has(obj, key) {
    return isMapping(obj) && Object.prototype.hasOwnProperty.call(obj, key);
  }

  function isMapping(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function get(obj, key, fallback) {
    return has(obj, key) ? obj[key] : fallback;
  }

  function str(value) {
    return typeof value === "string" ? value : "";
  }

  function isNumber(value) {
    return typeof value === "number";
  }

  function present(value) {
    if (value === null || value === undefined || value === "") return false;
    if (Array.isArray(value)) return value.length > 0;
    if (isMapping(value)) return Object.keys(value).length > 0;
    return true;
  }

  function formatField(loc) {
    var out = "";
    loc.forEach(function (part) {
      if (typeof part === "number") out += "[" + part + "]";
      else out += (out ? "." : "") + part;
    });
    return out;
  }

  function escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&").replace(/ /g, "\\s+");
  }

  // One pattern for a list of words or phrases: whole words (plural s/es allowed), or word starts.
  function patterns(words, prefix, flags) {
    var sorted = words.slice().sort(function (a, b) { return b.length - a.length; });
    var end = prefix ? "" : "(?:s|es)?(?!" + W + ")";
    return new RegExp("(?<!" + W + ")(?:" + sorted.map(escape).join("|") + ")" + end, flags || "iu");
  }

  function phrasePattern(phrase) {
    return new RegExp("(?<!" + W + ")" + escape(phrase) + "(?:s|es)?(?!" + W + ")", "iu");
  }

  function count(pattern, text) {
    return (text.match(pattern) || []).length;
  }

  // --- the params each check takes, as the Python models declare them --------------------

  var KINDS = ["technical", "business", "user", "guardrail", "follow-up"];
  var P = {
    kinds: { type: "choices", choices: KINDS, min: 1, required: true },
    words: { type: "strings", min: 0 },
    wordsRequired: { type: "strings", min: 1, required: true },
    path: { type: "string", required: true },
    stringsOptional: { type: "strings", min: 0 },
    stringsRequired: { type: "strings", min: 1, required: true },
  };
  var PARAMS = {
    outcome_numbers: { kinds: P.kinds, words: P.words },
    outcome_unit: { kinds: P.kinds },
    outcome_baseline: { kinds: P.kinds },
    any_outcome_kind: { kinds: P.kinds },
    stated_change: { finding: { type: "choice", choices: ["wrong", "unreadable"] } },
    records_with: { path: P.path, fields: P.stringsRequired, any_of: P.stringsOptional, min: { type: "integer", ge: 1, required: true } },
    mentions: { path: P.path, present: P.stringsOptional, fields: P.stringsRequired, words: P.wordsRequired, match: { type: "choice", choices: ["prefix", "word"] } },
    pronoun_balance: { min_i: { type: "integer", ge: 1, required: true }, max_share: { type: "number", gt: 0, le: 1, required: true }, credit: P.words },
    lessons: { path: P.path, fields: P.stringsRequired, actions: P.wordsRequired, platitudes: P.words },
    spoken_minutes: {
      outside: { type: "choice", choices: ["story_minutes", "hypothetical_minutes"], nullable: true },
      unless_above: { type: "choice", choices: ["story_limit_minutes"], nullable: true },
      above: { type: "choice", choices: ["story_limit_minutes"], nullable: true },
    },
    words_without_number: { words: P.wordsRequired, fields: P.stringsOptional },
    phrases: { phrases: P.wordsRequired },
    personal_role: { path: P.path, present: P.stringsOptional, verbs: P.words, min_share: { type: "number", gt: 0, le: 1 } },
    goal_tie: { goal: P.stringsRequired, kinds: P.kinds, stopwords: P.words },
    expected_value: {},
  };
  var DEFAULTS = {
    stated_change: { finding: "wrong" },
    outcome_numbers: { words: [] },
    records_with: { any_of: [] },
    mentions: { present: [], match: "prefix" },
    pronoun_balance: { credit: [] },
    lessons: { platitudes: [] },
    spoken_minutes: { outside: null, unless_above: null, above: null },
    words_without_number: { fields: [] },
    personal_role: { present: [], verbs: [], min_share: 0.5 },
    goal_tie: { stopwords: [] },
  };
  var WHEN = ["unless_tagged", "unless_only", "folders"];

  function paramProblem(spec, value) {
    if (value === null && spec.nullable) return null;
    if (spec.type === "string") return typeof value === "string" ? null : "expected text";
    if (spec.type === "integer") {
      if (typeof value !== "number" || !Number.isInteger(value)) return "expected a whole number";
      return spec.ge !== undefined && value < spec.ge ? "must be at least " + spec.ge : null;
    }
    if (spec.type === "number") {
      if (typeof value !== "number" || !isFinite(value)) return "expected a number";
      if (spec.gt !== undefined && !(value > spec.gt)) return "must be greater than " + spec.gt;
      return spec.le !== undefined && !(value <= spec.le) ? "must be at most " + spec.le : null;
    }
    if (spec.type === "choice") return spec.choices.indexOf(value) !== -1 ? null : "must be one of: " + spec.choices.join(", ");
    if (!Array.isArray(value)) return "expected a list";
    if (value.length < spec.min) return "must not be empty";
    for (var i = 0; i < value.length; i++) {
      if (typeof value[i] !== "string") return "expected a list of text";
      if (spec.type === "choices" && spec.choices.indexOf(value[i]) === -1) return "must be among: " + spec.choices.join(", ");
    }
    return null;
  }

  // Every way the declared rules are wrong for this checker, as "rule id: where: what" lines.
  function ruleProblems(rules) {
    var out = [];
    (rules.rules || []).forEach(function (rule) {
      var spec = PARAMS[rule.check];
      var where = "rule " + rule.id + ": ";
      if (Object.prototype.hasOwnProperty.call(UNTYPED, rule.check)) return; // any params, as a plain mapping
      if (!spec) {
        var known = Object.keys(PARAMS).concat(Object.keys(UNTYPED)).sort();
        out.push(where + "check: unknown check '" + rule.check + "' (known: " + known.join(", ") + ")");
        return;
      }
      var params = rule.params || {};
      var unknown = false;
      Object.keys(params).forEach(function (key) {
        if (!Object.prototype.hasOwnProperty.call(spec, key)) {
          unknown = true;
          out.push(where + "params." + key + ": unknown param (expected one of: " + Object.keys(spec).join(", ") + ")");
        } else {
          var problem = paramProblem(spec[key], params[key]);
          if (problem) out.push(where + "params." + key + ": " + problem);
        }
      });
      // A missing param beside an unknown one is a misspelling: the unknown one already says it.
      Object.keys(spec).forEach(function (key) {
        if (!unknown && spec[key].required && !Object.prototype.hasOwnProperty.call(params, key)) out.push(where + "params: param '" + key + "' is required");
      });
      Object.keys(rule.when || {}).forEach(function (key) {
        if (WHEN.indexOf(key) === -1) out.push(where + "when." + key + ": unknown key");
        else if (paramProblem(P.stringsOptional, rule.when[key])) out.push(where + "when." + key + ": expected a list of text");
      });
    });
    return out;
  }

  // --- a story, read once --------------------------------------------------------------

  function texts(value, loc, out) {
    loc = loc || [];
    out = out || [];
    if (typeof value === "string") out.push([loc, value]);
    else if (Array.isArray(value)) value.forEach(function (item, i) { texts(item, loc.concat([i]), out); });
    else if (isMapping(value)) Object.keys(value).forEach(function (k) { texts(value[k], loc.concat([k]), out); });
    return out;
  }

  function numbers(value) {
    if (typeof value === "number") return 1;
    if (Array.isArray(value)) return value.reduce(function (n, item) { return n + numbers(item); }, 0);
    if (isMapping(value)) return Object.keys(value).reduce(function (n, k) { return n + numbers(value[k]); }, 0);
    return 0;
  }

  function storyView(data, template, kind, folder) {
    var keys = kind === "hypothetical" ? Object.keys(data) : template.story.sections.map(function (s) { return s.key; });
    var found = [];
    keys.forEach(function (key) { if (has(data, key)) texts(data[key], [key], found); });
    var words = found.reduce(function (n, pair) { return n + (pair[1].match(WORD) || []).length; }, 0);
    words += keys.reduce(function (n, key) { return n + numbers(get(data, key)); }, 0);
    var rawTags = get(data, "tags");
    var tags = Array.isArray(rawTags) ? rawTags.filter(function (t) { return typeof t === "string"; }) : [];
    return { data: data, kind: kind, folder: folder || null, tags: tags, texts: found, words: words };
  }

  // For each [location, text] holding no digit, the first of `list` ([word, pattern]) it says, as a
  // finding: the vague-words rule of stories and of kits (only their patterns and texts differ).
  function firstWordWithoutNumber(pairs, list) {
    var out = [];
    pairs.forEach(function (pair) {
      if (DIGIT.test(pair[1])) return;
      for (var i = 0; i < list.length; i++) {
        if (list[i][1].test(pair[1])) {
          out.push([pair[0], { word: list[i][0] }]);
          break;
        }
      }
    });
    return out;
  }

  function textsUnder(view, paths) {
    if (!paths.length) return view.texts.slice();
    var prefixes = paths.map(function (p) { return p.split("."); });
    return view.texts.filter(function (pair) {
      var keys = pair[0].filter(function (part) { return typeof part !== "number"; });
      return prefixes.some(function (prefix) {
        if (keys.length < prefix.length) return false;
        for (var i = 0; i < prefix.length; i++) if (keys[i] !== prefix[i]) return false;
        return true;
      });
    });
  }

  function wordCount(data, template) {
    return storyView(data, template, "story").words;
  }

  function spokenMinutes(data, template, speaking) {
    return wordCount(data, template) / speaking.words_per_minute;
  }

  function records(data, key) {
    var list = get(data, key);
    if (!Array.isArray(list)) return [];
    var out = [];
    list.forEach(function (r, i) { if (isMapping(r)) out.push([i, r]); });
    return out;
  }

  function outcomes(data, kinds) {
    return records(data, "outcomes").filter(function (pair) { return kinds.indexOf(get(pair[1], "kind")) !== -1; });
  }

  function valuesAt(data, dotted, out) {
    out = out || [];
    if (Array.isArray(data)) {
      data.forEach(function (item) { valuesAt(item, dotted, out); });
      return out;
    }
    if (!dotted) {
      out.push(data);
      return out;
    }
    var dot = dotted.indexOf(".");
    var head = dot === -1 ? dotted : dotted.slice(0, dot);
    var rest = dot === -1 ? "" : dotted.slice(dot + 1);
    if (has(data, head)) valuesAt(data[head], rest, out);
    return out;
  }

  function anyPresent(data, paths) {
    return paths.some(function (dotted) { return valuesAt(data, dotted).some(present); });
  }

  function fmt(value) {
    return Figures.pyG(value);
  }

  function applies(when, view) {
    when = when || {};
    var tags = view.tags;
    if ((when.unless_tagged || []).length && tags.some(function (t) { return when.unless_tagged.indexOf(t) !== -1; })) return false;
    if ((when.unless_only || []).length && tags.length && tags.every(function (t) { return when.unless_only.indexOf(t) !== -1; })) return false;
    return !(when.folders || []).length || when.folders.indexOf(view.folder) !== -1;
  }

  function stems(text, stop) {
    var out = {};
    (text.match(TOKEN) || []).forEach(function (token) {
      if (token.length >= 2 && ((token === token.toUpperCase() && /[A-Z]/.test(token)) || /[0-9]/.test(token))) {
        out[token.toLowerCase()] = true;
        return;
      }
      var word = token.toLowerCase();
      if (word.length < 4 || stop[word]) return;
      if (word.slice(-1) === "s" && word.slice(-2) !== "ss") word = word.slice(0, -1);
      out[word.slice(0, 5)] = true;
    });
    return out;
  }

  // --- the vocabulary ---------------------------------------------------------------

  var CHECKS = {
    outcome_numbers: function (view, params) {
      var words = params.words.length ? patterns(params.words, false) : null;
      var out = [];
      outcomes(view.data, params.kinds).forEach(function (pair) {
        var o = pair[1];
        if (isNumber(get(o, "baseline")) || isNumber(get(o, "outcome"))) return;
        var said = ["metric", "change", "note"].map(function (k) { return str(get(o, k)); }).join(" ");
        if (DIGIT.test(said) || (words && words.test(said))) return;
        out.push([["outcomes", pair[0]], { metric: str(get(o, "metric")) }]);
      });
      return out;
    },

    outcome_unit: function (view, params) {
      return outcomes(view.data, params.kinds).filter(function (pair) {
        var o = pair[1];
        var numeric = isNumber(get(o, "baseline")) || isNumber(get(o, "outcome"));
        return numeric && !str(get(o, "unit")).trim();
      }).map(function (pair) { return [["outcomes", pair[0]], { metric: str(get(pair[1], "metric")) }]; });
    },

    outcome_baseline: function (view, params) {
      return outcomes(view.data, params.kinds).filter(function (pair) {
        var o = pair[1];
        if (!str(get(o, "change")).trim()) return false;
        if (isNumber(get(o, "baseline")) && isNumber(get(o, "outcome"))) return false;
        return !BEFORE.test(str(get(o, "note")));
      }).map(function (pair) { return [["outcomes", pair[0], "change"], { metric: str(get(pair[1], "metric")), change: str(get(pair[1], "change")) }]; });
    },

    any_outcome_kind: function (view, params) {
      return outcomes(view.data, params.kinds).length ? [] : [[["outcomes"], {}]];
    },

    stated_change: function (view, params) {
      var data = view.data;
      var out = [];
      var list = get(data, "outcomes", []);
      var wanted = params && params.finding === "unreadable" ? ["unreadable"] : ["wrong", "undefined"];
      if (!Array.isArray(list)) return out;
      list.forEach(function (o, i) {
        if (!(has(o, "baseline") && has(o, "outcome") && has(o, "change"))) return;
        var unit = str(get(o, "unit", ""));
        var verdict = Figures.assessChange(o.baseline, o.outcome, o.change, unit, str(get(o, "metric", "")));
        if (wanted.indexOf(verdict.status) === -1) return;
        out.push([["outcomes", i, "change"], {
          metric: str(o.metric),
          baseline: Figures.quantity(o.baseline, unit),
          outcome: Figures.quantity(o.outcome, unit),
          stated: verdict.stated,
          correct: verdict.correct,
          verdict: verdict.explain(),
          forms: Figures.acceptedForms,
        }]);
      });
      return out;
    },

    records_with: function (view, params) {
      var list = records(view.data, params.path);
      var n = list.filter(function (pair) {
        var r = pair[1];
        var all = params.fields.every(function (f) { return present(get(r, f)); });
        return all && (!params.any_of.length || params.any_of.some(function (f) { return present(get(r, f)); }));
      }).length;
      return n < params.min ? [[[params.path], { count: n, total: list.length, min: params.min }]] : [];
    },

    mentions: function (view, params) {
      if (anyPresent(view.data, params.present)) return [];
      var pattern = patterns(params.words, params.match === "prefix");
      var found = textsUnder(view, params.fields).some(function (pair) { return pattern.test(pair[1]); });
      return found ? [] : [[[params.path], {}]];
    },

    pronoun_balance: function (view, params) {
      var credit = params.credit.length ? patterns(params.credit, false, "giu") : null;
      var iCount = 0;
      var weCount = 0;
      var first = null;
      view.texts.forEach(function (pair) {
        var found = count(I_WORDS, pair[1]);
        if (found && first === null) first = pair[0];
        iCount += found;
        weCount += count(WE_WORDS, pair[1]) + (credit ? count(credit, pair[1]) : 0);
      });
      var total = iCount + weCount;
      return iCount >= params.min_i && iCount / total > params.max_share ? [[first, { i: iCount, we: weCount }]] : [];
    },

    lessons: function (view, params) {
      var actions = patterns(params.actions, true);
      var platitudes = params.platitudes.length ? patterns(params.platitudes, true) : null;
      var lessons = textsUnder(view, params.fields);
      for (var i = 0; i < lessons.length; i++) {
        if (actions.test(lessons[i][1]) && !(platitudes && platitudes.test(lessons[i][1]))) return [];
      }
      var what = lessons.length ? "'" + lessons[0][1].trim() + "' names no change of practice" : "no lesson is given";
      return [[[params.path], { what: what }]];
    },

    spoken_minutes: function (view, params, speaking) {
      var minutes = Number(Figures.pyFixed(view.words / speaking.words_per_minute, 1));
      var values = { minutes: Figures.pyFixed(minutes, 1), wpm: speaking.words_per_minute };
      var out = [];
      if (params.outside) {
        var range = speaking[params.outside];
        var overLimit = params.unless_above !== null && minutes > speaking[params.unless_above];
        if (!(range[0] <= minutes && minutes <= range[1]) && !overLimit) {
          out.push([["headline"], Object.assign({}, values, { low: fmt(range[0]), high: fmt(range[1]) })]);
        }
      }
      if (params.above) {
        var limit = speaking[params.above];
        if (minutes > limit) out.push([["headline"], Object.assign({}, values, { limit: fmt(limit) })]);
      }
      return out;
    },

    words_without_number: function (view, params) {
      var list = params.words.map(function (w) { return [w, phrasePattern(w)]; });
      return firstWordWithoutNumber(textsUnder(view, params.fields), list);
    },

    phrases: function (view, params) {
      var list = params.phrases.map(phrasePattern);
      var out = [];
      view.texts.forEach(function (pair) {
        for (var i = 0; i < list.length; i++) {
          var match = list[i].exec(pair[1]);
          if (match) {
            out.push([pair[0], { phrase: match[0] }]);
            break;
          }
        }
      });
      return out;
    },

    personal_role: function (view, params) {
      if (anyPresent(view.data, params.present)) return [];
      if (view.texts.some(function (pair) { return count(I_WORDS, pair[1]) > 0; })) return [];
      var verbs = params.verbs.map(function (v) { return v.toLowerCase(); });
      var items = textsUnder(view, [params.path]);
      var led = items.filter(function (pair) {
        var first = FIRST_WORD.exec(pair[1]);
        var word = first ? first[0].toLowerCase() : "";
        return word.slice(-2) === "ed" || verbs.indexOf(word) !== -1;
      }).length;
      if (items.length && led / items.length >= params.min_share) return [];
      return [[[params.path], {}]];
    },

    goal_tie: function (view, params) {
      var stop = {};
      params.stopwords.forEach(function (w) { stop[w.toLowerCase()] = true; });
      var goal = {};
      textsUnder(view, params.goal).forEach(function (pair) { Object.assign(goal, stems(pair[1], stop)); });
      if (!Object.keys(goal).length) return [];
      var tied = outcomes(view.data, params.kinds).some(function (pair) {
        return Object.keys(stems(str(get(pair[1], "metric")), stop)).some(function (s) { return goal[s]; });
      });
      return tied ? [] : [[["outcomes"], {}]];
    },

    expected_value: function (view) {
      var decision = get(view.data, "decision");
      var out = [];
      if (!isMapping(decision)) return out;
      records(decision, "options").forEach(function (pair) {
        var i = pair[0];
        var option = pair[1];
        var inputs = ["probability", "benefit", "cost", "weeks"].map(function (k) { return get(option, k); });
        if (!inputs.every(isNumber)) return;
        var ev = Figures.expectedValue(option.probability, option.benefit, option.cost);
        [["stated_ev", "EV", ev], ["stated_ev_per_week", "EV per week", option.weeks ? ev / option.weeks : null]].forEach(function (p) {
          if (!isNumber(get(option, p[0])) || p[2] === null) return;
          var result = Figures.checkStated(option[p[0]], p[2]);
          if (!result[0]) {
            out.push([["decision", "options", i, p[0]], { name: str(get(option, "name")), label: p[1], stated: fmt(option[p[0]]), correct: result[1] }]);
          }
        });
      });
      return out;
    },
  };

  // --- the prep-kit checks (kits.py): fn(data, params, template, speaking, context) --------

  var KIT_WORD = /[\p{L}\p{N}_’'-]+/gu;
  var PLAYBOOK_PREFIX = "playbook/";

  function exactPattern(phrase) {
    return new RegExp("(?<!" + W + ")" + escape(phrase) + "(?!" + W + ")", "iu");
  }

  function list(data, key) {
    var value = get(data, key);
    return Array.isArray(value) ? value : [];
  }

  function pyStr(value) {
    return value === null || value === undefined ? "None" : String(value);
  }

  // kits.playbook_seconds: the words of the steps at the speaking rate, to the second (halves to even).
  function playbookSeconds(steps, wordsPerMinute) {
    var words = steps.reduce(function (n, step) { return n + (String(step).match(KIT_WORD) || []).length; }, 0);
    return Number(Figures.pyFixed(words * 60 / wordsPerMinute, 0));
  }

  // kits.rehearsal_items: the kit's stories, then playbook/<hypothetical> for each hypothetical of the template.
  function rehearsalItems(data, template) {
    var choices = [];
    ((template.kit || {}).fields || []).forEach(function (f) {
      if (f.key !== "playbooks") return;
      (f.fields || []).forEach(function (sub) { if (sub.key === "hypothetical") choices = sub.choices || []; });
    });
    return list(data, "stories").concat(choices.map(function (slug) { return PLAYBOOK_PREFIX + slug; }));
  }

  function storyIn(context, name) {
    var stories = (context && context.stories) || {};
    return typeof name === "string" && Object.prototype.hasOwnProperty.call(stories, name) ? stories[name] : null;
  }

  // (location, text) for each text at a dotted path, fanning out over lists (rules.values_at, then texts).
  function valuesWithLoc(data, dotted, loc, out) {
    if (Array.isArray(data)) {
      data.forEach(function (item, i) { valuesWithLoc(item, dotted, loc.concat([i]), out); });
      return out;
    }
    if (!dotted) return texts(data, loc, out);
    var dot = dotted.indexOf(".");
    var head = dot === -1 ? dotted : dotted.slice(0, dot);
    if (has(data, head)) valuesWithLoc(data[head], dot === -1 ? "" : dotted.slice(dot + 1), loc.concat([head]), out);
    return out;
  }

  // Each returns [location, values] pairs; the cross-file ones find nothing without a context.
  var UNTYPED = {
    kit_story_missing: function (data, params, template, speaking, context) {
      if (!context) return [];
      var out = [];
      list(data, "stories").forEach(function (name, i) {
        if (!storyIn(context, name)) out.push([["stories", i], { name: pyStr(name) }]);
      });
      return out;
    },

    kit_story_fails: function (data, params, template, speaking, context) {
      if (!context) return [];
      var out = [];
      list(data, "stories").forEach(function (name, i) {
        var found = storyIn(context, name);
        if (found && found.errors) {
          out.push([["stories", i], { name: name, problems: found.errors + " error" + (found.errors !== 1 ? "s" : ""), path: found.path }]);
        }
      });
      return out;
    },

    kit_story_draft: function (data, params, template, speaking, context) {
      if (!context) return [];
      var out = [];
      list(data, "stories").forEach(function (name, i) {
        var found = storyIn(context, name);
        if (found && found.draft) out.push([["stories", i], { name: name, path: found.path }]);
      });
      return out;
    },

    kit_playbook_steps: function (data, params, template, speaking, context) {
      if (!context) return [];
      var hypotheticals = context.hypotheticals || {};
      var out = [];
      list(data, "playbooks").forEach(function (playbook, i) {
        var slug = get(playbook, "hypothetical");
        var steps = get(playbook, "steps");
        if (typeof slug !== "string" || !Array.isArray(steps) || !Object.prototype.hasOwnProperty.call(hypotheticals, slug)) return;
        var expected = hypotheticals[slug].steps;
        if (steps.length !== expected.length) {
          out.push([["playbooks", i, "steps"], { title: hypotheticals[slug].title, count: steps.length, expected: expected.length, steps: expected.join(", ") }]);
        }
      });
      return out;
    },

    unique_records: function (data, params) {
      var seen = [];
      var out = [];
      list(data, params.path).forEach(function (record, i) {
        var value = get(record, params.field);
        if (seen.indexOf(value) !== -1) out.push([[params.path, i, params.field], { value: pyStr(value) }]);
        seen.push(value);
      });
      return out;
    },

    playbook_seconds: function (data, params, template, speaking) {
      var band = speaking[params.outside];
      var out = [];
      list(data, "playbooks").forEach(function (playbook, i) {
        var steps = get(playbook, "steps");
        if (!Array.isArray(steps)) return;
        var seconds = playbookSeconds(steps, speaking.words_per_minute);
        if (!(band[0] <= seconds && seconds <= band[1])) {
          out.push([["playbooks", i, "steps"], {
            hypothetical: pyStr(get(playbook, "hypothetical")),
            seconds: seconds,
            wpm: speaking.words_per_minute,
            low: fmt(band[0]),
            high: fmt(band[1]),
          }]);
        }
      });
      return out;
    },

    list_length: function (data, params) {
      var items = list(data, params.path);
      return items.length && items.length < params.min ? [[[params.path], { count: items.length, min: params.min }]] : [];
    },

    kit_words_without_number: function (data, params) {
      var words = params.words.map(function (w) { return [w, exactPattern(w)]; });
      var pairs = [];
      params.fields.forEach(function (dotted) { pairs = pairs.concat(valuesWithLoc(data, dotted, [], [])); });
      return firstWordWithoutNumber(pairs, words);
    },

    kit_rehearsal_item: function (data, params, template) {
      var allowed = rehearsalItems(data, template);
      var out = [];
      list(data, "rehearsals").forEach(function (run, i) {
        var item = get(run, "item");
        if (allowed.indexOf(item) === -1) out.push([["rehearsals", i, "item"], { item: pyStr(item) }]);
      });
      return out;
    },
  };

  // Python's str.format_map with unknown keys left as {key}.
  function fill(message, values) {
    return message.replace(/\{\{|\}\}|\{([^{}]*)\}/g, function (all, key) {
      if (all === "{{") return "{";
      if (all === "}}") return "}";
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function check(data, kind, template, rules, folder, context) {
    var problems = ruleProblems(rules);
    if (problems.length) throw new Error("rules.yml: " + problems.join("; "));
    data = isMapping(data) ? data : {};
    var view = storyView(data, template, kind, folder);
    var findings = [];
    rules.rules.forEach(function (rule) {
      if (rule.applies_to !== kind || !applies(rule.when, view)) return;
      var found;
      if (Object.prototype.hasOwnProperty.call(UNTYPED, rule.check)) {
        found = UNTYPED[rule.check](data, Object.assign({}, rule.params || {}), template, rules.speaking, context || null);
      } else {
        found = CHECKS[rule.check](view, Object.assign({}, DEFAULTS[rule.check] || {}, rule.params || {}), rules.speaking);
      }
      found.forEach(function (found) {
        var loc = found[0] || [];
        findings.push({
          rule: rule.id,
          severity: rule.severity,
          loc: loc,
          field: formatField(loc),
          message: fill(rule.message, found[1]),
          hint: rule.hint,
          see: rule.see,
        });
      });
    });
    return findings;
  }

  window.HandbookChecker = {
    CHECKS: CHECKS,
    PARAMS: PARAMS,
    UNTYPED: UNTYPED,
    playbookSeconds: playbookSeconds,
    rehearsalItems: rehearsalItems,
    check: check,
    ruleProblems: ruleProblems,
    formatField: formatField,
    spokenMinutes: spokenMinutes,
    wordCount: wordCount,
  };
})();
