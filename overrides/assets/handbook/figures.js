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

  // Round |x| to `decimals` places (may be negative), halves away from zero: the number of
  // units of 10^-decimals.
  function roundedUnits(x, decimals) {
    var p = decimalParts(x);
    var shift = p.exp + decimals;
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

  // --- stated changes ---------------------------------------------------------------

  function parseChange(text) {
    var m = CHANGE.exec(text);
    if (!m) return null;
    var number = m[3].replace(/,/g, "");
    var decimals = number.indexOf(".") !== -1 ? number.split(".")[1].length : 0;
    var value = parseFloat(number);
    var scale = m[4] || "";
    if (scale) {
      value = parseFloat(number + "e" + SCALES[scale]);
      decimals -= SCALES[scale];
    }
    if (m[1] && MINUS.indexOf(m[1]) !== -1) value = -value;
    var unit = (m[5] || "").trim();
    var kind;
    if (unit === "%") kind = m[6] === "absolute" ? "points" : "relative";
    else if (unit.charAt(0) === "p") kind = "points";
    else if (unit === "x" || unit === "×") kind = "ratio";
    else kind = "absolute";
    return {
      value: value,
      kind: kind,
      decimals: decimals,
      signed: Boolean(m[1]),
      text: text.trim(),
      currency: m[2] || "",
      scale: scale,
      unit: kind === "absolute" ? unit : "",
      relativeWord: m[6] === "relative",
    };
  }

  function actualChange(baseline, outcome, kind) {
    if (kind === "relative") return baseline === 0 ? null : ((outcome - baseline) / Math.abs(baseline)) * 100;
    if (kind === "ratio") return baseline === 0 ? null : outcome / baseline;
    return outcome - baseline;
  }

  function agrees(stated, actual, decimals, signed) {
    if (signed === false) {
      stated = Math.abs(stated);
      actual = Math.abs(actual);
    }
    return Math.abs(actual - stated) <= 0.5 * Math.pow(10, -decimals) + 1e-9;
  }

  function formatNumber(value, decimals) {
    var d = Math.max(decimals, 0);
    var units = roundedUnits(value, d);
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
    if (kind === "ratio") return formatNumber(value, decimals) + "×";
    return joinUnit(signedText(value, decimals), unit || "");
  }

  function roundedValue(value, decimals) {
    var units = roundedUnits(value, decimals);
    var text = unitsText(units, decimals, false);
    return (value < 0 ? -1 : 1) * parseFloat(text);
  }

  function describeLike(actual, stated) {
    if (stated.kind === "absolute" && (stated.currency || stated.scale)) {
      var shift = SCALES[stated.scale] || 0;
      var scaled = roundedValue(actual, stated.decimals) / Math.pow(10, shift);
      var signText = signedText(scaled, stated.decimals + shift);
      var sign = "+−".indexOf(signText.charAt(0)) !== -1 ? signText.charAt(0) : "";
      var digits = sign ? signText.slice(1) : signText;
      return joinUnit(sign + stated.currency + digits + stated.scale, stated.unit);
    }
    var text = describeChange(actual, stated.kind, stated.decimals, stated.unit);
    return stated.relativeWord ? text + " relative" : text;
  }

  function decimalsOf(value) {
    var p = decimalParts(value);
    var digits = p.digits.toString().replace(/0+$/, "");
    var exp = p.exp + (p.digits.toString().length - (digits.length || 1));
    if (!digits) return 0;
    return Math.max(0, -exp);
  }

  function suggestChange(baseline, outcome, unit) {
    unit = unit || "";
    if (unit.trim() === "%" || unit.trim() === "pp") {
      return describeChange(outcome - baseline, "points", Math.max(decimalsOf(baseline), decimalsOf(outcome)));
    }
    if (baseline === 0) {
      return describeChange(outcome - baseline, "absolute", Math.max(decimalsOf(baseline), decimalsOf(outcome)), unit);
    }
    return describeChange(actualChange(baseline, outcome, "relative") || 0, "relative", 0);
  }

  function checkChange(baseline, outcome, change, unit) {
    var stated = parseChange(change);
    if (stated === null) return [false, suggestChange(baseline, outcome, unit)];
    var actual = actualChange(baseline, outcome, stated.kind);
    if (actual === null) return [false, suggestChange(baseline, outcome, unit)];
    if (agrees(stated.value, actual, stated.decimals, stated.signed)) return [true, null];
    return [false, describeLike(actual, stated)];
  }

  function withUnit(value, unit) {
    var number = Math.abs(value) < 1e15 ? pyG(value, true) : pyG(value);
    if (!unit) return number;
    if ("$€£".indexOf(unit.charAt(0)) !== -1) return unit.charAt(0) + number + unit.slice(1);
    return joinUnit(number, unit);
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
