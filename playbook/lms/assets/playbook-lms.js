/* playbook in an LMS package: the launch page's core, shared by SCORM 1.2 and cmi5.
 *
 * The launch page holds the connection to the learning system for the whole visit: the site's pages show in
 * its frame, and read and write the learner's record (ticks, check answers, completions) in the store kept
 * here (see playbook-lms-page.js and window.playbookStore in the site's playbook.js). The format's own script
 * (playbook-lms-scorm12.js or playbook-lms-cmi5.js) finds the LMS, then calls connect() with what the LMS
 * saved last time and how to report progress, or standalone() when there is no LMS to record to.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("pb-lms-config").textContent);
  var statusLine = document.querySelector(".pb-lms__status");
  var finishButton = document.querySelector(".pb-lms__finish");
  var frame = document.querySelector(".pb-lms__frame");
  var siteBase = new URL("site/", window.location.href).href;
  // What the LMS keeps between visits: SCORM 1.2 allows 4,096 characters of suspend_data.
  var SAVED_LIMIT = 4096;
  var PAGE = /^[A-Za-z0-9][A-Za-z0-9._\/-]*\.html(#[A-Za-z0-9_.:-]*)?$/;
  var RANK = { incomplete: 0, failed: 1, completed: 2, passed: 2 };

  var record = emptyRecord();
  var session = null;
  var kept = null; // the best result reported so far: a pass or a completion is never taken back
  var place = config.start;
  var finished = false;
  var startedAt = Date.now();

  var lms = window.playbookLms = {
    config: config,
    recording: false,
    store: {
      read: function () { return JSON.parse(JSON.stringify(record)); },
      write: function (state) {
        record = JSON.parse(JSON.stringify(state));
        changed();
      }
    }
  };

  function emptyRecord() {
    return { version: 1, person: "", ticks: {}, complete: {}, quiz: {}, runs: {} };
  }

  /* --- Where the learner stands ------------------------------------------ */

  /* One module: passed or failed on its knowledge check against `passMark`, completed (modules without a
   * check, once the learner marks them complete), or incomplete. */
  function moduleResult(module, passMark) {
    var done = record.complete[module.id];
    var completed = Boolean(done && done.revision >= module.revision);
    if (!module.checks) return { status: completed ? "completed" : "incomplete", score: null };
    var attempt = record.quiz[module.id];
    var score = attempt && typeof attempt.score === "number" ? attempt.score : null;
    if (score === null) return { status: "incomplete", score: null };
    return { status: score >= passMark ? "passed" : "failed", score: score };
  }

  /* The package: incomplete until every module has a result; then passed when the score reaches the mastery
   * score, failed when it does not; completed when no module has a check. The score is the average of the
   * checks' scores, in percent, and the mastery score the manifest's (the modules' pass marks averaged) unless
   * the LMS sets its own (SCORM's student_data, cmi5's launch data): an LMS that judges raw score against mastery
   * itself, as SCORM 1.2 allows and Moodle does by default, then comes to the same status. */
  function progress(masteryScore) {
    var results = config.modules.map(function (module) {
      return moduleResult(module, typeof masteryScore === "number" ? masteryScore : module.passMark);
    });
    var scores = results.filter(function (r) { return r.score !== null; }).map(function (r) { return r.score; });
    var checked = config.modules.filter(function (module) { return module.checks; }).length;
    var score = checked && scores.length === checked
      ? Math.round(scores.reduce(function (a, b) { return a + b; }, 0) / scores.length) : null;
    var mastery = typeof masteryScore === "number" ? masteryScore : config.masteryScore;
    var status = "completed";
    if (results.some(function (r) { return r.status === "incomplete"; })) status = "incomplete";
    else if (checked) status = score >= mastery ? "passed" : "failed";
    var current = { status: status, score: score };
    if (kept && (RANK[kept.status] > RANK[current.status] ||
                 (RANK[kept.status] === RANK[current.status] && kept.score > current.score))) {
      current = kept;
    }
    kept = RANK[current.status] >= 2 ? current : kept;
    var completed = config.modules.every(function (module) {
      var done = record.complete[module.id];
      return Boolean(done && done.revision >= module.revision);
    });
    return { status: current.status, score: current.score, completed: completed, saved: saved(), location: place,
             done: results.filter(function (r) { return r.status !== "incomplete"; }).length };
  }

  /* --- What is saved in the LMS ------------------------------------------ */

  /* The package's part of the record, small enough for SCORM's suspend_data: tick keys as a tree of their
   * parts ("module/principle/action"), each tick's day as an index into a list of days, the checks' answers and
   * scores, and the completions. When a long path does not fit, the answers go first (their scores stay), then
   * the ticks: what makes the status is kept. */
  function saved() {
    var ids = config.modules.map(function (module) { return module.id; });
    var days = [], ticks = {}, quiz = {}, complete = {};
    Object.keys(record.ticks).sort().forEach(function (key) {
      var parts = key.split("/");
      if (parts.length !== 3 || ids.indexOf(parts[0]) < 0) return;
      var tick = record.ticks[key];
      var day = typeof tick === "string" ? days.indexOf(tick) : -1;
      if (typeof tick === "string" && day < 0) day = days.push(tick) - 1;
      var node = ticks[parts[0]] = ticks[parts[0]] || {};
      node = node[parts[1]] = node[parts[1]] || {};
      node[parts[2]] = day;
    });
    ids.forEach(function (id) {
      var attempt = record.quiz[id], done = record.complete[id];
      if (attempt) quiz[id] = { a: attempt.answers, s: typeof attempt.score === "number" ? attempt.score : null };
      if (done) complete[id] = [done.date, done.revision];
    });
    var text = JSON.stringify({ v: 1, d: days, t: ticks, q: quiz, c: complete });
    if (text.length > SAVED_LIMIT) {
      Object.keys(quiz).forEach(function (id) { quiz[id].a = {}; });
      text = JSON.stringify({ v: 1, d: days, t: ticks, q: quiz, c: complete });
    }
    if (text.length > SAVED_LIMIT) text = JSON.stringify({ v: 1, d: [], t: {}, q: quiz, c: complete });
    return text;
  }

  /* The record as saved(): unreadable text gives an empty record (the pages clean every entry again). */
  function restore(text) {
    var data;
    try { data = JSON.parse(text || "null"); } catch (error) { data = null; }
    var restored = emptyRecord();
    if (!data || data.v !== 1) return restored;
    var days = Array.isArray(data.d) ? data.d : [];
    Object.keys(data.t || {}).forEach(function (module) {
      Object.keys(data.t[module] || {}).forEach(function (principle) {
        Object.keys(data.t[module][principle] || {}).forEach(function (action) {
          var day = data.t[module][principle][action];
          restored.ticks[module + "/" + principle + "/" + action] = typeof days[day] === "string" ? days[day] : true;
        });
      });
    });
    Object.keys(data.q || {}).forEach(function (id) {
      var attempt = data.q[id] || {};
      restored.quiz[id] = { answers: attempt.a || {} };
      if (typeof attempt.s === "number") restored.quiz[id].score = attempt.s;
    });
    Object.keys(data.c || {}).forEach(function (id) {
      var done = data.c[id];
      if (Array.isArray(done)) restored.complete[id] = { date: done[0], revision: done[1] };
    });
    return restored;
  }

  /* --- The launch page ------------------------------------------------------ */

  function say(text) {
    statusLine.textContent = text;
  }

  function describe(result) {
    var words = { passed: "passed", failed: "not passed yet", completed: "completed", incomplete: "in progress" };
    var total = config.modules.length;
    var modules = total > 1 ? " (" + result.done + " of " + total + " modules done)" : "";
    var score = result.score !== null ? ", score " + result.score + "%" : "";
    return "Recording to your learning system: " + words[result.status] + score + modules + ".";
  }

  /* The frame shows the site's pages; each page it loads becomes the learner's place to come back to. */
  function open(location) {
    place = location && PAGE.test(location) && location.indexOf("..") < 0 ? location : config.start;
    frame.addEventListener("load", function () {
      var href;
      try { href = frame.contentWindow.location.href; } catch (error) { return; }
      if (href.indexOf(siteBase) !== 0) return;
      var page = href.slice(siteBase.length);
      if (PAGE.test(page) && page !== place) {
        place = page;
        changed();
      }
    });
    frame.src = siteBase + place;
    frame.hidden = false;
  }

  function changed() {
    if (!session || finished) return;
    var result = progress(session.masteryScore);
    session.save(result);
    say(session.notRecording ? "Not recording: " + session.notRecording : describe(result));
  }

  /* Ends the session once, whether the learner chose Finish or left the page. */
  function finish(leaving) {
    if (!session || finished) return;
    var result = progress(session.masteryScore);
    finished = true;
    finishButton.hidden = true;
    session.finish(result, leaving);
    say("Finished: your learning system has your progress. You can close this window.");
  }

  /* Called by the format's script once the LMS is found. `connection` gives what the LMS saved (`saved`,
   * `location`, `previous` result), optionally a `masteryScore` and a `notRecording` reason (a cmi5 review),
   * and `save(result)` and `finish(result, leaving)` to report. */
  lms.connect = function (connection) {
    session = connection;
    lms.recording = true;
    record = restore(connection.saved);
    if (connection.previous && RANK[connection.previous.status] >= 2) kept = connection.previous;
    finishButton.hidden = false;
    finishButton.addEventListener("click", function () { finish(false); });
    window.addEventListener("pagehide", function () { finish(true); });
    open(connection.location);
    changed();
  };

  /* No LMS to record to: the pages work as the plain site, in this browser, and the bar says so. */
  lms.standalone = function (why) {
    say("Not recording: " + why + " The pages work as usual, and your ticks stay in this browser only.");
    open(config.start);
  };

  /* Seconds since the launch page opened. */
  lms.elapsed = function () {
    return (Date.now() - startedAt) / 1000;
  };
})();
