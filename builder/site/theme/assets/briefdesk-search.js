/*
 * Briefdesk search: a dialog over Pagefind's JS API, in Material's header, with the search in the URL.
 *
 * - One result per page. An article's matching passages (Pagefind's sub-results, `#p-N`) are
 *   listed under it, the best three first (most matched words, then page order), the rest behind
 *   "n more in this article". Matches are marked as Pagefind marks them.
 * - Facet counts on demand: Pagefind's filter files are fetched only when the reader opens the
 *   filters, or when the URL carries filters. A search without filters fetches none of them.
 * - Common words: Pagefind has no stop words and matches every word as a prefix, so "an" in a
 *   long query would fetch and score every word that starts with "an". In a query of three or
 *   more words, common English words are left out (results still hold every other word; a page
 *   that has them all ranks first). A query in double quotes is Pagefind's exact-phrase search
 *   and goes as it is.
 * - The site may be served from any path: the site root is found from this script's own URL
 *   (assets/briefdesk/ sits two levels below it); Pagefind is told where its bundle is and what to
 *   put before the index's root-relative URLs.
 * - The query and filters are kept in the page's URL (?q=...&topic=...) while the dialog is open,
 *   so a search can be shared, reloaded, and found again with the Back button. Material's instant
 *   navigation swaps the page under the header without reloading scripts: on each new page the
 *   dialog closes, or reopens when the new URL carries a search.
 * - Keys: "/" opens the dialog; arrows move between the search box and the result links; Enter
 *   follows a link; Escape closes. Keys pressed inside the dialog are kept from Material's own
 *   shortcuts ("n"/"p" would otherwise turn the page behind it).
 */
(function () {
  "use strict";

  var FILTERS = ["topic", "actor", "source", "source_kind", "year"];
  var FILTER_LABELS = { topic: "Topic", actor: "Actor", source: "Source", source_kind: "Kind of source", year: "Year" };
  var QUERY = "q";
  // Results whose text is fetched at a time: a screenful. Each is a fragment of its own (a few KB),
  // and a first query should fetch little; more follow as the reader scrolls to the end.
  var BATCH = 5;
  var SHOWN_PASSAGES = 3;
  var DEBOUNCE_MS = 150;
  var COMMON = (
    "a an and are as at be but by for from had has have he her his i in is it its of on or our " +
    "she that the their them they this to was we were which while who will with would you"
  ).split(" ");

  var script = document.currentScript;
  var box = document.querySelector("[data-bd-search]");
  if (!script || !box) {
    return;
  }
  var root = new URL("../../", script.src);
  var bundle = new URL("pagefind/", root);
  var trigger = box.querySelector(".bd-search__trigger");
  var placeholder = box.getAttribute("data-placeholder") || "Search";

  var pagefind = null; // the module, once loaded
  var filtersWanted = false; // the reader opened the filters, or the URL carries some
  var filtersLoaded = null; // a promise, once asked for
  var state = { term: "", filters: {} };
  var searchId = 0;
  var timer = null;
  var leaving = false;

  var ui = buildDialog();
  box.appendChild(ui.dialog);

  import(new URL("pagefind.js", bundle).href).then(
    function (module) {
      return module.options({ basePath: bundle.pathname, baseUrl: root.pathname, excerptLength: 30 }).then(function () {
        pagefind = module;
        start();
      });
    },
    function () {
      // The site was built without its index (or it is being replaced): say so, as without JS.
      var note = element("p", "bd-search__noscript", "Search is unavailable. ");
      var link = element("a", "", "Browse the timeline");
      link.href = new URL("timeline/", root).href;
      note.appendChild(link);
      box.appendChild(note);
    }
  );

  function start() {
    trigger.hidden = false;
    box.classList.add("bd-search--ready");
    trigger.addEventListener("click", function () { open(); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "/" && !ui.dialog.open && !editable(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        open();
      }
    });
    ui.input.addEventListener("input", function () {
      state.term = ui.input.value;
      schedule();
    });
    ui.toggle.addEventListener("click", function () {
      var show = ui.facets.hidden;
      ui.facets.hidden = !show;
      ui.toggle.setAttribute("aria-expanded", String(show));
      if (show) {
        wantFilters();
      }
    });
    ui.close.addEventListener("click", function () { ui.dialog.close(); });
    ui.more.addEventListener("click", function () { showMore(); });
    ui.layout.addEventListener("scroll", function () {
      // The reader scrolled to the end of the list: fetch the next results.
      var layout = ui.layout;
      if (!ui.more.hidden && layout.scrollTop + layout.clientHeight >= layout.scrollHeight - 160) {
        showMore();
      }
    });
    ui.dialog.addEventListener("close", function () {
      if (!leaving) {
        writeState(true);
      }
      leaving = false;
    });
    ui.dialog.addEventListener("click", function (event) {
      if (event.target === ui.dialog) {
        ui.dialog.close(); // a click on the backdrop
        return;
      }
      var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (link && ui.dialog.contains(link)) {
        leaving = true; // the page being left keeps its search in the URL, for Back
        ui.dialog.close();
      }
    });
    ui.dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        moveFocus(event.key === "ArrowDown" ? 1 : -1);
        event.preventDefault();
      }
      if (event.key === "Escape") {
        // Closed here: in a search box Chromium's Escape would only clear the text.
        event.preventDefault();
        ui.dialog.close();
      } else {
        event.stopPropagation();
      }
    });
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(restore);
    } else {
      restore();
    }
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        restore();
      }
    });
  }

  function open() {
    if (!ui.dialog.open) {
      ui.dialog.showModal();
    }
    ui.input.focus();
    ui.input.select();
  }

  function restore() {
    var found = readState();
    if (!found) {
      if (ui.dialog.open) {
        ui.dialog.close();
      }
      return;
    }
    state = found;
    ui.input.value = state.term;
    if (Object.keys(state.filters).length) {
      ui.facets.hidden = false;
      ui.toggle.setAttribute("aria-expanded", "true");
      wantFilters();
    }
    open();
    run();
  }

  function wantFilters() {
    filtersWanted = true;
    if (!filtersLoaded) {
      // pagefind.filters() fetches every filter file: the counts need them all.
      filtersLoaded = pagefind.filters().then(function (totals) {
        renderFacets(totals, true);
        return totals;
      });
      filtersLoaded.then(run);
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }

  function searchTerm(term) {
    var trimmed = term.trim();
    if (/^".+"$/.test(trimmed)) {
      return trimmed; // Pagefind's exact-phrase search
    }
    var words = trimmed.split(/\s+/).filter(Boolean);
    if (words.length < 3) {
      return trimmed;
    }
    var kept = words.filter(function (word) {
      return COMMON.indexOf(word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")) < 0;
    });
    return (kept.length ? kept : words).join(" ");
  }

  function pagefindFilters() {
    var filters = {};
    FILTERS.forEach(function (name) {
      if (state.filters[name] && state.filters[name].length) {
        filters[name] = { any: state.filters[name].slice() };
      }
    });
    return filters;
  }

  function run() {
    clearTimeout(timer);
    var id = ++searchId;
    writeState(false);
    var term = searchTerm(state.term);
    var hasFilters = Object.keys(pagefindFilters()).length > 0;
    if (!term && !hasFilters) {
      ui.summary.textContent = "";
      ui.results.textContent = "";
      ui.more.hidden = true;
      if (filtersLoaded) {
        filtersLoaded.then(function (totals) { if (id === searchId) { renderFacets(totals, true); } });
      }
      return;
    }
    var waitFor = hasFilters && filtersWanted ? filtersLoaded : Promise.resolve();
    waitFor.then(function () {
      return pagefind.search(term || null, { filters: pagefindFilters() });
    }).then(function (search) {
      if (id !== searchId || !search) {
        return;
      }
      ui.pending = search.results;
      ui.results.textContent = "";
      var count = search.results.length;
      var shown = state.term.trim() ? " for \u201c" + state.term.trim() + "\u201d" : "";
      ui.summary.textContent = (count ? count + (count === 1 ? " result" : " results") : "No results") + shown;
      if (filtersWanted && filtersLoaded) {
        renderFacets(search.filters, false);
      }
      showMore();
    });
  }

  function showMore() {
    var batch = ui.pending.splice(0, BATCH);
    var id = searchId;
    batch.forEach(function (result) {
      var item = element("li", "bd-result bd-result--loading");
      ui.results.appendChild(item);
      result.data().then(function (data) {
        if (id === searchId) {
          fillResult(item, data);
        }
      });
    });
    ui.more.hidden = ui.pending.length === 0;
  }

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  /* "2021-03-22" as every page prints it, "22 March 2021" (no locale: the site's own words). */
  function longDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) {
      return iso || "";
    }
    return Number(parts[3]) + " " + MONTHS[Number(parts[2]) - 1] + " " + parts[1];
  }

  function fillResult(item, data) {
    item.className = "bd-result";
    var kind = data.meta.kind === "brief" ? "Brief" : "";
    var title = element("p", "bd-result__title");
    var link = element("a", "bd-result__link", data.meta.title || data.url);
    link.href = data.url;
    if (kind) {
      title.appendChild(element("span", "bd-result__kind", kind));
    }
    title.appendChild(link);
    item.appendChild(title);
    var meta = [data.meta.source, longDate(data.meta.date)].filter(Boolean).join(" \u00b7 ");
    if (meta) {
      item.appendChild(element("p", "bd-result__meta", meta));
    }
    var passages = rankedPassages(data);
    if (!passages.length) {
      var excerpt = element("p", "bd-result__excerpt");
      excerpt.innerHTML = data.excerpt; // Pagefind's excerpt: the page's text escaped, matches in <mark>
      item.appendChild(excerpt);
      return;
    }
    var list = element("ul", "bd-result__passages");
    passages.forEach(function (sub, index) {
      var entry = element("li", "bd-result__passage");
      entry.hidden = index >= SHOWN_PASSAGES;
      var anchor = element("a", "bd-result__passage-link");
      anchor.href = sub.url;
      anchor.appendChild(element("span", "bd-result__number", sub.title));
      var text = element("span", "bd-result__excerpt");
      // Pagefind's excerpt (text escaped, matches in <mark>), less the heading "¶ N." that the
      // passage's anchor carries: the number is shown once, beside it.
      text.innerHTML = sub.excerpt.replace(/^\s*\u00b6\s*\d+\.?\s*/, "");
      anchor.appendChild(text);
      entry.appendChild(anchor);
      list.appendChild(entry);
    });
    item.appendChild(list);
    var hidden = passages.length - SHOWN_PASSAGES;
    if (hidden > 0) {
      var more = element("button", "bd-result__more", hidden + " more in this article");
      more.type = "button";
      more.addEventListener("click", function () {
        list.querySelectorAll("li[hidden]").forEach(function (entry) { entry.hidden = false; });
        more.remove();
      });
      item.appendChild(more);
    }
  }

  // The passages that matched, best first: most matched words, then the order of the page.
  // The page's own sub-result (matches in its title or lead) is the result itself.
  function rankedPassages(data) {
    return (data.sub_results || [])
      .filter(function (sub) { return sub.url !== data.url && /#p-\d+$/.test(sub.url); })
      .map(function (sub, index) { return { sub: sub, index: index }; })
      .sort(function (a, b) {
        return (b.sub.locations || []).length - (a.sub.locations || []).length || a.index - b.index;
      })
      .map(function (pair) { return pair.sub; });
  }

  function renderFacets(counts, totals) {
    ui.facets.textContent = "";
    FILTERS.forEach(function (name) {
      var values = counts[name] || {};
      var chosen = state.filters[name] || [];
      var names = Object.keys(values).filter(function (value) {
        return values[value] > 0 || chosen.indexOf(value) >= 0;
      });
      names.sort(function (a, b) { return values[b] - values[a] || (a < b ? -1 : a > b ? 1 : 0); });
      if (!names.length) {
        return;
      }
      var group = element("fieldset", "bd-facet");
      group.setAttribute("data-filter-name", name);
      group.appendChild(element("legend", "bd-facet__name", FILTER_LABELS[name]));
      names.forEach(function (value) {
        var label = element("label", "bd-facet__value");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.value = value;
        box.checked = chosen.indexOf(value) >= 0;
        box.addEventListener("change", function () {
          var list = (state.filters[name] || []).filter(function (v) { return v !== value; });
          if (box.checked) {
            list.push(value);
          }
          state.filters[name] = list;
          run();
        });
        label.appendChild(box);
        label.appendChild(element("span", "bd-facet__label", value));
        label.appendChild(element("span", "bd-facet__count", String(values[value])));
        group.appendChild(label);
      });
      ui.facets.appendChild(group);
    });
    ui.facets.setAttribute("data-counts", totals ? "totals" : "query");
  }

  function moveFocus(step) {
    var stops = [ui.input].concat(Array.prototype.slice.call(
      ui.results.querySelectorAll("a[href]:not([hidden]), button")
    )).filter(function (node) { return !node.closest("[hidden]"); });
    var at = stops.indexOf(document.activeElement);
    var next = stops[Math.max(0, Math.min(stops.length - 1, at + step))];
    if (next) {
      next.focus();
    }
  }

  function readState() {
    var params = new URLSearchParams(location.search);
    var term = params.get(QUERY) || "";
    var filters = {};
    var any = term !== "";
    FILTERS.forEach(function (name) {
      var values = params.getAll(name).filter(Boolean);
      if (values.length) {
        filters[name] = values;
        any = true;
      }
    });
    return any ? { term: term, filters: filters } : null;
  }

  function writeState(clear) {
    var url = new URL(location.href);
    [QUERY].concat(FILTERS).forEach(function (name) { url.searchParams.delete(name); });
    if (!clear) {
      if (state.term) {
        url.searchParams.set(QUERY, state.term);
      }
      FILTERS.forEach(function (name) {
        (state.filters[name] || []).forEach(function (value) { url.searchParams.append(name, value); });
      });
    } else {
      state = { term: "", filters: {} };
    }
    if (url.href !== location.href) {
      history.replaceState(history.state, "", url.href);
    }
  }

  function buildDialog() {
    var dialog = element("dialog", "bd-search__dialog");
    dialog.setAttribute("aria-label", placeholder);
    var header = element("div", "bd-search__header");
    var input = element("input", "bd-search__input");
    input.type = "search";
    input.placeholder = placeholder + ": briefs, articles, paragraphs";
    input.setAttribute("aria-label", placeholder);
    input.autocomplete = "off";
    input.spellcheck = false;
    var toggle = element("button", "bd-search__toggle", "Filters");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    var close = element("button", "bd-search__close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    header.appendChild(input);
    header.appendChild(toggle);
    header.appendChild(close);
    var layout = element("div", "bd-search__layout");
    var facets = element("div", "bd-search__facets");
    facets.hidden = true;
    facets.setAttribute("aria-label", "Filters");
    var main = element("div", "bd-search__main");
    var summary = element("p", "bd-search__summary");
    summary.setAttribute("role", "status");
    var results = element("ol", "bd-search__results");
    var more = element("button", "bd-search__more", "More results");
    more.type = "button";
    more.hidden = true;
    main.appendChild(summary);
    main.appendChild(results);
    main.appendChild(more);
    layout.appendChild(facets);
    layout.appendChild(main);
    // The keys are of no use on a phone (the stylesheet hides them there); the quotes are.
    var hints = element("p", "bd-search__hints");
    hints.appendChild(element("span", "bd-search__keys", "\u2191 \u2193 move \u00b7 Enter open \u00b7 Esc close \u00b7 "));
    hints.appendChild(document.createTextNode("\"quotes\" for an exact phrase"));
    dialog.appendChild(header);
    dialog.appendChild(layout);
    dialog.appendChild(hints);
    return {
      dialog: dialog, input: input, toggle: toggle, close: close, facets: facets, layout: layout,
      summary: summary, results: results, more: more, pending: [],
    };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function editable(target) {
    return target instanceof Element && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
  }
})();
