/* playbook learner tools: receipts to the trainer (see playbook.js). */
(function () {
  "use strict";

  var RECEIPTS_FORMAT = "playbook-receipts/1"; // the learner -> trainer contract; playbook record reads it
  var pb = window.playbook;
  var all = pb.all, once = pb.once, load = pb.load, today = pb.today, saveFile = pb.saveFile;

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
    if (!file.person) return pb.t("Set your person id first (under Who you are): your trainer's records need it.");
    if (!file.receipts.length) return pb.t("No receipts yet: complete a module first.");
    return null;
  }

  function showReceipts(page, state) {
    var box = page.querySelector(".pb-receipts");
    if (!box) return;
    var file = receiptsFile(page, state);
    var count = file.receipts.length;
    box.querySelector(".pb-receipts__summary").textContent = receiptsProblem(file) ||
      pb.t(count === 1 ? "{count} receipt ready to send, as {id}." : "{count} receipts ready to send, as {id}.",
           { count: count, id: file.person });
    var mail = box.querySelector(".pb-receipts__mail");
    if (mail) mailReceipts(mail, box, file);
  }

  /* The e-mail link carries the same JSON as the file, in the body: the learner's own mail program sends it. */
  function mailReceipts(mail, box, file) {
    mail.href = "mailto:" + box.getAttribute("data-pb-trainer") +
      "?subject=" + encodeURIComponent(pb.t("Playbook receipts from {id}", { id: file.person || pb.t("a learner") })) +
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
      message.textContent = pb.t(file.receipts.length === 1 ? "Saved {count} receipt to {file}. Send that file to your trainer."
        : "Saved {count} receipts to {file}. Send that file to your trainer.", { count: file.receipts.length, file: name });
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
        message.textContent = pb.t("Your mail program opens with the receipts in the message: check it and send it.");
      });
    }
  }

  pb.showReceipts = showReceipts;
  pb.setUpReceipts = setUpReceipts;
})();
