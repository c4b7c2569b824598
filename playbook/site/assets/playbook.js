/* playbook learner tools: ticks, knowledge checks, completion and progress.
 *
 * Everything is kept in this browser (localStorage) under the items' stable
 * keys, so a tick survives reloads, instant navigation and rewording. No
 * server, no network. The pages work without this script; it only adds
 * memory and feedback.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // This file is assets/playbook.js, so the site root is one folder up.
  var siteRoot = new URL("..", script ? script.src : window.location.href);
  var STORE_KEY = "playbook:" + siteRoot.pathname;
  var FORMAT = "playbook-progress";
  var memoryStore = null; // used when the browser refuses localStorage

  // Maps without a prototype: an id such as "constructor" is just a key.
  function emptyState() {
    return { version: 1, ticks: Object.create(null), complete: Object.create(null) };
  }

  var KEY = /^[a-z0-9][a-z0-9:\/-]{0,200}$/;
  var DATE = /^\d{4}-\d{2}-\d{2}$/;

  /* A tick is the day it was made (YYYY-MM-DD), or true: a tick stored without its day, as a progress file
   * written by hand or by another tool may hold. It counts all the same; it just shows no day. */
  function isTick(value) {
    return value === true || (typeof value === "string" && DATE.test(value));
  }

  /* Only well-formed entries survive, whatever a stored or imported file holds. */
  function cleanState(raw) {
    var state = emptyState();
    if (!raw || typeof raw !== "object") return state;
    var ticks = raw.ticks && typeof raw.ticks === "object" ? raw.ticks : {};
    Object.keys(ticks).forEach(function (key) {
      if (KEY.test(key) && isTick(ticks[key])) state.ticks[key] = ticks[key];
    });
    var complete = raw.complete && typeof raw.complete === "object" ? raw.complete : {};
    Object.keys(complete).forEach(function (id) {
      var entry = complete[id];
      if (KEY.test(id) && entry && typeof entry.date === "string" && DATE.test(entry.date) &&
          typeof entry.revision === "number" && entry.revision >= 0) {
        state.complete[id] = { date: entry.date, revision: entry.revision };
      }
    });
    return state;
  }

  function load() {
    try {
      return cleanState(JSON.parse(window.localStorage.getItem(STORE_KEY) || "null"));
    } catch (error) {
      return cleanState(memoryStore);
    }
  }

  function save(state) {
    memoryStore = state;
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (error) {
      /* private mode or storage full: this visit still works from memory */
    }
  }

  function today() {
    var now = new Date();
    var month = String(now.getMonth() + 1).padStart(2, "0");
    var day = String(now.getDate()).padStart(2, "0");
    return now.getFullYear() + "-" + month + "-" + day;
  }

  /* A stored date (YYYY-MM-DD) as the site's readers write it, for the element it is shown in: in the
   * locale its widget carries (the team's `locale` in playbook.yml), else in the page's language; never in
   * the browser's own, which would give a British team's site American dates. */
  function readableDate(iso, element) {
    var tagged = element.closest("[data-pb-locale]");
    var locale = tagged ? tagged.getAttribute("data-pb-locale") : document.documentElement.lang;
    var parts = iso.split("-").map(Number);
    var format = new Intl.DateTimeFormat(locale || undefined, { day: "numeric", month: "long", year: "numeric" });
    return format.format(new Date(parts[0], parts[1] - 1, parts[2]));
  }

  function all(selector, scope) {
    return Array.prototype.slice.call((scope || document).querySelectorAll(selector));
  }

  function once(element) {
    if (element.getAttribute("data-pb-ready")) return false;
    element.setAttribute("data-pb-ready", "1");
    return true;
  }

  /* Which stored tick keys belong to a group: "module:ID" or "checklist:ID". */
  function groupPrefix(group) {
    var kind = group.split(":")[0];
    var id = group.slice(kind.length + 1);
    return kind === "module" ? id + "/" : id + ":";
  }

  function ticksInGroup(state, group) {
    var prefix = groupPrefix(group);
    return Object.keys(state.ticks).filter(function (key) {
      return key.indexOf(prefix) === 0;
    }).length;
  }

  /* --- Tick lists ------------------------------------------------------ */

  function setUpTicks(state) {
    showTicks(state);
    all("input.pb-tick__box[data-pb-key]").forEach(function (box) {
      if (!once(box)) return;
      box.addEventListener("change", function () {
        var current = load();
        var key = box.getAttribute("data-pb-key");
        if (box.checked) current.ticks[key] = today();
        else delete current.ticks[key];
        save(current);
        showTick(box, current.ticks[key]);
        showTallies(current);
      });
    });
    all(".pb-tally").forEach(setUpClearing);
  }

  function showTicks(state) {
    all("input.pb-tick__box[data-pb-key]").forEach(function (box) {
      showTick(box, state.ticks[box.getAttribute("data-pb-key")]);
    });
    showTallies(state);
  }

  /* A box as stored: unticked, or ticked with the day it was ticked beside it (none for a tick without one). */
  function showTick(box, tick) {
    box.checked = Boolean(tick);
    var note = tickDate(box);
    note.textContent = typeof tick === "string" ? "Ticked " + readableDate(tick, box) : "";
    note.hidden = !note.textContent;
  }

  /* The note after a box's label that says when it was ticked; screen readers hear it as the box's description. */
  function tickDate(box) {
    var id = box.id + "-date";
    var note = document.getElementById(id);
    if (!note) {
      note = document.createElement("span");
      note.id = id;
      note.className = "pb-tick__date";
      box.parentNode.appendChild(note);
      box.setAttribute("aria-describedby", id);
    }
    return note;
  }

  /* "Clear my ticks" keeps what it cleared, so Undo can put back exactly those ticks, days and all, for as
   * long as the page is open: one stray tap on a phone mid-call should not wipe a list. Undo has no time
   * limit, so nobody has to race it with a screen reader. */
  function setUpClearing(tally) {
    var reset = tally.querySelector(".pb-tally__reset");
    var note = tally.querySelector(".pb-tally__note");
    if (!reset || !once(reset)) return;
    var cleared = Object.create(null);
    reset.addEventListener("click", function () {
      var current = load();
      var prefix = groupPrefix(tally.getAttribute("data-pb-group"));
      Object.keys(current.ticks).forEach(function (key) {
        if (key.indexOf(prefix) !== 0) return;
        cleared[key] = current.ticks[key];
        delete current.ticks[key];
      });
      save(current);
      showTicks(current);
      var count = Object.keys(cleared).length;
      if (count === 0) {
        note.textContent = "No ticks to clear.";
        return;
      }
      note.textContent = "Cleared " + count + (count === 1 ? " tick. " : " ticks. ");
      var undo = document.createElement("button");
      undo.type = "button";
      undo.className = "md-button pb-tally__undo";
      undo.textContent = "Undo";
      undo.addEventListener("click", function () {
        var restored = load();
        Object.keys(cleared).forEach(function (key) { restored.ticks[key] = cleared[key]; });
        cleared = Object.create(null);
        save(restored);
        showTicks(restored);
        note.textContent = "Put back " + count + (count === 1 ? " tick." : " ticks.");
        // The button goes with the note's old text: keep the keyboard where it was before clearing.
        reset.focus();
      });
      note.appendChild(undo);
    });
  }

  function showTallies(state) {
    all(".pb-tally").forEach(function (tally) {
      var group = tally.getAttribute("data-pb-group");
      var boxes = all('input.pb-tick__box[data-pb-key]', document).filter(function (box) {
        return box.closest("[data-pb-group]").getAttribute("data-pb-group") === group;
      });
      var done = boxes.filter(function (box) { return box.checked; }).length;
      var what = group.indexOf("module:") === 0 ? "actions" : "items";
      tally.querySelector(".pb-tally__count").textContent = done + " of " + boxes.length + " " + what + " done";
      tally.classList.toggle("pb-tally--done", boxes.length > 0 && done === boxes.length);
    });
  }

  /* --- Knowledge checks -------------------------------------------------- */

  function setUpQuizzes() {
    all("form.pb-quiz").forEach(function (quiz) {
      if (!once(quiz)) return;
      quiz.addEventListener("submit", function (event) { event.preventDefault(); });
      all(".pb-question", quiz).forEach(function (question) {
        question.querySelector(".pb-question__check").addEventListener("click", function () {
          checkQuestion(question);
          showScore(quiz);
        });
      });
      quiz.querySelector(".pb-quiz__retry").addEventListener("click", function () {
        all(".pb-question", quiz).forEach(resetQuestion);
        showScore(quiz);
        var first = quiz.querySelector("input");
        if (first) first.focus();
      });
    });
  }

  function checkQuestion(question) {
    var inputs = all("input.pb-choice__input", question);
    var chosen = inputs.filter(function (input) { return input.checked; });
    var feedback = question.querySelector(".pb-question__feedback");
    inputs.forEach(function (input) {
      var choice = input.closest(".pb-choice");
      choice.classList.remove("pb-choice--right", "pb-choice--wrong");
      choice.querySelector(".pb-choice__why").hidden = true;
    });
    if (chosen.length === 0) {
      question.removeAttribute("data-pb-result");
      feedback.textContent = "Choose an answer first.";
      return;
    }
    var right = inputs.every(function (input) {
      return input.checked === (input.getAttribute("data-pb-correct") === "true");
    });
    var reasons = chosen.map(function (input) {
      var choice = input.closest(".pb-choice");
      var isRight = input.getAttribute("data-pb-correct") === "true";
      choice.classList.add(isRight ? "pb-choice--right" : "pb-choice--wrong");
      var why = choice.querySelector(".pb-choice__why");
      why.hidden = false;
      return why.textContent.trim();
    });
    question.setAttribute("data-pb-result", right ? "right" : "wrong");
    // The explanation shows under the chosen answer; screen readers hear it with the verdict.
    var spoken = document.createElement("span");
    spoken.className = "pb-visually-hidden";
    spoken.textContent = " " + reasons.join(" ");
    feedback.textContent = right ? "Right." : "Not quite.";
    feedback.appendChild(spoken);
    feedback.className = "pb-question__feedback pb-question__feedback--" + (right ? "right" : "wrong");
  }

  function resetQuestion(question) {
    all("input.pb-choice__input", question).forEach(function (input) {
      input.checked = false;
      var choice = input.closest(".pb-choice");
      choice.classList.remove("pb-choice--right", "pb-choice--wrong");
      choice.querySelector(".pb-choice__why").hidden = true;
    });
    question.removeAttribute("data-pb-result");
    var feedback = question.querySelector(".pb-question__feedback");
    feedback.textContent = "";
    feedback.className = "pb-question__feedback";
  }

  function showScore(quiz) {
    var questions = all(".pb-question", quiz);
    var answered = questions.filter(function (q) { return q.hasAttribute("data-pb-result"); });
    var right = answered.filter(function (q) { return q.getAttribute("data-pb-result") === "right"; });
    quiz.querySelector(".pb-quiz__score").textContent = answered.length
      ? "Score: " + right.length + " of " + questions.length + " right" +
        (answered.length < questions.length ? " (" + (questions.length - answered.length) + " still to answer)." : ".")
      : "";
  }

  /* --- Completion and progress -------------------------------------------- */

  /* Where a module stands for this learner, worded for the element it is shown in. */
  function moduleStatus(state, id, revision, element) {
    var entry = state.complete[id];
    if (!entry) return { kind: "todo", text: "Not started" };
    if (entry.revision < revision) {
      return { kind: "outdated", text: "Changed since you completed it: read it again" };
    }
    return { kind: "done", text: "Completed " + readableDate(entry.date, element) };
  }

  function setUpCompletion(state) {
    all(".pb-complete").forEach(function (box) {
      var id = box.getAttribute("data-pb-module");
      var revision = Number(box.getAttribute("data-pb-revision"));
      var button = box.querySelector(".pb-complete__toggle");
      var status = box.querySelector(".pb-complete__status");
      function show(current) {
        var result = moduleStatus(current, id, revision, status);
        var done = result.kind === "done";
        status.textContent = result.kind === "todo" ? "Not marked complete yet." : result.text + ".";
        button.textContent = done ? "Mark as not complete" : "Mark this module complete";
        button.setAttribute("aria-pressed", done ? "true" : "false");
        box.classList.toggle("pb-complete--done", done);
      }
      show(state);
      if (!once(button)) return;
      button.addEventListener("click", function () {
        var current = load();
        if (moduleStatus(current, id, revision, status).kind === "done") delete current.complete[id];
        else current.complete[id] = { date: today(), revision: revision };
        save(current);
        show(current);
      });
    });
  }

  function showBar(container, done, total, summary) {
    container.querySelector("[role=status]").textContent = summary;
    var bar = container.querySelector(".pb-bar");
    bar.setAttribute("aria-valuenow", String(done));
    bar.querySelector(".pb-bar__fill").style.width = (total ? (100 * done) / total : 0) + "%";
  }

  function showPaths(state) {
    all(".pb-path").forEach(function (path) {
      var steps = all(".pb-flow__step", path);
      var done = 0;
      steps.forEach(function (step) {
        var result = moduleStatus(state, step.getAttribute("data-pb-module"), Number(step.getAttribute("data-pb-revision")),
                                  step);
        if (result.kind === "done") done += 1;
        step.setAttribute("data-pb-status", result.kind);
        step.querySelector(".pb-flow__status").textContent = result.text;
      });
      showBar(path, done, steps.length, done + " of " + steps.length + " modules complete");
    });
  }

  function showProgressPage(state) {
    all(".pb-progress").forEach(function (page) {
      var statuses = all(".pb-progress__status", page);
      var done = 0;
      statuses.forEach(function (cell) {
        var result = moduleStatus(state, cell.getAttribute("data-pb-module"), Number(cell.getAttribute("data-pb-revision")),
                                  cell);
        if (result.kind === "done") done += 1;
        cell.textContent = result.text;
        cell.setAttribute("data-pb-status", result.kind);
      });
      all(".pb-progress__ticks", page).forEach(function (cell) {
        var total = Number(cell.getAttribute("data-pb-total"));
        cell.textContent = Math.min(ticksInGroup(state, cell.getAttribute("data-pb-group")), total) + " of " + total;
      });
      showBar(page, done, statuses.length, done + " of " + statuses.length + " modules complete");
      setUpTransfer(page);
    });
  }

  function setUpTransfer(page) {
    var exportButton = page.querySelector(".pb-progress__export");
    var importInput = page.querySelector(".pb-progress__import");
    var message = page.querySelector(".pb-progress__message");
    if (!once(exportButton)) return;
    exportButton.addEventListener("click", function () {
      var current = load();
      var file = { format: FORMAT, version: 1, site: siteRoot.pathname, saved: today(),
                   ticks: current.ticks, complete: current.complete };
      var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "playbook-progress-" + today() + ".json";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      message.textContent = "Saved " + Object.keys(current.ticks).length + " ticks and " +
        Object.keys(current.complete).length + " completed modules to " + link.download + ".";
    });
    importInput.addEventListener("change", function () {
      var file = importInput.files && importInput.files[0];
      if (!file) return;
      file.text().then(function (text) {
        var incoming;
        try {
          incoming = JSON.parse(text);
        } catch (error) {
          incoming = null;
        }
        if (!incoming || incoming.format !== FORMAT) {
          message.textContent = "That file is not a playbook progress file; nothing was changed.";
          return;
        }
        var loaded = cleanState(incoming);
        var current = load();
        Object.keys(loaded.ticks).forEach(function (key) {
          // A tick without a day never replaces one with a day.
          if (loaded.ticks[key] !== true || !current.ticks[key]) current.ticks[key] = loaded.ticks[key];
        });
        Object.keys(loaded.complete).forEach(function (id) {
          var mine = current.complete[id];
          var theirs = loaded.complete[id];
          if (!mine || theirs.revision > mine.revision ||
              (theirs.revision === mine.revision && theirs.date > mine.date)) {
            current.complete[id] = theirs;
          }
        });
        save(current);
        importInput.value = "";
        message.textContent = "Loaded " + Object.keys(loaded.ticks).length + " ticks and " +
          Object.keys(loaded.complete).length + " completed modules from " + file.name + ".";
        showProgressPage(current);
      });
    });
  }

  /* --- Small things ------------------------------------------------------ */

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
    note.textContent = "Search is off: this page was opened from disk, where browsers keep it from loading the " +
      "search index. Serve the site (make serve), or unzip the offline copy (site-offline.zip, made by " +
      "make offline), where search works from disk too.";
    content.insertBefore(note, content.firstChild);
  }

  function init() {
    explainSearchFromDisk();
    var state = load();
    setUpTicks(state);
    setUpQuizzes();
    setUpCompletion(state);
    showPaths(state);
    showProgressPage(state);
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
