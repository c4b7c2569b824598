/* playbook learner tools: ticks, checklist runs, knowledge checks, completion, progress and receipts.
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
  var RECEIPTS_FORMAT = "playbook-receipts/1"; // the learner -> trainer contract; playbook record reads it
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
    return STAMP.test(stamp) ? day + " at " + stamp.slice(11) : day;
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
        if (box.checked) current.ticks[key] = isChecklistKey(key) ? thisMinute() : today();
        else delete current.ticks[key];
        save(current);
        showTick(box, current.ticks[key]);
        showTallies(current);
      });
    });
    all(".pb-tally").forEach(function (tally) {
      if (tally.getAttribute("data-pb-group").indexOf("checklist:") === 0) setUpNewRun(tally);
      else setUpClearing(tally);
    });
  }

  /* A checklist item's key is "checklist:item"; a module action's is "module/principle/action". */
  function isChecklistKey(key) {
    return key.indexOf(":") > 0;
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
    note.textContent = typeof tick === "string" ? "Ticked " + readableStamp(tick, box) : "";
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

  /* --- Checklist runs ---------------------------------------------------- */

  /* A situational checklist is worked through once per incident. "Start a new run" files the ticks so far as
   * one run (from its first tick to now) in a short history, newest last, and empties the list; Undo puts
   * that run back as the current one. No confirmation dialog: nothing is lost, so nothing needs asking. */
  function setUpNewRun(tally) {
    var reset = tally.querySelector(".pb-tally__reset");
    var note = tally.querySelector(".pb-tally__note");
    if (!reset || !once(reset)) return;
    var id = tally.getAttribute("data-pb-group").slice("checklist:".length);
    var prefix = id + ":";
    reset.addEventListener("click", function () {
      var current = load();
      var run = { started: "", ended: thisMinute(), ticks: Object.create(null) };
      Object.keys(current.ticks).forEach(function (key) {
        if (key.indexOf(prefix) !== 0) return;
        run.ticks[key] = current.ticks[key];
        delete current.ticks[key];
      });
      var count = Object.keys(run.ticks).length;
      if (count === 0) {
        note.textContent = "Nothing is ticked in this run yet, so it is already a new run.";
        return;
      }
      run.started = Object.keys(run.ticks).map(function (key) { return run.ticks[key]; })
        .filter(function (tick) { return tick !== true; }).sort()[0] || run.ended;
      current.runs[id] = (current.runs[id] || []).concat([run]).slice(-RUNS_KEPT);
      save(current);
      showTicks(current);
      showRuns(current);
      note.textContent = "Started a new run. The last one (" + count + (count === 1 ? " tick" : " ticks") +
        ") is kept under Earlier runs. ";
      var undo = document.createElement("button");
      undo.type = "button";
      undo.className = "md-button pb-tally__undo";
      undo.textContent = "Undo";
      undo.addEventListener("click", function () {
        var restored = load();
        var runs = restored.runs[id] || [];
        var last = runs[runs.length - 1];
        if (last && last.ended === run.ended && last.started === run.started) runs.pop();
        if (!runs.length) delete restored.runs[id];
        Object.keys(run.ticks).forEach(function (key) { restored.ticks[key] = run.ticks[key]; });
        save(restored);
        showTicks(restored);
        showRuns(restored);
        note.textContent = "Put back the last run (" + count + (count === 1 ? " tick)." : " ticks).");
        reset.focus();
      });
      note.appendChild(undo);
    });
  }

  /* Earlier runs, newest first: each opens to what was ticked and when. */
  function showRuns(state) {
    all(".pb-runs").forEach(function (section) {
      var id = section.getAttribute("data-pb-checklist");
      var runs = (state.runs[id] || []).slice().reverse();
      var list = section.querySelector(".pb-runs__list");
      var total = all("input.pb-tick__box[data-pb-key^='" + id + ":']").length;
      list.textContent = "";
      runs.forEach(function (run) {
        var item = document.createElement("li");
        var details = document.createElement("details");
        var summary = document.createElement("summary");
        var keys = Object.keys(run.ticks).sort(function (a, b) {
          return String(run.ticks[a]).localeCompare(String(run.ticks[b]));
        });
        summary.textContent = "Run of " + readableStamp(run.started, section) + " to " +
          readableStamp(run.ended, section) + ": " + keys.length + " of " + total + " items ticked";
        details.appendChild(summary);
        var ticked = document.createElement("ul");
        keys.forEach(function (key) {
          var entry = document.createElement("li");
          var tick = run.ticks[key];
          entry.textContent = itemLabel(key) + (typeof tick === "string" ? ": ticked " + readableStamp(tick, section) : "");
          ticked.appendChild(entry);
        });
        details.appendChild(ticked);
        details.appendChild(printButton(item, details));
        item.className = "pb-runs__item";
        item.appendChild(details);
        list.appendChild(item);
      });
      section.hidden = runs.length === 0;
    });
  }

  /* Prints one earlier run on its own: the page's title and that run (see the print rules in playbook.css). */
  function printButton(item, details) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button pb-runs__print";
    button.textContent = "Print this run";
    button.addEventListener("click", function () {
      details.open = true;
      all(".pb-runs__item--printing").forEach(function (other) { other.classList.remove("pb-runs__item--printing"); });
      item.classList.add("pb-runs__item--printing");
      document.body.classList.add("pb-printing-run");
      window.addEventListener("afterprint", function done() {
        document.body.classList.remove("pb-printing-run");
        item.classList.remove("pb-runs__item--printing");
        window.removeEventListener("afterprint", done);
      });
      window.print();
    });
    return button;
  }

  /* The words of a checklist item, from its box's label on this page (the key, if it is no longer there). */
  function itemLabel(key) {
    var box = all("input.pb-tick__box[data-pb-key]").filter(function (candidate) {
      return candidate.getAttribute("data-pb-key") === key;
    })[0];
    var label = box && document.querySelector("label[for='" + box.id + "']");
    return label ? label.textContent.trim() : key;
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

  /* The answers checked so far are stored as the module's attempt, so a reload shows them checked again with
   * their feedback and score; "Start the questions again" replaces the attempt with an empty one. */
  function setUpQuizzes(state) {
    all("form.pb-quiz").forEach(function (quiz) {
      if (!once(quiz)) return;
      var id = quiz.getAttribute("data-pb-quiz");
      restoreAttempt(quiz, state.quiz[id]);
      quiz.addEventListener("submit", function (event) { event.preventDefault(); });
      all(".pb-question", quiz).forEach(function (question) {
        question.querySelector(".pb-question__check").addEventListener("click", function () {
          checkQuestion(question);
          showScore(quiz);
          saveAttempt(quiz);
        });
      });
      quiz.querySelector(".pb-quiz__retry").addEventListener("click", function () {
        all(".pb-question", quiz).forEach(resetQuestion);
        showScore(quiz);
        var current = load();
        delete current.quiz[id];
        save(current);
        showCompletions(current);
        var first = quiz.querySelector("input");
        if (first) first.focus();
      });
    });
  }

  function restoreAttempt(quiz, attempt) {
    if (!attempt) return;
    all(".pb-question", quiz).forEach(function (question) {
      var chosen = attempt.answers[question.getAttribute("data-pb-question")];
      if (!chosen) return;
      all("input.pb-choice__input", question).forEach(function (input) {
        input.checked = chosen.indexOf(input.value) >= 0;
      });
      checkQuestion(question);
    });
    showScore(quiz);
  }

  function saveAttempt(quiz) {
    var current = load();
    var id = quiz.getAttribute("data-pb-quiz");
    var attempt = { answers: Object.create(null) };
    all(".pb-question", quiz).forEach(function (question) {
      if (!question.hasAttribute("data-pb-result")) return;
      attempt.answers[question.getAttribute("data-pb-question")] = all("input.pb-choice__input", question)
        .filter(function (input) { return input.checked; })
        .map(function (input) { return input.value; });
    });
    var score = quizScore(quiz);
    if (score !== null) attempt.score = score;
    current.quiz[id] = attempt;
    save(current);
    showCompletions(current);
  }

  /* The percent of questions answered right, once every question is answered; null before that. */
  function quizScore(quiz) {
    var questions = all(".pb-question", quiz);
    var answered = questions.filter(function (q) { return q.hasAttribute("data-pb-result"); });
    if (!questions.length || answered.length < questions.length) return null;
    var right = answered.filter(function (q) { return q.getAttribute("data-pb-result") === "right"; });
    return Math.round((100 * right.length) / questions.length);
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
    var score = quizScore(quiz);
    var passMark = Number(quiz.getAttribute("data-pb-pass-mark"));
    var verdict = score === null ? "" : score >= passMark
      ? " You passed: " + score + "%, and the pass mark is " + passMark + "%."
      : " That is " + score + "%, below the pass mark of " + passMark + "%: start the questions again to retry.";
    quiz.querySelector(".pb-quiz__score").textContent = answered.length
      ? "Score: " + right.length + " of " + questions.length + " right" +
        (answered.length < questions.length ? " (" + (questions.length - answered.length) + " still to answer)." : ".") +
        verdict
      : "";
  }

  /* --- Completion and progress -------------------------------------------- */

  /* Where a module stands for this learner, worded for the element it is shown in. */
  function moduleStatus(state, id, revision, element) {
    var entry = state.complete[id];
    if (!entry) return { kind: "todo", text: "Not started" };
    if (entry.revision < revision) {
      return { kind: "outdated", text: "Changed since you read it: you completed revision " + entry.revision +
               ", and it is now at revision " + revision };
    }
    return { kind: "done", text: "Completed " + readableDate(entry.date, element) };
  }

  /* Shows the changelog entries newer than the revision the learner read, inside `scope`; hides them all
   * when the learner is on the current revision. */
  function showChanges(scope, state, id, revision) {
    var entry = state.complete[id];
    var since = entry && entry.revision < revision ? entry.revision : revision;
    var shown = 0;
    all(".pb-changes__entry", scope).forEach(function (change) {
      change.hidden = Number(change.getAttribute("data-pb-revision")) <= since;
      if (!change.hidden) shown += 1;
    });
    all(".pb-changes", scope).forEach(function (changes) { changes.hidden = shown === 0; });
    return shown;
  }

  /* A module is complete once its knowledge check is passed at the pass mark and the learner acknowledges the
   * revision they read; the completion keeps what a receipt needs: day, revision, score and digest. */
  function setUpCompletion() {
    all(".pb-complete").forEach(function (box) {
      var button = box.querySelector(".pb-complete__toggle");
      if (!once(button)) return;
      button.addEventListener("click", function () {
        var current = load();
        var id = box.getAttribute("data-pb-module");
        var revision = Number(box.getAttribute("data-pb-revision"));
        var message = box.querySelector(".pb-complete__message");
        var ack = box.querySelector(".pb-complete__ack");
        if (moduleStatus(current, id, revision, box).kind === "done") {
          delete current.complete[id];
          ack.checked = false;
          message.textContent = "";
        } else {
          var problem = completionProblem(box, current);
          if (problem) {
            message.textContent = problem.text;
            if (problem.focus) problem.focus.focus();
            return;
          }
          var entry = { date: today(), revision: revision };
          var attempt = current.quiz[id];
          if (Number(box.getAttribute("data-pb-checks")) > 0) entry.score = attempt.score;
          entry.digest = box.getAttribute("data-pb-digest");
          entry.acknowledged = ack.checked;
          current.complete[id] = entry;
          message.textContent = current.person ? "" : "Set your person id below, so your receipts can say who you are.";
        }
        save(current);
        showCompletions(current);
      });
    });
  }

  /* Why this module cannot be completed yet, or null: the check not passed, or the revision not acknowledged. */
  function completionProblem(box, state) {
    var id = box.getAttribute("data-pb-module");
    var passMark = Number(box.getAttribute("data-pb-pass-mark"));
    var attempt = state.quiz[id];
    if (Number(box.getAttribute("data-pb-checks")) > 0 && !(attempt && attempt.score >= passMark)) {
      var where = attempt && typeof attempt.score === "number"
        ? "your score is " + attempt.score + "%, and the pass mark is " + passMark + "%"
        : "answer every question and check it; the pass mark is " + passMark + "%";
      return { text: "Pass the knowledge check first: " + where + ".",
               focus: document.querySelector("form.pb-quiz[data-pb-quiz='" + id + "'] input") };
    }
    var ack = box.querySelector(".pb-complete__ack");
    if (!ack.checked) {
      return { text: "Tick \u201c" + ack.labels[0].textContent.trim() + "\u201d first.", focus: ack };
    }
    return null;
  }

  function showCompletions(state) {
    all(".pb-complete").forEach(function (box) {
      var id = box.getAttribute("data-pb-module");
      var revision = Number(box.getAttribute("data-pb-revision"));
      var button = box.querySelector(".pb-complete__toggle");
      var status = box.querySelector(".pb-complete__status");
      var result = moduleStatus(state, id, revision, status);
      var entry = state.complete[id];
      var done = result.kind === "done";
      if (result.kind === "todo") status.textContent = "Not marked complete yet.";
      else if (done) {
        status.textContent = result.text + " (revision " + entry.revision +
          (typeof entry.score === "number" ? ", score " + entry.score + "%" : "") + ").";
      } else {
        status.textContent = result.text + ". Read what changed, then acknowledge revision " + revision + ".";
      }
      showChanges(box, state, id, revision);
      if (done) box.querySelector(".pb-complete__ack").checked = true;
      button.textContent = done ? "Mark as not complete" : "Mark this module complete";
      button.setAttribute("aria-pressed", done ? "true" : "false");
      box.classList.toggle("pb-complete--done", done);
    });
  }

  function showBar(container, done, total, summary) {
    container.querySelector(".pb-path__summary, .pb-progress__summary").textContent = summary;
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
        showChanges(step, state, step.getAttribute("data-pb-module"), Number(step.getAttribute("data-pb-revision")));
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
      all(".pb-progress__changed-module", page).forEach(function (changed) {
        var id = changed.getAttribute("data-pb-module");
        var cell = page.querySelector(".pb-progress__status[data-pb-module='" + id + "']");
        changed.hidden = showChanges(changed, state, id, Number(cell.getAttribute("data-pb-revision"))) === 0;
      });
      all(".pb-progress__score", page).forEach(function (cell) {
        cell.textContent = scoreText(state.quiz[cell.getAttribute("data-pb-module")],
                                     Number(cell.getAttribute("data-pb-checks")), Number(cell.getAttribute("data-pb-pass-mark")));
      });
      all(".pb-progress__ticks", page).forEach(function (cell) {
        var total = Number(cell.getAttribute("data-pb-total"));
        cell.textContent = Math.min(ticksInGroup(state, cell.getAttribute("data-pb-group")), total) + " of " + total;
      });
      showBar(page, done, statuses.length, done + " of " + statuses.length + " modules complete");
      setUpTransfer(page);
      showReceipts(page, state);
      setUpReceipts(page);
    });
  }

  /* A module's last knowledge-check attempt, as My progress shows it. */
  function scoreText(attempt, checks, passMark) {
    if (checks === 0) return "No check";
    if (!attempt) return "Not taken";
    if (typeof attempt.score !== "number") {
      return Object.keys(attempt.answers).length + " of " + checks + " answered";
    }
    return attempt.score + "%: " + (attempt.score >= passMark ? "passed" : "below the pass mark of " + passMark + "%");
  }

  function setUpTransfer(page) {
    var exportButton = page.querySelector(".pb-progress__export");
    var importInput = page.querySelector(".pb-progress__import");
    var message = page.querySelector(".pb-progress__message");
    if (!once(exportButton)) return;
    exportButton.addEventListener("click", function () {
      var current = load();
      var file = { format: FORMAT, version: 1, site: siteRoot.pathname, saved: today(), person: current.person,
                   ticks: current.ticks, complete: current.complete, quiz: current.quiz, runs: current.runs };
      var name = "playbook-progress-" + today() + ".json";
      saveFile(JSON.stringify(file, null, 2) + "\n", name);
      message.textContent = "Saved " + Object.keys(current.ticks).length + " ticks and " +
        Object.keys(current.complete).length + " completed modules to " + name + ".";
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
        // Who the learner is, their last attempts and their earlier runs: this device's own win where it has them.
        if (!current.person) current.person = loaded.person;
        Object.keys(loaded.quiz).forEach(function (id) {
          if (!current.quiz[id]) current.quiz[id] = loaded.quiz[id];
        });
        Object.keys(loaded.runs).forEach(function (id) {
          var mine = current.runs[id] || [];
          var seen = mine.map(function (run) { return run.started + " " + run.ended; });
          var added = loaded.runs[id].filter(function (run) { return seen.indexOf(run.started + " " + run.ended) < 0; });
          current.runs[id] = mine.concat(added).sort(function (a, b) { return a.ended.localeCompare(b.ended); })
            .slice(-RUNS_KEPT);
        });
        save(current);
        importInput.value = "";
        message.textContent = "Loaded " + Object.keys(loaded.ticks).length + " ticks and " +
          Object.keys(loaded.complete).length + " completed modules from " + file.name + ".";
        showProgressPage(current);
        showPeople(current);
      });
    });
  }

  /* --- Who the learner is -------------------------------------------------- */

  /* The learner types the person id their trainer gave them; the site keeps it and puts it on their
   * receipts. It knows no names and checks only the id's shape: the trainer's roster says who it is. */
  function setUpPeople(state) {
    showPeople(state);
    all(".pb-person").forEach(function (widget) {
      // Asked once: where the site asks (module pages), it stops asking once an id is set.
      if (widget.classList.contains("pb-person--ask")) widget.hidden = Boolean(state.person);
      var form = widget.querySelector(".pb-person__form");
      if (!once(form)) return;
      var input = widget.querySelector(".pb-person__input");
      var message = widget.querySelector(".pb-person__message");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var id = input.value.trim();
        if (!PERSON.test(id)) {
          input.setAttribute("aria-invalid", "true");
          message.textContent = (id ? "\u201c" + id + "\u201d is not a person id" : "Type your person id first") +
            ": use lowercase letters, digits and '-', exactly as your trainer gave it.";
          input.focus();
          return;
        }
        input.removeAttribute("aria-invalid");
        var current = load();
        current.person = id;
        save(current);
        showPeople(current);
        all(".pb-progress").forEach(function (page) { showReceipts(page, current); });
        message.textContent = "Saved: your receipts will carry the id " + id + ".";
      });
    });
  }

  function showPeople(state) {
    all(".pb-person").forEach(function (widget) {
      widget.querySelector(".pb-person__shown").textContent = state.person
        ? "Your person id: " + state.person + "." : "No person id set yet.";
      var input = widget.querySelector(".pb-person__input");
      if (document.activeElement !== input) input.value = state.person;
      widget.querySelector(".pb-person__save").textContent = state.person ? "Change my id" : "Save my id";
    });
  }

  /* --- Receipts to the trainer ----------------------------------------------- */

  /* The receipts file (playbook-receipts/1, see the design's learner -> trainer contract): one receipt per
   * module of this site the learner completed and acknowledged, in the site's order. */
  function receiptsFile(page, state) {
    var receipts = [];
    all(".pb-progress__status", page).forEach(function (cell) {
      var id = cell.getAttribute("data-pb-module");
      var entry = state.complete[id];
      if (!entry || !entry.acknowledged) return;
      var receipt = { module: id, revision: entry.revision };
      if (entry.digest) receipt.digest = entry.digest;
      receipt.completed = entry.date;
      if (typeof entry.score === "number") receipt.score = entry.score;
      receipt.acknowledged = true;
      receipts.push(receipt);
    });
    return {
      format: RECEIPTS_FORMAT,
      playbook: page.querySelector(".pb-receipts").getAttribute("data-pb-playbook"),
      person: state.person,
      made: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      receipts: receipts,
    };
  }

  function receiptsText(file) {
    return JSON.stringify(file, null, 2) + "\n";
  }

  /* Why there is nothing to send yet, or null. */
  function receiptsProblem(file) {
    if (!file.person) return "Set your person id first (under Who you are): your trainer's records need it.";
    if (!file.receipts.length) return "No receipts yet: complete a module first.";
    return null;
  }

  function showReceipts(page, state) {
    var box = page.querySelector(".pb-receipts");
    if (!box) return;
    var file = receiptsFile(page, state);
    var count = file.receipts.length;
    box.querySelector(".pb-receipts__summary").textContent = receiptsProblem(file) ||
      count + (count === 1 ? " receipt" : " receipts") + " ready to send, as " + file.person + ".";
    var mail = box.querySelector(".pb-receipts__mail");
    if (mail) mailReceipts(mail, box, file);
  }

  /* The e-mail link carries the same JSON as the file, in the body: the learner's own mail program sends it. */
  function mailReceipts(mail, box, file) {
    mail.href = "mailto:" + box.getAttribute("data-pb-trainer") +
      "?subject=" + encodeURIComponent("Playbook receipts from " + (file.person || "a learner")) +
      "&body=" + encodeURIComponent(receiptsText(file));
  }

  function setUpReceipts(page) {
    var box = page.querySelector(".pb-receipts");
    if (!box) return;
    var download = box.querySelector(".pb-receipts__download");
    var mail = box.querySelector(".pb-receipts__mail");
    var message = box.querySelector(".pb-receipts__message");
    if (!once(download)) return;
    download.addEventListener("click", function () {
      var file = receiptsFile(page, load());
      var problem = receiptsProblem(file);
      if (problem) {
        message.textContent = problem;
        return;
      }
      var name = "receipts-" + file.person + "-" + today() + ".json";
      saveFile(receiptsText(file), name);
      message.textContent = "Saved " + file.receipts.length + (file.receipts.length === 1 ? " receipt" : " receipts") +
        " to " + name + ". Send that file to your trainer.";
    });
    if (mail) {
      mail.addEventListener("click", function (event) {
        // Made now, not when the page opened; the href is read after this listener runs.
        var file = receiptsFile(page, load());
        var problem = receiptsProblem(file);
        if (problem) {
          event.preventDefault();
          message.textContent = problem;
          return;
        }
        mailReceipts(mail, box, file);
        message.textContent = "Your mail program opens with the receipts in the message: check it and send it.";
      });
    }
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
    showRuns(state);
    setUpQuizzes(state);
    setUpCompletion();
    showCompletions(state);
    setUpPeople(state);
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
