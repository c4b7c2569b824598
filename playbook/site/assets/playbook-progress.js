/* playbook learner tools: completion and progress, and who the learner is (see playbook.js). */
(function () {
  "use strict";

  var FORMAT = "playbook-progress";
  var pb = window.playbook;
  var all = pb.all, once = pb.once, load = pb.load, save = pb.save, today = pb.today, readableDate = pb.readableDate,
      ticksInGroup = pb.ticksInGroup, saveFile = pb.saveFile, cleanState = pb.cleanState, siteRoot = pb.siteRoot,
      RUNS_KEPT = pb.RUNS_KEPT, PERSON = pb.PERSON;
  // The receipts' tools come from a later script (playbook-receipts.js), so they are looked up on pb when called.

  /* --- Completion and progress -------------------------------------------- */

  /* Where a module stands for this learner, worded for the element it is shown in. */
  function moduleStatus(state, id, revision, element) {
    var entry = state.complete[id];
    if (!entry) return { kind: "todo", text: pb.t("Not started") };
    if (entry.revision < revision) {
      return { kind: "outdated", text: pb.t("Changed since you read it: you completed revision {read}, and it is now at " +
                                            "revision {revision}", { read: entry.revision, revision: revision }) };
    }
    return { kind: "done", text: pb.t("Completed {day}", { day: readableDate(entry.date, element) }) };
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
          message.textContent = current.person ? "" : pb.t("Set your person id below, so your receipts can say who you are.");
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
        ? pb.t("Pass the knowledge check first: your score is {score}%, and the pass mark is {mark}%.",
               { score: attempt.score, mark: passMark })
        : pb.t("Pass the knowledge check first: answer every question and check it; the pass mark is {mark}%.",
               { mark: passMark });
      return { text: where,
               focus: document.querySelector("form.pb-quiz[data-pb-quiz='" + id + "'] input") };
    }
    var ack = box.querySelector(".pb-complete__ack");
    if (!ack.checked) {
      return { text: pb.t("Tick \u201c{label}\u201d first.", { label: ack.labels[0].textContent.trim() }), focus: ack };
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
      if (result.kind === "todo") status.textContent = pb.t("Not marked complete yet.");
      else if (done) {
        status.textContent = result.text + " (revision " + entry.revision +
          (typeof entry.score === "number" ? ", score " + entry.score + "%" : "") + ").";
      } else {
        status.textContent = pb.t("{status}. Read what changed, then acknowledge revision {revision}.",
                                 { status: result.text, revision: revision });
      }
      showChanges(box, state, id, revision);
      if (done) box.querySelector(".pb-complete__ack").checked = true;
      button.textContent = done ? pb.t("Mark as not complete") : pb.t("Mark this module complete");
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
      showBar(path, done, steps.length, pb.t("{done} of {total} modules complete", { done: done, total: steps.length }));
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
        changed.hidden = moduleStatus(state, changed.getAttribute("data-pb-module"),
                                      Number(changed.getAttribute("data-pb-revision")), changed).kind !== "outdated";
      });
      all(".pb-progress__score", page).forEach(function (cell) {
        cell.textContent = scoreText(state.quiz[cell.getAttribute("data-pb-module")],
                                     Number(cell.getAttribute("data-pb-checks")), Number(cell.getAttribute("data-pb-pass-mark")));
      });
      all(".pb-progress__ticks", page).forEach(function (cell) {
        var total = Number(cell.getAttribute("data-pb-total"));
        cell.textContent = pb.t("{done} of {total}", { done: Math.min(ticksInGroup(state, cell.getAttribute("data-pb-group")), total),
                                                      total: total });
      });
      showBar(page, done, statuses.length, pb.t("{done} of {total} modules complete", { done: done, total: statuses.length }));
      setUpTransfer(page);
      pb.showReceipts(page, state);
      pb.setUpReceipts(page);
    });
  }

  /* A module's last knowledge-check attempt, as My progress shows it. */
  function scoreText(attempt, checks, passMark) {
    if (checks === 0) return pb.t("No check");
    if (!attempt) return pb.t("Not taken");
    if (typeof attempt.score !== "number") {
      return pb.t("{count} of {total} answered", { count: Object.keys(attempt.answers).length, total: checks });
    }
    return attempt.score >= passMark ? pb.t("{score}%: passed", { score: attempt.score })
      : pb.t("{score}%: below the pass mark of {mark}%", { score: attempt.score, mark: passMark });
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
      message.textContent = pb.t("Saved {ticks} ticks and {modules} completed modules to {file}.", {
        ticks: Object.keys(current.ticks).length, modules: Object.keys(current.complete).length, file: name });
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
          message.textContent = pb.t("That file is not a playbook progress file; nothing was changed.");
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
        message.textContent = pb.t("Loaded {ticks} ticks and {modules} completed modules from {file}.", {
          ticks: Object.keys(loaded.ticks).length, modules: Object.keys(loaded.complete).length, file: file.name });
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
          message.textContent = id
            ? pb.t("\u201c{id}\u201d is not a person id: use lowercase letters, digits and '-', exactly as your trainer " +
                   "gave it.", { id: id })
            : pb.t("Type your person id first: use lowercase letters, digits and '-', exactly as your trainer gave it.");
          input.focus();
          return;
        }
        input.removeAttribute("aria-invalid");
        var current = load();
        current.person = id;
        save(current);
        showPeople(current);
        all(".pb-progress").forEach(function (page) { pb.showReceipts(page, current); });
        message.textContent = pb.t("Saved: your receipts will carry the id {id}.", { id: id });
      });
    });
  }

  function showPeople(state) {
    all(".pb-person").forEach(function (widget) {
      widget.querySelector(".pb-person__shown").textContent = state.person
        ? pb.t("Your person id: {id}.", { id: state.person }) : pb.t("No person id set yet.");
      var input = widget.querySelector(".pb-person__input");
      if (document.activeElement !== input) input.value = state.person;
      widget.querySelector(".pb-person__save").textContent = state.person ? pb.t("Change my id") : pb.t("Save my id");
    });
  }

  pb.setUpCompletion = setUpCompletion;
  pb.showCompletions = showCompletions;
  pb.setUpPeople = setUpPeople;
  pb.showPaths = showPaths;
  pb.showProgressPage = showProgressPage;
})();
