/* playbook in an LMS package: the SCORM 1.2 run-time (see playbook-lms.js for the launch page's core).
 *
 * Finds the LMS's API object, starts the session once for the whole visit (LMSInitialize), reports the
 * package's status, score, saved record and place as the learner works, commits each change, and ends the
 * session once (LMSFinish) when the learner finishes or leaves. SCORM 1.2 Run-Time Environment, section 3
 * (API) and 3.4 (data model): https://adlnet.gov/projects/scorm/
 */
(function () {
  "use strict";

  var lms = window.playbookLms;
  // How far up the frames to look: the discovery algorithm of the SCORM 1.2 RTE gives up after 7 parents.
  var MOST_PARENTS = 7;

  function apiIn(win) {
    for (var tries = 0; win && tries <= MOST_PARENTS; tries += 1) {
      try {
        if (win.API) return win.API;
      } catch (error) {
        return null; // a frame of another origin: the API cannot be there for us
      }
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }

  /* The standard discovery: this window and its parents, then the window that opened it and its parents. */
  function findApi() {
    return apiIn(window) || (window.opener ? apiIn(window.opener) : null);
  }

  /* SCORM 1.2 CMITimespan: HHHH:MM:SS.SS, the hours in two to four digits. */
  function timespan(seconds) {
    // Rounded to hundredths first, so 59.999 s reads 00:01:00.00, not 00:00:60.00.
    var hundredths = Math.round(seconds * 100);
    var hours = Math.min(Math.floor(hundredths / 360000), 9999);
    var minutes = Math.floor((hundredths % 360000) / 6000);
    var rest = ((hundredths % 6000) / 100).toFixed(2);
    return String(hours).padStart(2, "0") + ":" + String(minutes).padStart(2, "0") + ":" + rest.padStart(5, "0");
  }

  var api = findApi();
  if (!api) {
    lms.standalone("this package was opened on its own, not from a learning system.");
    return;
  }
  if (String(api.LMSInitialize("")) !== "true") {
    lms.standalone("the learning system did not start a session (error " + api.LMSGetLastError() + ").");
    return;
  }

  function set(element, value) {
    api.LMSSetValue(element, String(value));
  }

  var previousStatus = String(api.LMSGetValue("cmi.core.lesson_status"));
  var previousScore = parseInt(api.LMSGetValue("cmi.core.score.raw"), 10);
  if (previousStatus === "not attempted" || previousStatus === "") set("cmi.core.lesson_status", "incomplete");

  // The LMS's own mastery score, from the manifest or set by an administrator, decides passed or failed.
  var mastery = parseFloat(api.LMSGetValue("cmi.student_data.mastery_score"));

  lms.connect({
    masteryScore: isNaN(mastery) ? undefined : mastery,
    saved: String(api.LMSGetValue("cmi.suspend_data")),
    location: String(api.LMSGetValue("cmi.core.lesson_location")),
    previous: { status: previousStatus, score: isNaN(previousScore) ? null : previousScore },
    save: function (result) {
      if (result.score !== null) {
        set("cmi.core.score.min", 0);
        set("cmi.core.score.max", 100);
        set("cmi.core.score.raw", result.score);
      }
      set("cmi.core.lesson_status", result.status);
      set("cmi.suspend_data", result.saved);
      set("cmi.core.lesson_location", result.location);
      api.LMSCommit("");
    },
    finish: function (result) {
      this.save(result);
      set("cmi.core.session_time", timespan(lms.elapsed()));
      // "suspend" asks the LMS to resume this attempt next time; a finished one ends normally.
      set("cmi.core.exit", result.status === "passed" || result.status === "completed" ? "" : "suspend");
      api.LMSCommit("");
      api.LMSFinish("");
    }
  });
})();
