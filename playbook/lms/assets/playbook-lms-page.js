/* playbook in an LMS package: every page of the packaged site loads this first.
 *
 * Shown inside the package's launch page while it records to the learning system, a page keeps the
 * learner's ticks, check answers and completions in the launch page's store (window.playbookStore, read by
 * playbook.js) rather than in this browser, so they reach the LMS and no other learner on a shared computer
 * sees them. Opened any other way, the page is the plain site.
 */
(function () {
  "use strict";

  var launcher = null;
  try {
    launcher = window.parent !== window ? window.parent.playbookLms : null;
  } catch (error) {
    launcher = null; // a parent on another origin is not our launch page
  }
  if (launcher && launcher.recording) window.playbookStore = launcher.store;
})();
