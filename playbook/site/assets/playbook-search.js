/* playbook search: the header's search box, answered from the Pagefind index (see playbook/site/search.py).
 *
 * Nothing is fetched until the reader starts to search: then pagefind.js loads and fetches only the index chunks
 * and page fragments the query needs, so a first visit weighs the same however big the playbook is. Results are
 * drawn in Material's result markup, so they look, fold on a phone and read out like Material's own search.
 * A query that finds few pages adds those with some of its words, and a word that finds nothing is tried again
 * cut short (Pagefind matches the start of words), so a sentence ("what if the server is down"), a slip at the
 * end of a word ("ransomwre") or the other spelling ("behavior") still finds the page.
 * A result link carries the query (?highlight=...), which the page it opens marks in its text.
 *
 * The offline copy of the site has no such box (it keeps Material's search, which works from file://): there
 * this script only marks a highlight. Classic script, like the others (see playbook.js).
 */
(function () {
  "use strict";

  var FIRST = 5;          // results drawn as soon as their text is in
  var SHOWN = 10;         // results drawn for one query, the rest after the first
  var SECTIONS = 2;       // sections of one page shown under its title
  var CUT_AT_MOST = 3;    // letters a word loses, one at a time, when a query finds nothing
  var SHORTEST = 4;       // a word is never cut shorter than this
  var ENOUGH = 3;         // pages with every word of the query that need no others after them
  var MEANINGFUL = 3;     // shorter words (a, I, to) match the start of too many words to rank by
  var PARAM = "highlight";

  var script = document.currentScript;
  // This file is assets/playbook-search.js, so the site root is one folder up.
  var siteRoot = new URL("..", script ? script.src : window.location.href);
  var form = document.querySelector(".pb-search__form");
  var toggle = document.getElementById("__search");
  var engine = null; // the promise of the Pagefind module, once a reader starts to search
  var asked = 0;     // the latest query, so an answer that comes late never replaces a newer one

  function pagefind() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", siteRoot).href).then(function (loaded) {
        return loaded.options({ baseUrl: siteRoot.pathname, excerptLength: 24 })
          .then(function () { return loaded.init(); })
          .then(function () { return loaded; });
      });
      engine.catch(function () { engine = null; }); // try again on the next query
    }
    return engine;
  }

  function words(query) {
    return query.trim().split(/\s+/).filter(Boolean);
  }

  /* A word's pages; while it finds none, the word cut one letter shorter. */
  async function loosely(loaded, word) {
    var found = await loaded.search(word);
    for (var cut = 1; !found.results.length && cut <= CUT_AT_MOST && word.length - cut >= SHORTEST; cut++) {
      found = await loaded.search(word.slice(0, word.length - cut));
    }
    return found.results;
  }

  /* The pages with every word of the query first. Pagefind finds only those, so when there are few of them
   * (a question typed as a sentence, a word the playbook never uses), the pages with some of the words follow,
   * ranked by the scores of the words they have added up. */
  async function find(loaded, query) {
    var every = (await loaded.search(query)).results;
    var wanted = words(query).filter(function (word) { return word.length >= MEANINGFUL; });
    if (every.length >= ENOUGH || (wanted.length < 2 && every.length)) return every;
    var score = new Map(), hits = new Map();
    (await Promise.all(wanted.map(function (word) { return loosely(loaded, word); }))).forEach(function (found) {
      found.forEach(function (hit) {
        score.set(hit.id, (score.get(hit.id) || 0) + hit.score);
        hits.set(hit.id, hit);
      });
    });
    var some = Array.from(hits.values()).filter(function (hit) {
      return !every.some(function (first) { return first.id === hit.id; });
    }).sort(function (a, b) { return score.get(b.id) - score.get(a.id); });
    return every.concat(some);
  }

  /* Pagefind's excerpt is text with <mark> around the words found: rebuilt from its text and marks only. */
  function excerpt(html) {
    var paragraph = document.createElement("p");
    var parsed = new DOMParser().parseFromString("<body>" + html, "text/html");
    parsed.body.childNodes.forEach(function (node) {
      var part = node.nodeName === "MARK" ? document.createElement("mark") : document.createTextNode("");
      part.textContent = node.textContent;
      paragraph.appendChild(part);
    });
    return paragraph;
  }

  /* The query's words ride on the link (?highlight=...) for the page it opens to mark. They are added here, from
   * the query the list answers, not by Pagefind's highlightParam: its cached page data keeps the words of the query
   * that first loaded the page (often a half-typed one, "server do"). Short words (the, is, if) go where the query
   * has longer ones: as a word's start they would mark half the page. */
  function marked(url, query) {
    var target = new URL(url, window.location.href);
    var all = words(query);
    var long = all.filter(function (word) { return word.length >= SHORTEST; });
    (long.length ? long : all).forEach(function (word) { target.searchParams.append(PARAM, word); });
    return target.href;
  }

  function entry(url, heading, text, title) {
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    if (title) {
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      article.appendChild(icon);
    }
    var head = document.createElement(title ? "h1" : "h2");
    head.textContent = heading;
    article.appendChild(head);
    article.appendChild(excerpt(text));
    link.appendChild(article);
    return link;
  }

  function item(page, query) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    li.appendChild(entry(marked(page.url, query), page.meta.title || page.url, page.excerpt, true));
    // A section other than the page's title, where the words were found.
    page.sub_results.filter(function (section) {
      return section.url.indexOf("#") > 0 && section.title !== page.meta.title;
    }).slice(0, SECTIONS).forEach(function (section) {
      li.appendChild(entry(marked(section.url, query), section.title, section.excerpt, false));
    });
    return li;
  }

  function count(result, n) {
    var key = n === 0 ? "data-pb-none" : n === 1 ? "data-pb-one" : "data-pb-other";
    return result.getAttribute(key).replace("#", String(n));
  }

  async function show(query, result) {
    var mine = ++asked;
    var meta = result.querySelector(".md-search-result__meta");
    var list = result.querySelector(".md-search-result__list");
    if (!query.trim()) {
      list.textContent = "";
      meta.textContent = result.getAttribute("data-pb-placeholder");
      return;
    }
    var found, first;
    try {
      var loaded = await pagefind();
      found = await find(loaded, query);
      first = await Promise.all(found.slice(0, FIRST).map(text));
    } catch (error) {
      if (mine === asked) meta.textContent = window.playbook.t("Search is not available on this copy of the site.");
      return;
    }
    if (mine !== asked) return;
    list.textContent = "";
    meta.textContent = count(result, found.length);
    first.forEach(function (page) { list.appendChild(item(page, query)); });
    result.setAttribute("data-pb-shown", query); // which query the list answers (the tests and bench wait on it)
    // The rest once the first are on screen: each page's text is a file of its own to fetch.
    var more = await Promise.all(found.slice(FIRST, SHOWN).map(text)).catch(function () { return []; });
    if (mine === asked) more.forEach(function (page) { list.appendChild(item(page, query)); });
  }

  function text(hit) {
    return hit.data();
  }

  function open() {
    toggle.checked = true;
    pagefind(); // start loading while the reader types
  }

  function close(input) {
    toggle.checked = false;
    var focused = document.activeElement;
    if (focused && focused.closest(".md-search")) focused.blur(); // the box, or a result in it
    input.blur();
  }

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  /* Keys as in Material's search: / (or s, f) opens it, the arrows walk the results, Escape closes. */
  function onKey(event, input, result) {
    var links = Array.prototype.slice.call(result.querySelectorAll(".md-search-result__link"));
    var at = links.indexOf(document.activeElement);
    // A result the page kept focus on once the search closed (instant navigation keeps the header) is not in it.
    var inSearch = toggle.checked && (event.target === input || at >= 0);
    if (!inSearch && !typing(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey &&
        /^[/sf]$/.test(event.key)) {
      event.preventDefault();
      open();
      input.focus();
      input.select();
    } else if (inSearch && event.key === "Escape") {
      event.preventDefault();
      close(input);
    } else if (inSearch && (event.key === "ArrowDown" || event.key === "ArrowUp") && links.length) {
      event.preventDefault();
      var next = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
      (next < 0 ? input : links[next]).focus();
    }
  }

  function setUp() {
    var input = form.querySelector(".pb-search__input");
    var result = document.getElementById("pb-search-result");
    result.setAttribute("data-pb-placeholder", result.querySelector(".md-search-result__meta").textContent.trim());
    input.addEventListener("focus", open);
    // Leaving the search by keyboard closes it, as Material's does: the open box would cover the page.
    var dialog = form.closest(".md-search");
    dialog.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !dialog.contains(event.relatedTarget)) toggle.checked = false;
    });
    input.addEventListener("input", function () { show(input.value, result); });
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        input.focus();
      } else {
        input.blur();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = result.querySelector(".md-search-result__link");
      if (first) first.click();
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { show("", result); input.focus(); });
    });
    // Following a result closes the search: instant navigation keeps the header, and so the open box.
    result.addEventListener("click", function (event) {
      if (event.target.closest("a")) close(input);
    });
    document.addEventListener("keydown", function (event) { onKey(event, input, result); });
  }

  /* Marks the words a search result link carries (?highlight=...) in the page's text. */
  function highlight() {
    // A word's start, so the other spelling and other endings are marked too (apologize: apologise, apologies).
    var terms = new URL(window.location.href).searchParams.getAll(PARAM).map(function (term) {
      var word = term.replace(/[^\p{L}\p{N}]+/gu, "");
      return word.slice(0, Math.max(SHORTEST, word.length - 2));
    }).filter(Boolean);
    var content = document.querySelector(".md-content__inner");
    if (!terms.length || !content || content.querySelector("mark.pb-highlight")) return;
    var pattern = new RegExp("(?<![\\p{L}\\p{N}])(?:" + terms.join("|") + ")[\\p{L}\\p{N}]*", "giu");
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    var texts = [];
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest("script, style, mark, [hidden], .headerlink")) {
        texts.push(walker.currentNode);
      }
    }
    texts.forEach(function (text) {
      var marked = document.createDocumentFragment();
      var from = 0;
      text.data.replace(pattern, function (word, at) {
        marked.appendChild(document.createTextNode(text.data.slice(from, at)));
        var mark = document.createElement("mark");
        mark.className = "pb-highlight";
        mark.textContent = word;
        marked.appendChild(mark);
        from = at + word.length;
        return word;
      });
      if (from === 0) return;
      marked.appendChild(document.createTextNode(text.data.slice(from)));
      text.parentNode.replaceChild(marked, text);
    });
  }

  if (form && toggle) setUp();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", highlight);
  } else {
    highlight();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(highlight);
  }
})();
