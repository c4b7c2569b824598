/* playbook learner tools, the shared core: the store, dates, ids and page helpers.
 *
 * Everything is kept in this browser (localStorage) under the items' stable
 * keys, so a tick survives reloads, instant navigation and rewording. No
 * server, no network. The pages work without these scripts; they only add
 * memory and feedback.
 *
 * The tools are classic scripts, not ES modules: the offline copy of the site
 * is opened from file://, where module scripts do not load. This one is
 * loaded first and makes the namespace the others share (window.playbook):
 * playbook-ticks.js, playbook-checks.js, playbook-progress.js,
 * playbook-receipts.js, then playbook-start.js, which starts them. Before it,
 * playbook-language.js (written for each language's site) gives the site's
 * language, its words for the tools (pb.t) and where the whole site's root is.
 */
(function () {
  "use strict";

  // Assigned, never looked up first: until it is, window.playbook is any element whose id is "playbook"
  // (a heading so titled, say).
  var pb = window.playbook = {};

  // Named in camel case, which no id on a page can be (ids are lowercase), so no element stands in for it.
  var language = window.playbookLanguage || { language: null, root: "", messages: {} };
  var script = document.currentScript;
  // This file is assets/playbook.js, so this language's site root is one folder up.
  var siteRoot = new URL("..", script ? script.src : window.location.href);
  // Every language's site keeps the learner's record under the source language's root (each translation is a
  // folder of it): switching language keeps ticks, answers and completions, which use the same keys everywhere.
  var STORE_KEY = "playbook:" + new URL(language.root || "./", siteRoot).pathname;
  var RUNS_KEPT = 10; // earlier runs of one checklist kept in this browser
  var memoryStore = null; // used when the browser refuses localStorage

  // Maps without a prototype: an id such as "constructor" is just a key.
  function emptyState() {
    return { version: 1, person: "", ticks: Object.create(null), complete: Object.create(null),
             quiz: Object.create(null), runs: Object.create(null) };
  }

  var KEY = /^[a-z0-9][a-z0-9:\/-]{0,200}$/;
  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  // Local time to the minute: a checklist is used during an incident, so its ticks say when, not just which day.
  var STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
  // The shape of the roster's person ids (the same as content ids).
  var PERSON = /^[a-z0-9][a-z0-9-]{0,63}$/;
  var DIGEST = /^sha256:[0-9a-f]{64}$/;

  /* A tick is the day it was made (YYYY-MM-DD), its minute (checklists), or true: a tick stored without its
   * day, as a progress file written by hand or by another tool may hold. It counts all the same; it just
   * shows no day. */
  function isTick(value) {
    return value === true || (typeof value === "string" && (DATE.test(value) || STAMP.test(value)));
  }

  function isPercent(value) {
    return typeof value === "number" && Math.round(value) === value && value >= 0 && value <= 100;
  }

  function cleanTicks(raw) {
    var ticks = Object.create(null);
    var given = raw && typeof raw === "object" ? raw : {};
    Object.keys(given).forEach(function (key) {
      if (KEY.test(key) && isTick(given[key])) ticks[key] = given[key];
    });
    return ticks;
  }

  /* A completion: the day, the revision read, and what a receipt needs (score, digest, acknowledgement). */
  function cleanCompletion(entry) {
    if (!entry || typeof entry.date !== "string" || !DATE.test(entry.date) ||
        typeof entry.revision !== "number" || entry.revision < 0) {
      return null;
    }
    var clean = { date: entry.date, revision: entry.revision };
    if (isPercent(entry.score)) clean.score = entry.score;
    if (typeof entry.digest === "string" && DIGEST.test(entry.digest)) clean.digest = entry.digest;
    if (entry.acknowledged === true) clean.acknowledged = true;
    return clean;
  }

  /* The last attempt at a module's knowledge check: each answered question's chosen choices, and the score in
   * percent once every question is answered. */
  function cleanAttempt(entry) {
    if (!entry || typeof entry !== "object" || !entry.answers || typeof entry.answers !== "object") return null;
    var attempt = { answers: Object.create(null) };
    Object.keys(entry.answers).forEach(function (question) {
      var chosen = entry.answers[question];
      if (KEY.test(question) && Array.isArray(chosen) &&
          chosen.every(function (choice) { return typeof choice === "string" && KEY.test(choice); })) {
        attempt.answers[question] = chosen.slice();
      }
    });
    if (isPercent(entry.score)) attempt.score = entry.score;
    return attempt;
  }

  function cleanRun(run) {
    if (!run || typeof run.ended !== "string" || !STAMP.test(run.ended) ||
        typeof run.started !== "string" || !(STAMP.test(run.started) || DATE.test(run.started))) {
      return null;
    }
    return { started: run.started, ended: run.ended, ticks: cleanTicks(run.ticks) };
  }

  /* Only well-formed entries survive, whatever a stored or imported file holds. */
  function cleanState(raw) {
    var state = emptyState();
    if (!raw || typeof raw !== "object") return state;
    if (typeof raw.person === "string" && PERSON.test(raw.person)) state.person = raw.person;
    state.ticks = cleanTicks(raw.ticks);
    eachEntry(raw.complete, function (id, entry) {
      var clean = cleanCompletion(entry);
      if (clean) state.complete[id] = clean;
    });
    eachEntry(raw.quiz, function (id, entry) {
      var clean = cleanAttempt(entry);
      if (clean) state.quiz[id] = clean;
    });
    eachEntry(raw.runs, function (id, runs) {
      if (!Array.isArray(runs)) return;
      var clean = runs.map(cleanRun).filter(Boolean).slice(-RUNS_KEPT);
      if (clean.length) state.runs[id] = clean;
    });
    return state;
  }

  /* Calls back with each (id, value) of a stored map whose id is well formed. */
  function eachEntry(map, callback) {
    if (!map || typeof map !== "object") return;
    Object.keys(map).forEach(function (id) {
      if (KEY.test(id)) callback(id, map[id]);
    });
  }

  /* A page shown by a host that keeps the learner's record itself (an LMS package's launch page, see
   * playbook/lms/assets) gives the store, an object with read() and write(state), as window.playbookStore
   * before this script runs; the tools then read and write there instead of this browser's storage. */
  var host = window.playbookStore && typeof window.playbookStore.read === "function" ? window.playbookStore : null;

  function load() {
    if (host) return cleanState(host.read());
    try {
      return cleanState(JSON.parse(window.localStorage.getItem(STORE_KEY) || "null"));
    } catch (error) {
      return cleanState(memoryStore);
    }
  }

  function save(state) {
    memoryStore = state;
    if (host) {
      host.write(state);
      return;
    }
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (error) {
      /* private mode or storage full: this visit still works from memory */
    }
  }

  /* A message of the learner tools in the site's language: `text` is its English, `values` fill its {names}. */
  function t(text, values) {
    var own = Object.prototype.hasOwnProperty.call(language.messages, text) ? language.messages[text] : text;
    return own.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function twoDigits(number) {
    return String(number).padStart(2, "0");
  }

  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + twoDigits(now.getMonth() + 1) + "-" + twoDigits(now.getDate());
  }

  /* This minute in local time (YYYY-MM-DDTHH:MM), as a checklist tick stores it. */
  function thisMinute() {
    var now = new Date();
    return today() + "T" + twoDigits(now.getHours()) + ":" + twoDigits(now.getMinutes());
  }

  /* A stored day or minute as readers write it: "5 March 2026" or "5 March 2026 at 14:05". */
  function readableStamp(stamp, element) {
    var day = readableDate(stamp.slice(0, 10), element);
    return STAMP.test(stamp) ? t("{day} at {time}", { day: day, time: stamp.slice(11) }) : day;
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

  /* Hands `text` to the browser as a download named `name`: it stays on this device. */
  function saveFile(text, name) {
    var blob = new Blob([text], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  pb.siteRoot = siteRoot;
  pb.t = t;
  pb.RUNS_KEPT = RUNS_KEPT;
  pb.PERSON = PERSON;
  pb.cleanState = cleanState;
  pb.load = load;
  pb.save = save;
  pb.today = today;
  pb.thisMinute = thisMinute;
  pb.readableStamp = readableStamp;
  pb.readableDate = readableDate;
  pb.all = all;
  pb.once = once;
  pb.groupPrefix = groupPrefix;
  pb.ticksInGroup = ticksInGroup;
  pb.saveFile = saveFile;
})();
