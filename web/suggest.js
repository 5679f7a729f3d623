// Suggestions while typing a collectivity's name: a progressive enhancement of the plain GET
// form "Chercher ma collectivité" (without this script, the form works as it is). Turns its
// text field into an ARIA 1.2 combobox with a listbox popup: after a short pause in typing, asks
// the explorer's `/suggestions?qui=` (JSON) and lists what it answers; up and down arrows move
// through the list, Enter chooses (the page then opens with `pour=` set, as the form's links
// do), Escape closes the list. Served by the retex binary under a hashed name.
(function () {
  "use strict";
  var input = document.getElementById("qui");
  var form = input && input.form;
  var endpoint = form && form.getAttribute("data-suggestions");
  if (!endpoint || !window.fetch || !window.URL) return;

  var DELAY_MS = 200;
  var MIN_CHARS = 2;
  var list = document.createElement("ul");
  list.id = "qui-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-labelledby", "qui-label");
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  var hint = document.getElementById("qui-aide");
  form.insertBefore(list, hint && hint.parentNode === form ? hint : null);
  form.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  var found = [];
  var active = -1;
  var timer = null;
  var asked = 0;

  function open(yes) {
    list.hidden = !yes;
    input.setAttribute("aria-expanded", yes ? "true" : "false");
    if (!yes) setActive(-1);
  }

  function setActive(i) {
    var options = list.children;
    for (var k = 0; k < options.length; k++) {
      options[k].setAttribute("aria-selected", k === i ? "true" : "false");
    }
    active = i;
    if (i >= 0 && options[i]) {
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  // The page the form belongs to, with my collectivity set: what the form's links lead to.
  function choose(i) {
    var chosen = found[i];
    if (!chosen) return;
    var url = new URL(form.action, window.location.href);
    new URL(window.location.href).searchParams.forEach(function (value, key) {
      if (key !== "qui" && key !== "page" && key !== "pour") url.searchParams.append(key, value);
    });
    url.searchParams.set("pour", chosen.id);
    window.location.assign(url.toString());
  }

  function show(answer) {
    found = answer.suggestions || [];
    list.textContent = "";
    found.forEach(function (s, i) {
      var option = document.createElement("li");
      option.id = "qui-suggestion-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = s.name;
      var detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = s.detail;
      option.appendChild(name);
      option.appendChild(document.createTextNode(" "));
      option.appendChild(detail);
      // Pressing the mouse button would blur the field and close the list before the click.
      option.addEventListener("mousedown", function (e) {
        e.preventDefault();
      });
      option.addEventListener("click", function () {
        choose(i);
      });
      list.appendChild(option);
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = answer.status || "";
    open(found.length > 0);
  }

  function ask() {
    var text = input.value.trim();
    var mine = ++asked;
    if (text.length < MIN_CHARS) {
      show({ suggestions: [], status: "" });
      return;
    }
    var url = new URL(endpoint, window.location.href);
    url.searchParams.set("qui", text);
    fetch(url.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.ok ? r.json() : { suggestions: [] };
      })
      .then(function (answer) {
        if (mine === asked) show(answer); // an older answer arriving late is dropped
      })
      .catch(function () {
        // No suggestions: the form still works.
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY_MS);
  });

  input.addEventListener("keydown", function (e) {
    var n = found.length;
    if (e.key === "ArrowDown" || e.key === "Down") {
      if (!n) return;
      e.preventDefault();
      if (list.hidden) open(true);
      setActive(active + 1 < n ? active + 1 : 0);
    } else if (e.key === "ArrowUp" || e.key === "Up") {
      if (!n) return;
      e.preventDefault();
      if (list.hidden) open(true);
      setActive(active > 0 ? active - 1 : n - 1);
    } else if (e.key === "Enter") {
      if (!list.hidden && active >= 0) {
        e.preventDefault();
        choose(active);
      }
    } else if (e.key === "Escape" || e.key === "Esc") {
      if (!list.hidden) {
        e.preventDefault();
        open(false);
      }
    }
  });

  input.addEventListener("blur", function () {
    open(false);
  });
})();
