/* The arithmetic the checker holds stories to, as prep_handbook/figures.py does it: stated changes,
   expected values, and the number formats both sides print (Python's `g` and `.Nf`, and the
   checker's decimal rounding, halves away from zero). tests/cases/figures.yml holds the cases
   both implementations are tested against. */
(function () {
  "use strict";

  var MINUS = "−–-";
  var SCALES = { k: 3, K: 3, m: 6, M: 6 };
  var WORD = "[\\p{L}\\p{N}_]"; // Python's \w on text
  var CHANGE = new RegExp(
    "^\\s*([+−–-])?\\s*([$€£])?\\s*(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)\\s*([kKmM](?![a-zA-Z]))?" +
      "\\s*(%|pp(?!" + WORD + ")|percentage\\s+points?|[x×]|[^\\s\\p{Nd}]*)\\s*(relative|absolute)?\\s*$",
    "u"
  );

  // --- decimal text ---------------------------------------------------------------

  // The shortest decimal text of a number (what Python's repr and JS's String print) as
  // an integer of digits and a power of ten: |x| = digits × 10^exp.
  function decimalParts(x) {
    var text = String(Math.abs(x));
    var exp = 0;
    var e = text.indexOf("e");
    if (e !== -1) {
      exp = parseInt(text.slice(e + 1), 10);
      text = text.slice(0, e);
    }
    var dot = text.indexOf(".");
    if (dot !== -1) {
      exp -= text.length - dot - 1;
      text = text.slice(0, dot) + text.slice(dot + 1);
    }
    return { digits: BigInt(text), exp: exp };
  }

  function pow10(n) {
    return BigInt(10) ** BigInt(n);
  }

  // Round |x| × 10^-by to `decimals` places (may be negative), halves away from zero: the number
  // of units of 10^-decimals.
  function roundedUnits(x, decimals, by) {
    var p = decimalParts(x);
    var shift = p.exp - (by || 0) + decimals;
    if (shift >= 0) return p.digits * pow10(shift);
    var div = pow10(-shift);
    var q = p.digits / div;
    var r = p.digits % div;
    return r * BigInt(2) >= div ? q + BigInt(1) : q;
  }

  function group(intText) {
    return intText.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function unitsText(units, decimals, grouped) {
    var text = units.toString();
    if (decimals <= 0) {
      var whole = (units * pow10(-decimals)).toString();
      return grouped ? group(whole) : whole;
    }
    text = text.padStart(decimals + 1, "0");
    var intPart = text.slice(0, text.length - decimals);
    return (grouped ? group(intPart) : intPart) + "." + text.slice(text.length - decimals);
  }

  // Python's format(x, ".Nf"): the exact binary value rounded, halves to even.
  function pyFixed(x, decimals) {
    if (!isFinite(x)) return String(x);
    var text = x.toFixed(decimals); // halves go up here
    var exact = Math.abs(x).toFixed(100);
    var dot = exact.indexOf(".");
    var rest = exact.slice(dot + 1 + decimals);
    if (/^50*$/.test(rest)) {
      var kept = decimals > 0 ? exact.slice(0, dot + 1 + decimals) : exact.slice(0, dot);
      var last = Number(kept.charAt(kept.length - 1));
      if (last % 2 === 0) text = (x < 0 ? "-" : "") + kept;
    }
    return text;
  }

  // Python's format(x, "g") (and ",g" when grouped): six significant digits, no trailing zeros.
  function pyG(x, grouped) {
    if (x === 0) return Object.is(x, -0) ? "-0" : "0";
    if (!isFinite(x)) return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
    var sci = Math.abs(x).toExponential(5); // d.ddddde±n, rounded to 6 significant digits
    var exp = parseInt(sci.slice(sci.indexOf("e") + 1), 10);
    var sign = x < 0 ? "-" : "";
    if (exp < -4 || exp >= 6) {
      var mantissa = sci.slice(0, sci.indexOf("e")).replace(/\.?0+$/, "");
      return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
    }
    var fixed = pyFixed(Math.abs(x), 5 - exp);
    if (fixed.indexOf(".") !== -1) fixed = fixed.replace(/\.?0+$/, "");
    if (grouped) {
      var parts = fixed.split(".");
      fixed = group(parts[0]) + (parts.length > 1 ? "." + parts[1] : "");
    }
    return sign + fixed;
  }

  // --- reading stated changes (prep_handbook/figures.py, function for function) ------

  var APPROX = 0.1;
  var NEARLY = 0.9;
  var ACCEPTED_FORMS =
    "−53%, +0.9 pp, +13.8% relative, −50 bps, 2× faster, 0.47×, half, doubled, three times fewer, " +
    "about −25%, 20–30% lower, over 20%, up to 30%, +$3.2k/month, −$1.2 million";
  var SCALE_WORDS = { k: 3, thousand: 3, m: 6, mn: 6, mm: 6, million: 6, b: 9, bn: 9, billion: 9 };
  var UNITS = {
    zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
    eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
    eighteen: 18, nineteen: 19,
  };
  var TENS = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
  var FRACTIONS = [
    ["twothird", 2 / 3], ["threequarter", 3 / 4], ["half", 1 / 2], ["third", 1 / 3], ["quarter", 1 / 4],
    ["fifth", 1 / 5], ["tenth", 1 / 10],
  ];
  var MULTIPLES = [
    ["twice", 2], ["double", 2], ["doubled", 2], ["doubling", 2], ["triple", 3], ["tripled", 3], ["tripling", 3],
    ["quadruple", 4], ["quadrupled", 4],
  ];
  var TIME_UNITS = [
    "ns", "µs", "us", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes",
    "h", "hr", "hrs", "hour", "hours", "d", "day", "days", "week", "weeks", "wk", "wks", "month", "months",
    "year", "years",
  ];
  var BOUNDS = [
    ["nearly", "nearly|almost|just under|just shy of", ""],
    ["approx", "about|around|roughly|approximately|approx|circa|some|close to", "~|≈"],
    ["lower", "over|more than|above|at least|upwards of|in excess of", "≥|>=|>"],
    ["upper", "under|less than|below|up to|at most|no more than", "≤|<=|<"],
  ];
  var DOWN_WORDS =
    "lower|less|fewer|down|decrease|decreased|decreasing|drop|dropped|reduction|reduced|reduce|cut|cuts|smaller|" +
    "cheaper|shorter|saved|saving|savings|decline|declined|fell|shrank|shrunk|shrink|lowered|slashed";
  var UP_WORDS = "higher|more|up|increase|increased|increasing|growth|grew|grow|rise|rose|gain|gained|larger|bigger|longer|raised|boost|boosted";
  var FASTER = "faster|quicker|sooner|as fast|as quick";
  var SPACE = "[ \\t\\n\\r\\f\\v\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var SEP = "(?<![A-Za-z0-9_.])";
  var END = "(?![A-Za-z0-9_])";
  var NUMBER = "[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]+)?(?![0-9,])|[0-9]{1,3}(?:\\.[0-9]{3})+,[0-9]+|[0-9]+(?:[.,][0-9]+)?";
  var FIGURE_SOURCE =
    "(?<sign>[+−–-])?[ ]?(?<cur1>[$€£])?[ ]?(?<num>" + NUMBER + ")" +
    "(?<scale>[ ]?(?:thousand|million|billion|mn|mm|bn|[kKmMbB])(?![A-Za-z]))?" +
    "(?<cur2>[ ]?[$€£])?";
  var KIND = new RegExp(
    "^[ ]?(?:(?<pct>%)|(?<pp>pp|p\\.p\\.|ppt|pts|percentage points?|points?)(?![A-Za-z0-9_])|(?<bps>bps|bp|basis points?)(?![A-Za-z0-9_])" +
      "|(?<x>[x×]|times|-?fold)(?![A-Za-z0-9_]))",
    "iu"
  );

  function words(pattern) {
    return new RegExp(SEP + "(?:" + pattern + ")" + END, "iu");
  }

  function boundPattern(w, symbols) {
    return new RegExp(SEP + "(?:" + w + ")" + END + (symbols ? "|" + symbols : ""), "iu");
  }

  function sortedUnitNames() {
    return Object.keys(UNITS).sort(function (a, b) { return b.length - a.length; });
  }

  function spellNumbers(text) {
    var tens = Object.keys(TENS).join("|");
    var units = sortedUnitNames().join("|");
    text = text.replace(new RegExp(SEP + "(" + units + "|" + tens + "|hundred)fold" + END, "giu"), "$1-fold");
    text = text.replace(new RegExp(SEP + "(" + tens + ")(?:[ -](" + units + "))?" + END, "giu"), function (m, t, u) {
      return String(TENS[t.toLowerCase()] + (u ? UNITS[u.toLowerCase()] : 0));
    });
    text = text.replace(new RegExp(SEP + "(?:a |one )?hundred" + END, "giu"), "100");
    return text.replace(new RegExp(SEP + "(" + units + ")" + END, "giu"), function (m, u) {
      return String(UNITS[u.toLowerCase()]);
    });
  }

  function normalise(text) {
    text = text.replace(new RegExp(SPACE + "+", "gu"), " ").replace(/^ +| +$/g, "");
    text = text.replace(new RegExp(SEP + "(two|three)[ -](third|quarter)s" + END, "giu"), "$1$2s");
    text = text.replace(new RegExp(SEP + "one[ -](half|third|quarter|fifth|tenth)" + END, "giu"), "a $1");
    text = text.replace(new RegExp(SEP + "(?:a )?half a (?:percentage )?point" + END, "giu"), "0.5 pp");
    text = spellNumbers(text);
    text = text.replace(new RegExp("([0-9]) ?(?:per ?cent|pct)" + END, "giu"), "$1%");
    text = text.replace(new RegExp("([0-9])(?:[ -]?fold)" + END, "giu"), "$1x");
    return text;
  }

  function readNumber(text) {
    var comma = false;
    if (/^[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+$/.test(text)) {
      text = text.replace(/\./g, "").replace(/,/g, ".");
      comma = true;
    } else if (/^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$/.test(text)) {
      text = text.replace(/,/g, "");
    } else if (text.indexOf(",") !== -1) {
      text = text.replace(/,/g, ".");
      comma = true;
    }
    var decimals = text.indexOf(".") !== -1 ? text.split(".")[1].length : 0;
    return [parseFloat(text), decimals, comma];
  }

  function unitScale(unit) {
    var m = /^([$€£])?[ ]?(k|m|mn|bn|b)?(?![A-Za-z])[ ]?([$€£])?/iu.exec(unit.trim());
    if (!m || !(m[1] || m[3]) || !m[2]) return 0;
    return SCALE_WORDS[m[2].toLowerCase()];
  }

  function isTimeLike(unit, metric) {
    if (TIME_UNITS.indexOf((unit || "").trim().toLowerCase()) !== -1) return true;
    return new RegExp(SEP + "(?:latency|duration|time|delay|wait)" + END, "iu").test(metric || "");
  }

  function direction(text, timeLike) {
    var down = words(DOWN_WORDS).test(text);
    var up = words(UP_WORDS).test(text);
    if (words(FASTER).test(text)) {
      if (timeLike) down = true;
      else up = true;
    }
    if (words("slower").test(text)) {
      if (timeLike) up = true;
      else down = true;
    }
    if (down && !up) return -1;
    if (up && !down) return 1;
    return 0;
  }

  function takeBound(text) {
    var bound = "";
    for (var i = 0; i < BOUNDS.length; i++) {
      var found = boundPattern(BOUNDS[i][1], BOUNDS[i][2]).exec(text);
      if (found) {
        if (bound) return null;
        bound = BOUNDS[i][0];
        text = text.slice(0, found.index) + " " + text.slice(found.index + found[0].length);
      }
    }
    if (/[0-9%]\+(?![0-9$€£])/u.test(text)) {
      if (bound) return null;
      bound = "lower";
      text = text.replace(/(?<=[0-9%])\+(?![0-9$€£])/gu, " ");
    }
    return [bound, text.replace(/ +/g, " ").trim()];
  }

  function squash(text) {
    return text.replace(new RegExp(SPACE + "+", "gu"), "").toLowerCase();
  }

  // A written figure moved by powers of ten exactly (1.2 and 6 → 1200000), as Decimal.scaleb does.
  function scaled(written, shift) {
    var p = decimalParts(written);
    return Number(p.digits.toString() + "e" + (p.exp + shift));
  }

  function group0(m, name) {
    return m.groups[name] || "";
  }

  function start(m, name) {
    return m.indices.groups[name][0];
  }

  function end(m, name) {
    return name ? m.indices.groups[name][1] : m.index + m[0].length;
  }

  function stated(fields) {
    var base = {
      value: 0, kind: "absolute", decimals: 0, signed: false, text: "", high: null, bound: "", inverted: false,
      words: "", prefix: "", suffix: "", tail: "", shift: 0, writtenDecimals: 0, comma: false, sense: 0,
    };
    return Object.assign(base, fields);
  }

  function parseChange(text, unit, metric) {
    if (typeof text !== "string" || !text.trim() || text.length > 200) return null;
    unit = (unit || "").trim();
    var timeLike = isTimeLike(unit, metric);
    var taken = takeBound(normalise(text));
    if (taken === null) return null;
    var bound = taken[0];
    var rest = taken[1];
    var dir = direction(rest, timeLike);
    var found = Array.from(rest.matchAll(new RegExp(FIGURE_SOURCE, "gdu")));
    if (!found.length) return wordsOnly(text.trim(), rest, dir, bound);
    if (found.length > 2 || words("from").test(rest.slice(0, found[0].index))) return null;
    var first = found[0];
    var second = found.length === 2 ? found[1] : null;
    var highSign = "";
    var kindMatch = null;
    if (second !== null) {
      var gap = rest.slice(end(first), second.index);
      kindMatch = KIND.exec(gap);
      gap = kindMatch ? gap.slice(kindMatch[0].length) : gap;
      if (gap.trim() === "" && group0(second, "sign")) highSign = "";
      else if (["to", "and", "-", "–", "—"].indexOf(gap.trim().toLowerCase()) !== -1) highSign = group0(second, "sign");
      else return null;
      if (group0(second, "cur1") && !group0(first, "cur1")) return null;
    }
    var last = second || first;
    var after = rest.slice(end(last));
    var lastKind = KIND.exec(after);
    if (lastKind) {
      kindMatch = lastKind;
      after = after.slice(lastKind[0].length);
    }
    var kind = "absolute";
    if (kindMatch) {
      if (kindMatch.groups.pct) kind = words("absolute").test(rest) ? "points" : "relative";
      else if (kindMatch.groups.pp) kind = "points";
      else if (kindMatch.groups.bps) kind = "bps";
      else kind = "ratio";
    }
    var read = readNumber(first.groups.num);
    var written = read[0];
    var writtenDecimals = read[1];
    var comma = read[2];
    var scale = group0(first, "scale").trim();
    var currency = group0(first, "cur1") + group0(first, "cur2").trim();
    var inUnit = Boolean(unit) && kind === "absolute" && squash(rest.slice(end(last, "num"))).indexOf(squash(unit)) === 0;
    if (inUnit || (scale && scale.toLowerCase() === unit.toLowerCase() && !currency)) {
      scale = "";
      currency = "";
    }
    if (kind !== "absolute" && (scale || currency)) return null;
    var shift = scale || currency ? (scale ? SCALE_WORDS[scale.toLowerCase()] : 0) - unitScale(unit) : 0;
    var value = scaled(written, shift);
    var decimals = writtenDecimals - shift;
    var high = null;
    if (second !== null) {
      var readHigh = readNumber(second.groups.num);
      comma = comma || readHigh[2];
      var highScale = group0(second, "scale").trim();
      var highShift = highScale && kind === "absolute" ? SCALE_WORDS[highScale.toLowerCase()] - unitScale(unit) : shift;
      high = scaled(readHigh[0], highShift);
      decimals = Math.min(decimals, readHigh[1] - highShift);
      var rangeSign = highSign || group0(first, "sign");
      if (rangeSign && MINUS.indexOf(rangeSign) !== -1) high = -high;
    }
    var sign = group0(first, "sign");
    if (sign && MINUS.indexOf(sign) !== -1) value = -value;
    var signed;
    var inverted;
    var sense = 0;
    if (kind === "ratio") {
      if (sign && MINUS.indexOf(sign) !== -1) return null;
      signed = false;
      inverted = dir < 0;
    } else {
      signed = Boolean(sign) || dir !== 0;
      inverted = false;
      sense = dir || (sign && MINUS.indexOf(sign) !== -1 ? -1 : sign ? 1 : 0);
      if (dir) {
        value = Math.abs(value) * dir;
        high = high === null ? null : Math.abs(high) * dir;
      }
    }
    var tail = after.trim();
    if (/[0-9]/.test(tail)) return null;
    if (kind === "ratio") tail = tail ? " " + tail : "";
    else if (bound || second !== null || dir) tail = "";
    else if (tail) tail = tail.charAt(0) === "/" ? tail : " " + tail;
    var prefix = group0(first, "cur1") ? rest.slice(start(first, "cur1"), start(first, "num")) : "";
    var suffix = rest.slice(end(last, "num"), end(last)) + (lastKind ? lastKind[0] : "");
    if (/ $/.test(suffix) && tail.charAt(0) === "/") suffix = suffix.replace(/ +$/, "");
    if (inUnit && second === null) {
      suffix = "";
      tail = bound || dir ? "" : rest.slice(end(last, "num"));
    }
    return stated({
      value: value, kind: kind, decimals: decimals, signed: signed, text: text.trim(), high: high, bound: bound,
      inverted: inverted, prefix: prefix, suffix: suffix, tail: tail, shift: shift, writtenDecimals: writtenDecimals,
      comma: comma, sense: sense,
    });
  }

  function wordsOnly(text, rest, dir, bound) {
    for (var i = 0; i < MULTIPLES.length; i++) {
      if (words(MULTIPLES[i][0]).test(rest)) {
        var said = dir < 0 ? words(DOWN_WORDS + "|" + FASTER).exec(rest) : null;
        return stated({ value: MULTIPLES[i][1], kind: "ratio", decimals: 0, signed: false, text: text, bound: bound,
                        inverted: dir < 0, suffix: "×", tail: said ? " " + said[0] : "" });
      }
    }
    if (words("halved|halving|halve").test(rest)) {
      return stated({ value: 0.5, kind: "ratio", decimals: 1, signed: false, text: text, bound: bound || "approx", words: "fraction" });
    }
    for (var j = 0; j < FRACTIONS.length; j++) {
      var word = FRACTIONS[j][0];
      var fraction = FRACTIONS[j][1];
      var found = new RegExp(SEP + "(?:(?:a|an)[ ])?" + word + "s?" + END, "iu").exec(rest);
      if (!found) continue;
      var before = rest.slice(0, found.index).trim().toLowerCase();
      var by = /(?:^| )by$/.test(before);
      var to = /(?:^| )to$/.test(before) || rest.slice(found.index + found[0].length).trim().toLowerCase().indexOf("of") === 0;
      if (word === "half" && !by) to = true;
      if (to) {
        return stated({ value: fraction, kind: "ratio", decimals: 1, signed: false, text: text, bound: bound || "approx", words: "fraction" });
      }
      var sign = dir || (by ? -1 : 0);
      if (sign === 0) return null;
      return stated({ value: sign * fraction * 100, kind: "relative", decimals: 0, signed: true, text: text,
                      bound: bound || "approx", words: "fraction", sense: sign });
    }
    return null;
  }

  function actualChange(baseline, outcome, kind) {
    if (kind === "relative") return baseline === 0 ? null : ((outcome - baseline) / Math.abs(baseline)) * 100;
    if (kind === "ratio") return baseline === 0 ? null : outcome / baseline;
    if (kind === "bps") return (outcome - baseline) * 100;
    return outcome - baseline;
  }

  function agrees(stated, actual, decimals, signed) {
    if (signed === false) {
      stated = Math.abs(stated);
      actual = Math.abs(actual);
    }
    return Math.abs(actual - stated) <= 0.5 * Math.pow(10, -decimals) + 1e-9;
  }

  function fits(s, actual) {
    var tol = 0.5 * Math.pow(10, -s.decimals) + 1e-9;
    var low = s.value;
    var high = s.high === null ? s.value : s.high;
    if (s.kind !== "ratio") {
      if (s.sense && Math.abs(actual) > tol && actual > 0 !== s.sense > 0) return false;
      low = Math.abs(low);
      high = Math.abs(high);
      actual = Math.abs(actual);
    }
    var lo = Math.min(low, high);
    var hi = Math.max(low, high);
    if (s.bound === "approx") {
      var spread = Math.max(tol, APPROX * hi + 1e-9);
      return lo - spread <= actual && actual <= hi + spread;
    }
    if (s.bound === "nearly") return NEARLY * lo - tol <= actual && actual <= hi + tol;
    if (s.bound === "lower") return actual >= lo - tol;
    if (s.bound === "upper") return actual <= hi + tol;
    return lo - tol <= actual && actual <= hi + tol;
  }

  function formatNumber(value, decimals, shift) {
    var d = Math.max(decimals, 0);
    var units = roundedUnits(value, d, shift || 0);
    return (value < 0 && units !== BigInt(0) ? "−" : "") + unitsText(units, d, true);
  }

  function signedText(value, decimals) {
    var text = formatNumber(value, decimals);
    return value > 0 && roundedUnits(value, Math.max(decimals, 0)) !== BigInt(0) ? "+" + text : text;
  }

  function joinUnit(number, unit) {
    if (!unit) return number;
    return "%/".indexOf(unit.charAt(0)) !== -1 ? number + unit : number + " " + unit;
  }

  function describeChange(value, kind, decimals, unit) {
    if (kind === "relative") return signedText(value, decimals) + "%";
    if (kind === "points") return signedText(value, decimals) + " pp";
    if (kind === "bps") return signedText(value, decimals) + " bps";
    if (kind === "ratio") return formatNumber(value, decimals) + "×";
    return joinUnit(signedText(value, decimals), unit || "");
  }

  function describeLike(actual, s, unit) {
    if (s.words === "fraction") return describeChange(s.kind === "ratio" ? (actual - 1) * 100 : actual, "relative", 0);
    var statedDigits = formatNumber(Math.abs(scaled(s.value, -s.shift)), s.writtenDecimals);
    var sameSign = !s.signed || s.kind === "ratio" || actual < 0 === s.value < 0;
    var digits = "";
    for (var more = s.kind === "ratio" && s.writtenDecimals === 0 ? 1 : 0; more < 4; more++) {
      digits = formatNumber(Math.abs(actual), s.writtenDecimals + more, s.shift);
      if (s.kind === "ratio" && s.writtenDecimals === 0 && /\.0$/.test(digits)) digits = digits.slice(0, -2);
      if (digits !== statedDigits || !sameSign) break;
    }
    if (actual !== 0 && !/[1-9]/.test(digits) && s.kind === "absolute") {
      return (actual < 0 ? "−" : "+") + quantity(Math.abs(actual), unit);
    }
    if (s.comma) digits = digits.replace(/,/g, "").replace(/\./g, ",");
    if (s.kind === "ratio") return digits + "×" + s.tail;
    var sign = /[1-9]/.test(digits) ? (actual < 0 ? "−" : "+") : "";
    return sign + s.prefix + digits + s.suffix + s.tail;
  }

  function decimalsOf(value) {
    var p = decimalParts(value);
    var digits = p.digits.toString().replace(/0+$/, "");
    var exp = p.exp + (p.digits.toString().length - (digits.length || 1));
    if (!digits) return 0;
    return Math.max(0, -exp);
  }

  function suggestChange(baseline, outcome, unit) {
    unit = (unit || "").trim();
    if (unit === "%" || unit === "pp") {
      return describeChange(outcome - baseline, "points", Math.max(decimalsOf(baseline), decimalsOf(outcome)));
    }
    var change = actualChange(baseline, outcome, "relative");
    if (change === null || !isFinite(change)) {
      var delta = outcome - baseline;
      return (delta > 0 ? "+" : delta < 0 ? "−" : "") + quantity(Math.abs(delta), unit);
    }
    return describeChange(change, "relative", 0);
  }

  function verdict(status, correct, shown) {
    return {
      status: status,
      ok: status === "ok",
      correct: correct,
      stated: shown,
      explain: function () {
        if (status === "wrong") return "is " + correct + ", not " + shown;
        if (status === "undefined") return "starts at 0, where a change in % or × is undefined: say " + correct + ", not " + shown;
        if (status === "unreadable") return "is " + correct;
        return "";
      },
    };
  }

  function assessChange(baseline, outcome, change, unit, metric) {
    unit = (unit || "").trim();
    var shown = typeof change === "string" ? change.trim() : String(change);
    var s = parseChange(change, unit, metric);
    if (s === null) return verdict("unreadable", suggestChange(baseline, outcome, unit), shown);
    var kind = s.kind;
    var actual;
    if (kind === "ratio" && s.inverted) actual = actualChange(outcome, baseline, "ratio");
    else if (kind === "bps" && unit !== "%" && unit !== "pp") {
      var relative = actualChange(baseline, outcome, "relative");
      actual = relative === null ? null : relative * 100;
    } else actual = actualChange(baseline, outcome, kind);
    if (actual === null || !isFinite(actual) || (kind === "ratio" && outcome === 0 && s.inverted)) {
      return verdict("undefined", suggestChange(0, outcome - baseline, unit), shown);
    }
    if (fits(s, actual)) return verdict("ok", null, shown);
    if (kind === "relative" && s.value < 0 && outcome > 0 && words(FASTER).test(normalise(shown)) && isTimeLike(unit, metric)) {
      var speed = (baseline / outcome - 1) * 100;
      if (fits(Object.assign({}, s, { value: -s.value, high: s.high === null ? null : -s.high, sense: -s.sense }), speed)) return verdict("ok", null, shown);
    }
    return verdict("wrong", describeLike(actual, s, unit), shown);
  }

  function checkChange(baseline, outcome, change, unit, metric) {
    var v = assessChange(baseline, outcome, change, unit, metric);
    return [v.ok, v.correct];
  }

  // --- writing numbers ----------------------------------------------------------------

  var MAGNITUDES = [[12, "trillion", "T"], [9, "billion", "B"], [6, "million", "M"]];

  // |value| × 10^−shift as plain decimal text, to 15 significant digits, halves away from zero.
  function decimalText(value, shift) {
    var p = decimalParts(Math.abs(value));
    var exp = p.exp - (shift || 0);
    if (p.digits === BigInt(0)) return "0";
    var length = p.digits.toString().length;
    var decimals = -(exp + length - 15);
    var units = roundedUnits(Math.abs(value), decimals, shift || 0);
    var text = unitsText(units, decimals, false);
    if (text.indexOf(".") !== -1) text = text.replace(/0+$/, "").replace(/\.$/, "");
    return text;
  }

  function grouped(text) {
    var parts = text.split(".");
    return group(parts[0]) + (parts.length > 1 ? "." + parts[1] : "");
  }

  function magnitude(value) {
    for (var i = 0; i < MAGNITUDES.length; i++) {
      var power = MAGNITUDES[i][0];
      if (Math.abs(value) >= Math.pow(10, power)) {
        var text = decimalText(value, power);
        var parts = text.split(".");
        return parts[0].length <= 3 && (parts[1] || "").length <= 3 ? [text, i] : null;
      }
    }
    return null;
  }

  function yamlSpecial(value) {
    return isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf";
  }

  function plainNumber(value) {
    if (!isFinite(value)) return yamlSpecial(value);
    var sign = value < 0 ? "−" : "";
    var m = magnitude(value);
    if (m !== null) return sign + m[0] + " " + MAGNITUDES[m[1]][1];
    return sign + grouped(decimalText(value));
  }

  function quantity(value, unit) {
    unit = (unit || "").trim();
    if (!isFinite(value)) return joinUnit(yamlSpecial(value), unit);
    if ("$€£".indexOf(unit.charAt(0)) !== -1 && unit) {
      var sign = value < 0 ? "−" : "";
      var m = unitScale(unit) ? null : magnitude(value);
      if (m !== null) return sign + unit.charAt(0) + m[0] + MAGNITUDES[m[1]][2] + unit.slice(1);
      return sign + unit.charAt(0) + grouped(decimalText(value)) + unit.slice(1);
    }
    return joinUnit(plainNumber(value), unit);
  }

  function outcomeFigures(record) {
    var unit = record.unit || "";
    var parts = [];
    ["baseline", "outcome"].forEach(function (key) {
      if (typeof record[key] === "number") parts.push(quantity(record[key], unit));
    });
    return parts.join(" → ");
  }

  function withUnit(value, unit) {
    return quantity(value, unit);
  }

  // --- expected value ---------------------------------------------------------------

  function expectedValue(probability, benefit, cost) {
    return probability * benefit - (1 - probability) * cost;
  }

  function evPerWeek(probability, benefit, cost, weeks) {
    return expectedValue(probability, benefit, cost) / weeks;
  }

  function checkStated(stated, actual) {
    var decimals = decimalsOf(stated);
    return [agrees(stated, actual, decimals), formatNumber(actual, Math.max(decimals, 2))];
  }

  function rankOptions(options) {
    var scored = options.map(function (o) {
      var ev = expectedValue(o.probability, o.benefit, o.cost);
      return Object.assign({}, o, { ev: ev, ev_per_week: ev / o.weeks });
    });
    return scored.sort(function (a, b) {
      if (a.ev_per_week !== b.ev_per_week) return b.ev_per_week - a.ev_per_week;
      if (a.ev !== b.ev) return b.ev - a.ev;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
  }

  window.HandbookFigures = {
    parseChange: parseChange,
    assessChange: assessChange,
    isTimeLike: isTimeLike,
    quantity: quantity,
    plainNumber: plainNumber,
    outcomeFigures: outcomeFigures,
    acceptedForms: ACCEPTED_FORMS,
    actualChange: actualChange,
    agrees: agrees,
    formatNumber: formatNumber,
    describeChange: describeChange,
    suggestChange: suggestChange,
    checkChange: checkChange,
    withUnit: withUnit,
    expectedValue: expectedValue,
    evPerWeek: evPerWeek,
    decimalsOf: decimalsOf,
    checkStated: checkStated,
    rankOptions: rankOptions,
    pyG: pyG,
    pyFixed: pyFixed,
  };
})();
