/* playbook learner tools: tick lists and checklist runs (see playbook.js). */
(function () {
  "use strict";

  var pb = window.playbook;
  var all = pb.all, once = pb.once, load = pb.load, save = pb.save, today = pb.today, thisMinute = pb.thisMinute,
      readableStamp = pb.readableStamp, groupPrefix = pb.groupPrefix, RUNS_KEPT = pb.RUNS_KEPT;

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
    note.textContent = typeof tick === "string" ? pb.t("Ticked {when}", { when: readableStamp(tick, box) }) : "";
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
        note.textContent = pb.t("No ticks to clear.");
        return;
      }
      note.textContent = pb.t(count === 1 ? "Cleared {count} tick." : "Cleared {count} ticks.", { count: count }) + " ";
      offerUndo(note, reset, function () {
        var restored = load();
        Object.keys(cleared).forEach(function (key) { restored.ticks[key] = cleared[key]; });
        cleared = Object.create(null);
        save(restored);
        showTicks(restored);
        return pb.t(count === 1 ? "Put back {count} tick." : "Put back {count} ticks.", { count: count });
      });
    });
  }

  /* An Undo button at the end of the tally's note: `undo` puts things back and says what it did. */
  function offerUndo(note, reset, undo) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button pb-tally__undo";
    button.textContent = pb.t("Undo");
    button.addEventListener("click", function () {
      note.textContent = undo();
      // The button goes with the note's old text: keep the keyboard where it was before clearing.
      reset.focus();
    });
    note.appendChild(button);
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
        note.textContent = pb.t("Nothing is ticked in this run yet, so it is already a new run.");
        return;
      }
      run.started = Object.keys(run.ticks).map(function (key) { return run.ticks[key]; })
        .filter(function (tick) { return tick !== true; }).sort()[0] || run.ended;
      current.runs[id] = (current.runs[id] || []).concat([run]).slice(-RUNS_KEPT);
      save(current);
      showTicks(current);
      showRuns(current);
      note.textContent = pb.t(count === 1 ? "Started a new run. The last one ({count} tick) is kept under Earlier runs."
        : "Started a new run. The last one ({count} ticks) is kept under Earlier runs.", { count: count }) + " ";
      offerUndo(note, reset, function () {
        var restored = load();
        var runs = restored.runs[id] || [];
        var last = runs[runs.length - 1];
        if (last && last.ended === run.ended && last.started === run.started) runs.pop();
        if (!runs.length) delete restored.runs[id];
        Object.keys(run.ticks).forEach(function (key) { restored.ticks[key] = run.ticks[key]; });
        save(restored);
        showTicks(restored);
        showRuns(restored);
        return pb.t(count === 1 ? "Put back the last run ({count} tick)." : "Put back the last run ({count} ticks).",
          { count: count });
      });
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
        summary.textContent = pb.t("Run of {start} to {end}: {count} of {total} items ticked", {
          start: readableStamp(run.started, section), end: readableStamp(run.ended, section), count: keys.length,
          total: total });
        details.appendChild(summary);
        var ticked = document.createElement("ul");
        keys.forEach(function (key) {
          var entry = document.createElement("li");
          var tick = run.ticks[key];
          entry.textContent = typeof tick === "string"
            ? pb.t("{item}: ticked {when}", { item: itemLabel(key), when: readableStamp(tick, section) }) : itemLabel(key);
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
    button.textContent = pb.t("Print this run");
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
      var actions = group.indexOf("module:") === 0;
      tally.querySelector(".pb-tally__count").textContent = pb.t(actions ? "{done} of {total} actions done"
        : "{done} of {total} items done", { done: done, total: boxes.length });
      tally.classList.toggle("pb-tally--done", boxes.length > 0 && done === boxes.length);
    });
  }

  pb.setUpTicks = setUpTicks;
  pb.showRuns = showRuns;
})();
