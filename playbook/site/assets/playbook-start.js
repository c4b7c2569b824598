/* playbook learner tools: the New/Updated badges, the note on search from disk, and starting every tool on each
 * page. Loaded last, once the other scripts have added their tools (see playbook.js). */
(function () {
  "use strict";

  var pb = window.playbook;
  var all = pb.all, today = pb.today, load = pb.load;

  function showBadges() {
    var now = new Date(today() + "T00:00:00");
    all("[data-pb-since]").forEach(function (badge) {
      var since = new Date(badge.getAttribute("data-pb-since") + "T00:00:00");
      var age = (now - since) / 86400000;
      badge.classList.toggle("pb-badge--current", age >= 0 && age < Number(badge.getAttribute("data-pb-days")));
    });
  }

  // Opened straight from disk, the site cannot load its search index (browsers refuse it to file:// pages),
  // unless it is the offline copy, whose pages carry the worker shim that makes search work from disk.
  function explainSearchFromDisk() {
    var content = document.querySelector(".md-content__inner");
    if (location.protocol !== "file:" || document.querySelector('script[src*="iframe-worker"]') ||
        !content || content.querySelector(".pb-offline-note")) {
      return;
    }
    var note = document.createElement("p");
    note.className = "pb-offline-note pb-web-only";
    note.setAttribute("role", "note");
    note.textContent = pb.t("Search is off: this page was opened from disk, where browsers keep it from loading the " +
      "search index. Serve the site (make serve), or unzip the offline copy (site-offline.zip, made by " +
      "make offline), where search works from disk too.");
    content.insertBefore(note, content.firstChild);
  }

  /* Material's language switch (extra.alternate) links each language's home page; every language's site has the
   * same pages at the same paths, so each link is pointed at the page being read, in that language. Without this
   * script the links still lead to the other language's home page. */
  function alignLanguageSwitch() {
    var here = location.href.split("#")[0].split("?")[0];
    var page = here.indexOf(pb.siteRoot.href) === 0 ? here.slice(pb.siteRoot.href.length) : "";
    all("a.md-select__link[hreflang]").forEach(function (link) {
      if (!link.hasAttribute("data-pb-home")) link.setAttribute("data-pb-home", link.href);
      var home = new URL(".", link.getAttribute("data-pb-home"));
      link.href = new URL(page || "index.html", home).href;
    });
  }

  function init() {
    explainSearchFromDisk();
    alignLanguageSwitch();
    var state = load();
    pb.setUpTicks(state);
    pb.showRuns(state);
    pb.setUpQuizzes(state);
    pb.setUpCompletion();
    pb.showCompletions(state);
    pb.setUpPeople(state);
    pb.showPaths(state);
    pb.showProgressPage(state);
    showBadges();
  }

  // The page's own load starts the tools: Material's document$ does not emit for a page of the site opened
  // from disk. Instant navigation then swaps pages without reloading, and document$ emits for each of them.
  // Every step is safe to run twice on one page (listeners are added once).
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  }
})();
