// Paper data entry: Enter moves to the next field, each field echoes what the typed key means
// and checks it at once. The server checks everything again on save (this is only a help).
(function () {
  "use strict";
  var code = document.getElementById("code");
  if (code) { code.focus(); code.select(); }  // ready for the next scan
  var form = document.getElementById("entry-form");
  if (!form) { return; }
  var CODES = { ".": "leeg", "?": "onleesbaar", "*": "meerdere aangekruist" };
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-kind]"));

  function boxes(input) { return JSON.parse(input.getAttribute("data-boxes") || "[]"); }
  function values(input) { return JSON.parse(input.getAttribute("data-values") || "[]"); }

  function lookup(input, token) {
    var list = boxes(input), stored = values(input), i;
    for (i = 0; i < list.length; i += 1) {
      if (list[i][0] === token) { return list[i][0] + " " + list[i][1]; }
    }
    for (i = 0; i < stored.length; i += 1) {
      if (stored[i] === token) { return list[i][0] + " " + list[i][1]; }
    }
    return null;
  }

  function tokens(input, text) {
    var parts = text.split(/[\s,;+\/]+/).filter(function (part) { return part !== ""; });
    if (parts.length === 1 && /^\d+$/.test(parts[0]) && boxes(input).length <= 9) {
      parts = parts[0].split("");
    }
    return parts;
  }

  function check(input) {
    var text = input.value.trim(), kind = input.getAttribute("data-kind");
    if (text === "") { return { echo: "", error: "" }; }
    if (CODES[text]) {
      if (text === "*" && kind !== "choice" && kind !== "multiple") {
        return { echo: "", error: "* kan alleen bij een keuzevraag." };
      }
      return { echo: CODES[text], error: "" };
    }
    if (kind === "choice") {
      var one = lookup(input, text);
      return one ? { echo: one, error: "" } :
        { echo: "", error: "Kies een vakje van 1 tot " + boxes(input).length + "." };
    }
    if (kind === "multiple") {
      var found = tokens(input, text).map(function (token) { return lookup(input, token); });
      if (found.indexOf(null) !== -1) {
        return { echo: "", error: "Typ de nummers van de aangekruiste vakjes." };
      }
      return { echo: found.join("; "), error: "" };
    }
    if (lookup(input, text)) { return { echo: lookup(input, text), error: "" }; }
    if (kind === "number") { return checkNumber(input, text); }
    if (kind === "date" && !/^(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{8}|\d{4}-\d{2}-\d{2})$/.test(text)) {
      return { echo: "", error: "Vul een datum in als dd/mm/jjjj." };
    }
    return { echo: "", error: "" };
  }

  function checkNumber(input, text) {
    var number = Number(text.replace(/\s/g, "").replace(",", "."));
    if (!/^-?[\d\s.]+(,\d+)?$/.test(text) || isNaN(number)) {
      return { echo: "", error: "Vul een getal in." };
    }
    var low = input.getAttribute("data-min"), high = input.getAttribute("data-max");
    if ((low !== null && number < Number(low)) || (high !== null && number > Number(high))) {
      return { echo: "", error: "Vul een getal van " + (low || "…") + " tot " + (high || "…") + " in." };
    }
    return { echo: "", error: "" };
  }

  function show(input) {
    var result = check(input), key = input.id.slice(2);
    document.getElementById("o-" + key).textContent = result.echo ? "→ " + result.echo : "";
    var message = document.getElementById("e-" + key);
    message.textContent = result.error;
    if (result.error) {
      input.setAttribute("aria-invalid", "true");
      input.parentNode.classList.add("field-error");
    } else {
      input.removeAttribute("aria-invalid");
      input.parentNode.classList.remove("field-error");
    }
  }

  inputs.forEach(function (input, index) {
    input.addEventListener("input", function () { show(input); });
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();
      show(input);
      var next = inputs[index + 1] || document.getElementById("entry-save");
      if (next) { next.focus(); if (next.select) { next.select(); } }
    });
    if (input.value) { show(input); }
  });
}());
