/* playbook learner tools: knowledge checks (see playbook.js). */
(function () {
  "use strict";

  var pb = window.playbook;
  var all = pb.all, once = pb.once, load = pb.load, save = pb.save;
  // showCompletions comes from a later script (playbook-progress.js), so it is looked up on pb when called.

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
        pb.showCompletions(current);
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
    pb.showCompletions(current);
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
      feedback.textContent = pb.t("Choose an answer first.");
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
    feedback.textContent = right ? pb.t("Right.") : pb.t("Not quite.");
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
      ? " " + pb.t("You passed: {score}%, and the pass mark is {mark}%.", { score: score, mark: passMark })
      : " " + pb.t("That is {score}%, below the pass mark of {mark}%: start the questions again to retry.",
                   { score: score, mark: passMark });
    quiz.querySelector(".pb-quiz__score").textContent = answered.length
      ? (answered.length < questions.length
        ? pb.t("Score: {right} of {total} right ({left} still to answer).",
               { right: right.length, total: questions.length, left: questions.length - answered.length })
        : pb.t("Score: {right} of {total} right.", { right: right.length, total: questions.length })) + verdict
      : "";
  }

  pb.setUpQuizzes = setUpQuizzes;
})();
