// The header's search box (templates/base.html, issue 15): labels suggested as one types,
// from this service's /api/suggest; a picked suggestion opens that resource's page, Enter
// without one opens /search. An ARIA combobox: arrows move, Enter picks, Escape closes.
(function () {
  "use strict";
  const input = document.getElementById("site-search-q");
  const list = document.getElementById("site-search-list");
  if (!input || !list) return;
  const lang = document.documentElement.lang || "en";
  let items = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    items = [];
    active = -1;
  }

  function pageOf(item) {
    // a page of this site, in the page's language; another IRI as it is
    return item.page.startsWith("/") ? item.page + "." + lang + ".html" : item.page;
  }

  function show(found) {
    close();
    items = found;
    found.forEach(function (item, i) {
      const li = document.createElement("li");
      li.id = "site-search-option-" + i;
      li.setAttribute("role", "option");
      const a = document.createElement("a");
      a.href = pageOf(item);
      a.textContent = item.label;
      a.tabIndex = -1;
      li.appendChild(a);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus: the click still follows the link
      });
      list.appendChild(li);
    });
    if (found.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  }

  function select(i) {
    const options = list.querySelectorAll("li");
    options.forEach(function (li, j) {
      li.setAttribute("aria-selected", j === i ? "true" : "false");
    });
    active = i;
    if (i >= 0) input.setAttribute("aria-activedescendant", options[i].id);
  }

  async function suggest() {
    const text = input.value.trim();
    if (!text) return close();
    const mine = ++asked;
    const url = "/api/suggest?lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(text);
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (mine !== asked) return; // a later keystroke asked again
      show(response.ok ? await response.json() : []);
      list.dataset.for = text; // what these suggestions complete (tests wait for it)
    } catch (error) {
      close();
    }
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      select((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      select(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = pageOf(items[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () {
    setTimeout(close, 150);
  });
  window.lcgraphSearchBox = { ready: true };
})();
