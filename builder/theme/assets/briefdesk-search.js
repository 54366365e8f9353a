/*
 * Briefdesk search: Pagefind's Component UI in Material's header, with the search in the URL.
 *
 * - The site may be served from any path (site_url's path, or / under `briefdesk serve`): the
 *   site root is found from this script's own URL (assets/briefdesk/ sits two levels below it),
 *   and Pagefind is told where its bundle is and what to put before the index's root-relative URLs.
 * - The query and filters are kept in the page's URL (?q=...&topic=...&year=...) while the dialog
 *   is open, so a search can be shared, reloaded, and found again with the Back button.
 * - Material's instant navigation swaps the page under the header without reloading scripts: the
 *   header, and this dialog in it, stay. On each new page we close the dialog, or reopen it when
 *   the new URL carries a search (Back to a results URL).
 * - Keys: "/" opens the dialog (Pagefind's trigger shortcut); arrows, Enter and Escape are
 *   Pagefind's. Keys pressed inside the dialog are kept from Material's own shortcuts ("n"/"p"
 *   would otherwise turn the page behind it).
 */
(function () {
  "use strict";

  var FILTERS = ["topic", "actor", "source", "year"];
  var QUERY = "q";
  var script = document.currentScript;
  var box = document.querySelector("[data-bd-search]");
  if (!script || !box) {
    return;
  }
  var root = new URL("../../", script.src);
  var bundle = new URL("pagefind/", root);
  var config = box.querySelector("pagefind-config");
  config.setAttribute("bundle-path", bundle.pathname);
  config.setAttribute("base-url", root.pathname);
  // On a phone the facets come first in the dialog: start them closed so results stay in view.
  var pane = box.querySelector("pagefind-filter-pane");
  if (pane && window.matchMedia("(max-width: 44.984375em)").matches) {
    pane.removeAttribute("open");
  }

  var loader = document.createElement("script");
  loader.src = new URL("pagefind-component-ui.js", bundle).href;
  loader.addEventListener("load", start);
  loader.addEventListener("error", function () {
    // The site was built without its index (or it is being replaced): say so, as without JS.
    var note = document.createElement("p");
    var link = document.createElement("a");
    note.className = "bd-search__noscript";
    note.textContent = "Search is unavailable. ";
    link.href = new URL("timeline/", root).href;
    link.textContent = "Browse the timeline";
    note.appendChild(link);
    box.appendChild(note);
  });
  document.body.appendChild(loader);

  function start() {
    var components = window.PagefindComponents;
    var modal = box.querySelector("pagefind-modal");
    if (!components || !modal) {
      return;
    }
    var instance = components.getInstanceManager().getInstance("default");
    // Set while the dialog closes because a result was chosen: the page being left keeps its
    // search in the URL, so Back returns to it.
    var leaving = false;
    box.classList.add("bd-search--ready");

    instance.on("search", function (term, filters) {
      if (modal.isOpen) {
        writeState(term, filters);
      }
    });
    // "close" does not bubble, and Pagefind may rebuild its <dialog>: listen while capturing.
    modal.addEventListener("close", function () {
      if (!leaving) {
        writeState("", {});
      }
      leaving = false;
    }, true);
    modal.addEventListener("click", function (event) {
      var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (link && modal.contains(link)) {
        leaving = true;
        modal.close();
      }
    });
    modal.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        event.stopPropagation();
      }
    });

    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () { restore(modal, instance); });
    } else {
      restore(modal, instance);
    }
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        restore(modal, instance);
      }
    });
  }

  function restore(modal, instance) {
    var state = readState();
    if (state) {
      // Search first, open second: <pagefind-input> shows a term it is told of only while it
      // does not have the focus, and opening the dialog focuses it.
      instance.triggerSearchWithFilters(state.term, state.filters);
      if (!modal.isOpen) {
        modal.open();
      }
      var input = modal.querySelector("pagefind-input input");
      if (input && input.value !== state.term) {
        input.value = state.term;
      }
    } else if (modal.isOpen) {
      modal.close();
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

  function writeState(term, filters) {
    var url = new URL(location.href);
    [QUERY].concat(FILTERS).forEach(function (name) { url.searchParams.delete(name); });
    if (term) {
      url.searchParams.set(QUERY, term);
    }
    FILTERS.forEach(function (name) {
      ((filters && filters[name]) || []).forEach(function (value) {
        url.searchParams.append(name, value);
      });
    });
    if (url.href !== location.href) {
      history.replaceState(history.state, "", url.href);
    }
  }
})();
