// The preview's problem banner: `playbook serve` adds this script, never the built site (see
// playbook/site/preview.py). When the last save has problems, every page says so at the top, with the
// same path:line:col lines as the terminal, until a good save clears them and the page reloads.
(function () {
  "use strict";

  var problems = new URL("preview-problems.json", document.currentScript.src);

  fetch(problems, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : { problems: [] }; })
    .then(function (found) {
      if (found.problems && found.problems.length) {
        show(found.problems);
      }
    })
    .catch(function () { /* no banner is better than a broken page */ });

  function show(lines) {
    var style = document.createElement("style");
    style.textContent =
      ".pb-preview-problems{background:#7a0000;color:#fff;padding:.8rem 1rem;font-size:.8rem;line-height:1.4}" +
      ".pb-preview-problems h2{margin:0 0 .3rem;font-size:1rem;color:#fff}" +
      ".pb-preview-problems p{margin:0 0 .5rem}" +
      ".pb-preview-problems pre{margin:0;max-height:40vh;overflow:auto;white-space:pre-wrap;" +
      "background:#fff;color:#000;padding:.5rem;font-size:.75rem}";
    var banner = document.createElement("section");
    banner.className = "pb-preview-problems";
    banner.setAttribute("role", "alert");
    banner.setAttribute("aria-labelledby", "pb-preview-problems-title");
    var title = document.createElement("h2");
    title.id = "pb-preview-problems-title";
    title.textContent = "The last save has problems: this page is the last good version";
    var advice = document.createElement("p");
    advice.textContent = "Fix these and save again; the page reloads by itself.";
    var list = document.createElement("pre");
    list.tabIndex = 0; // a scrolling region must be reachable by keyboard
    list.textContent = lines.join("\n");
    banner.append(title, advice, list);
    document.head.appendChild(style);
    document.body.insertBefore(banner, document.body.firstChild);
  }
})();
