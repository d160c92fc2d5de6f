// Glossary search: filters the terms by id, name or any team's alias, offline.
// The index is the JSON block #term-index; a query comes from typing, `?q=` (the search
// box on every page) or `#q=` (a link), so a search can be bookmarked and tested.
(function () {
  "use strict";
  var index = JSON.parse(document.getElementById("term-index").textContent);
  var input = document.getElementById("search");
  var status = document.getElementById("search-status");

  function fold(text) {
    return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function apply(query) {
    var wanted = fold(query);
    var shown = 0;
    index.forEach(function (term) {
      var article = document.getElementById(term.anchor);
      var via = null;
      var hit = wanted === "" || fold(term.id).indexOf(wanted) >= 0 ||
        fold(term.name).indexOf(wanted) >= 0;
      term.aliases.forEach(function (alias) {
        if (!hit && fold(alias.text).indexOf(wanted) >= 0) {
          hit = true;
          via = alias;
        }
      });
      article.hidden = !hit;
      article.querySelector(".via").textContent =
        via ? "\u201c" + via.text + "\u201d is what " + via.party + " calls it." : "";
      if (hit) {
        shown += 1;
      }
    });
    status.textContent = wanted === ""
      ? index.length + " terms"
      : shown + " of " + index.length + " terms match \u201c" + query.trim() + "\u201d";
  }

  function decoded(text) {
    try {
      return decodeURIComponent(text.replace(/\+/g, " "));
    } catch (error) {
      return text;
    }
  }

  function fromLocation() {
    var query = new URLSearchParams(location.search).get("q");
    if (location.hash.indexOf("#q=") === 0) {
      query = decoded(location.hash.slice(3));
    }
    if (query !== null) {
      input.value = query;
    }
    apply(input.value);
  }

  input.addEventListener("input", function () {
    apply(input.value);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply(input.value);
  });
  window.addEventListener("hashchange", fromLocation);
  fromLocation();
})();
