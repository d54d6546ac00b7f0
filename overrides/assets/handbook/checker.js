/* The checker's vocabulary, as prep_handbook/rules.py CHECKS implements it: the same check names
   over the same rule declarations (rules.yml, embedded in the page), giving the same rule
   ids, locations and messages. Needs figures.js. */
(function () {
  "use strict";

  var Figures = window.HandbookFigures;
  var W = "[\\p{L}\\p{N}_]"; // Python's \w on text
  var DIGIT = /\p{Nd}/u;
  var WORD = /[\p{L}\p{N}_’'-]+|\p{Nd}+(?:\.\p{Nd}+)?/gu;

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
    return obj !== null && typeof obj === "object" && !Array.isArray(obj) && Object.prototype.hasOwnProperty.call(obj, key);
  }

  function get(obj, key, fallback) {
    return has(obj, key) ? obj[key] : fallback;
  }

  function formatField(loc) {
    var out = "";
    loc.forEach(function (part) {
      if (typeof part === "number") out += "[" + part + "]";
      else out += (out ? "." : "") + part;
    });
    return out;
  }

  // --- walking the data -------------------------------------------------------------

  function valuesAt(data, dotted, loc, out) {
    loc = loc || [];
    out = out || [];
    if (Array.isArray(data)) {
      data.forEach(function (item, i) { valuesAt(item, dotted, loc.concat([i]), out); });
      return out;
    }
    if (!dotted) {
      out.push([loc, data]);
      return out;
    }
    var dot = dotted.indexOf(".");
    var head = dot === -1 ? dotted : dotted.slice(0, dot);
    var rest = dot === -1 ? "" : dotted.slice(dot + 1);
    if (has(data, head)) valuesAt(data[head], rest, loc.concat([head]), out);
    return out;
  }

  function texts(value, loc, out) {
    loc = loc || [];
    out = out || [];
    if (typeof value === "string") out.push([loc, value]);
    else if (Array.isArray(value)) value.forEach(function (item, i) { texts(item, loc.concat([i]), out); });
    else if (value !== null && typeof value === "object") Object.keys(value).forEach(function (k) { texts(value[k], loc.concat([k]), out); });
    return out;
  }

  function storyTexts(data, template) {
    var out = [];
    template.story.sections.forEach(function (section) {
      if (has(data, section.key)) texts(data[section.key], [section.key], out);
    });
    return out;
  }

  function numbers(value) {
    if (typeof value === "number") return 1;
    if (Array.isArray(value)) return value.reduce(function (n, item) { return n + numbers(item); }, 0);
    if (value !== null && typeof value === "object") return Object.keys(value).reduce(function (n, k) { return n + numbers(value[k]); }, 0);
    return 0;
  }

  function wordCount(data, template) {
    var words = storyTexts(data, template).reduce(function (n, pair) { return n + (pair[1].match(WORD) || []).length; }, 0);
    var count = template.story.sections.reduce(function (n, section) { return n + numbers(get(data, section.key)); }, 0);
    return words + count;
  }

  function spokenMinutes(data, template, speaking) {
    return wordCount(data, template) / speaking.words_per_minute;
  }

  function outcomes(data, kinds) {
    var out = [];
    var list = get(data, "outcomes", []);
    if (!Array.isArray(list)) return out;
    list.forEach(function (o, i) {
      if (kinds.indexOf(get(o, "kind")) !== -1) out.push([i, o]);
    });
    return out;
  }

  function text(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  function fmt(value) {
    return Figures.pyG(value);
  }

  function phrasePattern(phrase) {
    var escaped = phrase.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&").replace(/ /g, "\\s+");
    return new RegExp("(?<!" + W + ")" + escaped + "(?!" + W + ")", "iu");
  }

  // --- the vocabulary ---------------------------------------------------------------

  var CHECKS = {
    outcome_numbers: function (data, params) {
      return outcomes(data, params.kinds).filter(function (p) {
        var o = p[1];
        var hasPair = has(o, "baseline") && has(o, "outcome");
        return !hasPair && !DIGIT.test(text(get(o, "change", "")));
      }).map(function (p) { return [["outcomes", p[0]], { metric: text(p[1].metric) }]; });
    },

    outcome_unit: function (data, params) {
      return outcomes(data, params.kinds).filter(function (p) {
        var o = p[1];
        var numeric = has(o, "baseline") || has(o, "outcome") || DIGIT.test(text(get(o, "change", "")));
        return numeric && !has(o, "unit");
      }).map(function (p) { return [["outcomes", p[0]], { metric: text(p[1].metric) }]; });
    },

    outcome_baseline: function (data, params) {
      return outcomes(data, params.kinds).filter(function (p) {
        var o = p[1];
        return has(o, "change") && !(has(o, "baseline") && has(o, "outcome"));
      }).map(function (p) { return [["outcomes", p[0], "change"], { metric: text(p[1].metric), change: text(p[1].change) }]; });
    },

    any_outcome_kind: function (data, params) {
      return outcomes(data, params.kinds).length ? [] : [[["outcomes"], {}]];
    },

    stated_change: function (data, params) {
      var out = [];
      var list = get(data, "outcomes", []);
      var wanted = params && params.finding === "unreadable" ? ["unreadable"] : ["wrong", "undefined"];
      if (!Array.isArray(list)) return out;
      list.forEach(function (o, i) {
        if (!(has(o, "baseline") && has(o, "outcome") && has(o, "change"))) return;
        var unit = text(get(o, "unit", ""));
        var verdict = Figures.assessChange(o.baseline, o.outcome, o.change, unit, text(get(o, "metric", "")));
        if (wanted.indexOf(verdict.status) === -1) return;
        out.push([["outcomes", i, "change"], {
          metric: text(o.metric),
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

    records_with: function (data, params) {
      var records = get(data, params.path, []);
      if (!Array.isArray(records)) records = [];
      var count = records.filter(function (r) {
        return params.fields.every(function (f) { return Boolean(get(r, f)); });
      }).length;
      return count < params.min ? [[[params.path], { count: count, total: records.length, min: params.min }]] : [];
    },

    mentions: function (data, params) {
      var present = (params.present || []).some(function (dotted) { return valuesAt(data, dotted).length > 0; });
      if (present) return [];
      var words = params.words.map(function (w) { return w.toLowerCase(); });
      var found = params.fields.some(function (dotted) {
        return valuesAt(data, dotted).some(function (pair) {
          return texts(pair[1]).some(function (t) {
            var lower = t[1].toLowerCase();
            return words.some(function (w) { return lower.indexOf(w) !== -1; });
          });
        });
      });
      return found ? [] : [[[params.path], {}]];
    },

    any_present: function (data, params) {
      var present = params.fields.some(function (dotted) { return valuesAt(data, dotted).length > 0; });
      return present ? [] : [[[params.path], {}]];
    },

    pronoun_balance: function (data, params, template) {
      var iCount = 0;
      var weCount = 0;
      var first = null;
      storyTexts(data, template).forEach(function (pair) {
        var found = (pair[1].match(I_WORDS) || []).length;
        if (found && first === null) first = pair[0];
        iCount += found;
        weCount += (pair[1].match(WE_WORDS) || []).length;
      });
      var total = iCount + weCount;
      return iCount >= params.min_i && iCount / total > params.max_share ? [[first, { i: iCount, we: weCount }]] : [];
    },

    min_items: function (data, params) {
      var count = valuesAt(data, params.path).reduce(function (n, pair) {
        return n + (Array.isArray(pair[1]) ? pair[1].length : 1);
      }, 0);
      return count < params.min ? [[params.path.split(".").slice(0, -1), { count: count, min: params.min }]] : [];
    },

    spoken_minutes: function (data, params, template, speaking) {
      var minutes = Number(Figures.pyFixed(spokenMinutes(data, template, speaking), 1));
      var values = { minutes: Figures.pyFixed(minutes, 1), wpm: speaking.words_per_minute };
      var out = [];
      if (params.outside) {
        var range = speaking[params.outside];
        var overLimit = Boolean(params.unless_above) && minutes > speaking[params.unless_above];
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

    words_without_number: function (data, params, template) {
      var patterns = params.words.map(function (w) { return [w, phrasePattern(w)]; });
      var out = [];
      storyTexts(data, template).forEach(function (pair) {
        if (DIGIT.test(pair[1])) return;
        for (var i = 0; i < patterns.length; i++) {
          if (patterns[i][1].test(pair[1])) {
            out.push([pair[0], { word: patterns[i][0] }]);
            break;
          }
        }
      });
      return out;
    },

    phrases: function (data, params, template) {
      var patterns = params.phrases.map(function (p) { return phrasePattern(p); });
      var out = [];
      storyTexts(data, template).forEach(function (pair) {
        for (var i = 0; i < patterns.length; i++) {
          var match = patterns[i].exec(pair[1]);
          if (match) {
            out.push([pair[0], { phrase: match[0] }]);
            break;
          }
        }
      });
      return out;
    },

    expected_value: function (data) {
      var decision = get(data, "decision");
      var out = [];
      if (!decision || !Array.isArray(decision.options)) return out;
      decision.options.forEach(function (option, i) {
        var ev = Figures.expectedValue(option.probability, option.benefit, option.cost);
        [["stated_ev", "EV", ev], ["stated_ev_per_week", "EV per week", ev / option.weeks]].forEach(function (pair) {
          if (!has(option, pair[0])) return;
          var result = Figures.checkStated(option[pair[0]], pair[2]);
          if (!result[0]) {
            out.push([["decision", "options", i, pair[0]], { name: text(option.name), label: pair[1], stated: fmt(option[pair[0]]), correct: result[1] }]);
          }
        });
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

  function check(data, kind, template, rules) {
    var findings = [];
    rules.rules.forEach(function (rule) {
      if (rule.applies_to !== kind) return;
      var fn = CHECKS[rule.check];
      if (!fn) throw new Error("unknown check " + rule.check);
      fn(data, rule.params || {}, template, rules.speaking).forEach(function (found) {
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
    check: check,
    formatField: formatField,
    spokenMinutes: spokenMinutes,
    wordCount: wordCount,
  };
})();
