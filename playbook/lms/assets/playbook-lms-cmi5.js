/* playbook in an LMS package: a cmi5 assignable unit (see playbook-lms.js for the launch page's core).
 *
 * Follows the cmi5 launch (https://github.com/AICC/CMI-5_Spec_Current/blob/quartz/cmi5_spec.md, section 8):
 * the LMS opens this page with endpoint, fetch, actor, registration and activityId in its address; the AU
 * fetches its token once, reads LMS.LaunchData and the learner's preferences, then sends "initialized",
 * "passed" (or "failed", at most one of them in a session) with score and duration, "completed", and
 * "terminated" last (section 9.3's rules). What the learner ticked and answered is kept in a state document
 * of its own, so the next launch resumes, and so that "passed" and "completed" go once per registration.
 */
(function () {
  "use strict";

  var lms = window.playbookLms;
  var VERBS = "http://adlnet.gov/expapi/verbs/";
  var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  var PROGRESS_STATE = "https://w3id.org/xapi/playbook/state/progress";
  var XAPI_VERSION = "1.0.3";

  var launch = new URLSearchParams(window.location.search);
  var endpoint = launch.get("endpoint");
  var names = ["endpoint", "fetch", "actor", "registration", "activityId"];
  if (names.some(function (name) { return !launch.get(name); })) {
    lms.standalone("this unit was opened on its own, not launched by a learning system.");
    return;
  }
  if (endpoint.slice(-1) !== "/") endpoint += "/";
  var actor;
  try {
    actor = JSON.parse(launch.get("actor"));
  } catch (error) {
    actor = null;
  }
  if (!actor || typeof actor !== "object") {
    lms.standalone("the learning system launched this unit with an actor that is not an xAPI agent.");
    return;
  }
  var registration = launch.get("registration");
  var activityId = launch.get("activityId");
  var token = null;
  var launchData = null;
  // What this registration has been told already: "passed" and "completed" go once per registration.
  var told = { passed: false, completed: false };
  var failedSent = false;
  var sending = Promise.resolve();

  function headers(extra) {
    var all = { "Authorization": "Basic " + token, "X-Experience-API-Version": XAPI_VERSION };
    Object.keys(extra || {}).forEach(function (name) { all[name] = extra[name]; });
    return all;
  }

  function stateUrl(stateId) {
    var query = new URLSearchParams({ activityId: activityId, agent: JSON.stringify(actor),
                                      registration: registration, stateId: stateId });
    return endpoint + "activities/state?" + query.toString();
  }

  /* A JSON document of the LRS, or null when there is none (404). */
  function getDocument(url) {
    return fetch(url, { headers: headers(), cache: "no-store" }).then(function (response) {
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(url.split("?")[0] + " answered " + response.status);
      return response.json();
    });
  }

  /* An RFC 4122 version 4 id: crypto.randomUUID() exists only on https pages, which an LMS may not serve. */
  function uuid() {
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" +
      hex.slice(20);
  }

  /* ISO 8601 duration, as xAPI's result.duration: PT1H2M3.45S */
  function duration(seconds) {
    // Rounded to hundredths first, so 59.999 s reads PT1M0.00S, not PT60.00S.
    var hundredths = Math.round(seconds * 100);
    var hours = Math.floor(hundredths / 360000), minutes = Math.floor((hundredths % 360000) / 6000);
    return "PT" + (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "") +
      ((hundredths % 6000) / 100).toFixed(2) + "S";
  }

  /* A cmi5 defined statement: the launch data's context template, the registration, the cmi5 category
   * (and the moveOn one for a result that says success or completion). */
  function statement(verb, result, extensions) {
    var context = JSON.parse(JSON.stringify(launchData.contextTemplate || {}));
    context.registration = registration;
    var activities = context.contextActivities = context.contextActivities || {};
    var category = activities.category = (activities.category || []).slice();
    category.push({ id: CMI5 });
    if (result && ("success" in result || "completion" in result)) category.push({ id: MOVE_ON });
    if (extensions) {
      context.extensions = context.extensions || {};
      Object.keys(extensions).forEach(function (key) { context.extensions[key] = extensions[key]; });
    }
    var made = { id: uuid(), timestamp: new Date().toISOString(), actor: actor,
                 verb: { id: VERBS + verb, display: { "en-US": verb } },
                 object: { id: activityId, objectType: "Activity" }, context: context };
    if (result) made.result = result;
    return made;
  }

  /* Statements go one request after another, in the order they were made, and stay in `unconfirmed` until the
   * LRS answers them (an answer that refuses them too: sent again, they would only be refused again). A page that
   * is closing cannot wait for its turn: its last statements go at once (`keepalive` lets them out) after a copy
   * of every unconfirmed one, in one request, so "terminated" is stored last even if an earlier request is still
   * on its way. The copies keep their ids: an LRS that has one already stores nothing new (xAPI 1.0.3, part 3,
   * 2.1.2). An LRS may answer such a request with 409 and refuse it whole; the LMS then counts the session
   * abandoned, but the "passed" it has stays, where a "terminated" sent alone could arrive first and make the LMS
   * refuse the "passed" behind it (cmi5 section 9.3: nothing after "terminated"). Nothing is sent after closing. */
  var unconfirmed = [];
  var closed = false;

  function send(statements, keepalive) {
    if (keepalive) {
      closeWith(statements);
      return sending;
    }
    unconfirmed = unconfirmed.concat(statements);
    var attempt = function () {
      if (closed) return null;
      return post(statements, false).then(function (response) {
        unconfirmed = unconfirmed.filter(function (s) { return statements.indexOf(s) < 0; });
        return response;
      });
    };
    sending = sending.then(attempt, attempt);
    return sending;
  }

  function closeWith(statements) {
    if (closed) return;
    closed = true;
    if (unconfirmed.length || statements.length) post(unconfirmed.concat(statements), true);
  }

  function post(statements, keepalive) {
    return fetch(endpoint + "statements", { method: "POST", body: JSON.stringify(statements), keepalive: keepalive,
                                            headers: headers({ "Content-Type": "application/json" }) });
  }

  function saveProgress(result, keepalive) {
    fetch(stateUrl(PROGRESS_STATE), { method: "PUT", keepalive: Boolean(keepalive),
      headers: headers({ "Content-Type": "application/json" }),
      body: JSON.stringify({ saved: result.saved, location: result.location, told: told }) });
  }

  var normal = function () { return launchData.launchMode === "Normal"; };

  function masteryPercent() {
    // 0.8 * 100 is 80.00000000000001: rounded to the four decimals cmi5 allows, so a score of 80 passes.
    return typeof launchData.masteryScore === "number" ? Math.round(launchData.masteryScore * 10000) / 100 : undefined;
  }

  function judged(result, passed) {
    var score = { scaled: result.score / 100, raw: result.score, min: 0, max: 100 };
    var extensions = null;
    if (typeof launchData.masteryScore === "number") {
      extensions = {};
      extensions[MASTERY] = launchData.masteryScore;
    }
    return statement(passed ? "passed" : "failed",
                     { score: score, success: passed, duration: duration(lms.elapsed()) }, extensions);
  }

  /* Passed as soon as it is (once per registration); completed once the learner marks every module complete. */
  function report(result) {
    if (!normal()) return;
    var statements = [];
    if (result.status === "passed" && !told.passed) {
      told.passed = true;
      statements.push(judged(result, true));
    }
    if (result.completed && !told.completed) {
      told.completed = true;
      statements.push(statement("completed", { completion: true, duration: duration(lms.elapsed()) }));
    }
    if (statements.length) send(statements);
    saveProgress(result);
  }

  /* A check failed when the learner leaves is reported then: failing and passing again in one session would
   * be two judgements, which cmi5 allows only one of. Nothing follows "terminated". */
  function end(result, leaving) {
    var statements = [];
    if (normal() && result.status === "failed" && !told.passed && !failedSent && result.score !== null) {
      failedSent = true;
      statements.push(judged(result, false));
    }
    statements.push(statement("terminated", { duration: duration(lms.elapsed()) }));
    if (normal()) saveProgress(result, leaving);
    var done = send(statements, leaving);
    if (!leaving && launchData.returnURL) {
      done.then(function () { window.location.assign(launchData.returnURL); });
    }
  }

  fetch(launch.get("fetch"), { method: "POST", cache: "no-store" })
    .then(function (response) { return response.json(); })
    .then(function (answer) {
      if (!answer["auth-token"]) throw new Error("no token: " + (answer["error-text"] || "the fetch URL refused"));
      token = answer["auth-token"];
      return Promise.all([getDocument(stateUrl("LMS.LaunchData")),
                          getDocument(endpoint + "agents/profile?" + new URLSearchParams({
                            agent: JSON.stringify(actor), profileId: "cmi5LearnerPreferences" }).toString()),
                          getDocument(stateUrl(PROGRESS_STATE))]);
    })
    .then(function (documents) {
      launchData = documents[0];
      if (!launchData) throw new Error("the learning system gave no launch data");
      // documents[1], the learner's preferences, is read on start-up as cmi5 asks (section 11); a package holds
      // its pages in one language and plays no audio, so there is nothing in it to apply.
      var progress = documents[2] || {};
      if (progress.told) told = { passed: progress.told.passed === true, completed: progress.told.completed === true };
      return send([statement("initialized")]).then(function () {
        lms.connect({
          masteryScore: masteryPercent(),
          saved: progress.saved || "",
          location: progress.location || "",
          previous: told.passed ? { status: "passed", score: null } : null,
          notRecording: normal() ? "" : "your learning system opened this unit in " + launchData.launchMode +
            " mode, where nothing is recorded.",
          save: report,
          finish: end
        });
        // After Finish, "terminated" may still wait its turn when the learner closes the page: it goes then.
        window.addEventListener("pagehide", function () { closeWith([]); });
      });
    })
    .catch(function (error) {
      lms.standalone("the learning system could not be reached (" + error.message + ").");
    });
})();
