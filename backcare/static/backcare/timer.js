// Timers on Today: the ice/heat countdown and a follow-along pacer for each exercise.
// The page shows everything without this script (the end time is printed, the server enforces
// the limits); the script only adds the live counting and the alarm at the end.
(function () {
  "use strict";

  function clock(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  // One tap on an exercise in the day's list opens its steps and figure in place.
  function openTarget() {
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Starting a timer is the moment to ask whether backcare may show a notification when it ends.
  document.querySelectorAll("[data-notify]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (window.Notification && Notification.permission === "default") {
        try { Notification.requestPermission(); } catch (e) { /* older browsers: no prompt */ }
      }
    });
  });

  // Three short beeps made in the page itself: no sound file to fetch.
  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    try {
      var audio = new Context();
      [0, 0.4, 0.8].forEach(function (at) {
        var tone = audio.createOscillator();
        var gain = audio.createGain();
        tone.frequency.value = 880;
        gain.gain.value = 0.2;
        tone.connect(gain);
        gain.connect(audio.destination);
        tone.start(audio.currentTime + at);
        tone.stop(audio.currentTime + at + 0.25);
      });
    } catch (e) { /* sound is a bonus; the message on screen is what counts */ }
  }

  function alarm(kind) {
    var text = kind + " time is up: take it off now.";
    beep();
    if (navigator.vibrate) { navigator.vibrate([300, 150, 300, 150, 300]); }
    if (window.Notification && Notification.permission === "granted") {
      try { new Notification("backcare", { body: text }); } catch (e) { /* some phones need a service worker */ }
    }
    return text;
  }

  document.querySelectorAll("[data-ends-at]").forEach(function (box) {
    var end = Date.parse(box.getAttribute("data-ends-at"));
    var kind = box.getAttribute("data-kind") || "Ice or heat";
    var out = box.querySelector("[data-countdown]");
    var rang = false;
    if (window.location.hash === "#timer") { box.scrollIntoView({ block: "center" }); }
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      if (left > 0) {
        out.textContent = clock(left) + " left";
        window.setTimeout(tick, 1000);
        return;
      }
      out.textContent = rang ? out.textContent : alarm(kind);
      rang = true;
      box.classList.add("timer-done");
    }
    tick();
  });

  // One exercise, paced: each rep is a hold (or a steady 3 seconds), with rest between sets.
  function plan(box) {
    var sets = Number(box.getAttribute("data-sets")) || 1;
    var reps = Number(box.getAttribute("data-reps")) || 1;
    var hold = Number(box.getAttribute("data-hold")) || 0;
    var minutes = Number(box.getAttribute("data-minutes")) || 0;
    var rest = Number(box.getAttribute("data-rest")) || 0;
    var sides = box.getAttribute("data-per-side") === "1" ? ["left side", "right side"] : [""];
    var steps = [];
    if (minutes) { return [{ say: "Keep going at an easy pace", seconds: minutes * 60 }]; }
    for (var set = 1; set <= sets; set++) {
      sides.forEach(function (side) {
        for (var rep = 1; rep <= reps; rep++) {
          var where = side ? " (" + side + ")" : "";
          var label = "Set " + set + " of " + sets + ", rep " + rep + " of " + reps + where;
          steps.push({ say: label + (hold ? ": hold" : ""), seconds: hold || 3 });
          if (hold) { steps.push({ say: "Relax", seconds: 3, quiet: true }); }
        }
      });
      if (set < sets && rest) { steps.push({ say: "Rest before the next set", seconds: rest }); }
    }
    return steps;
  }

  document.querySelectorAll("[data-follow-along]").forEach(function (box) {
    var button = box.querySelector("button");
    var status = box.querySelector("[data-status]");
    var count = box.querySelector("[data-count]");
    var timer = null;
    button.hidden = false;

    function stop(message) {
      window.clearTimeout(timer);
      timer = null;
      button.textContent = "Follow along";
      count.textContent = "";
      status.textContent = message;
    }

    button.addEventListener("click", function () {
      if (timer !== null) { stop("Stopped. Rest, and stop for good if it hurts above 5 out of 10."); return; }
      var steps = plan(box);
      var index = 0;
      var left = 0;
      button.textContent = "Stop";
      function next() {
        if (index >= steps.length) { stop("Done. Well done."); return; }
        left = steps[index].seconds;
        if (!steps[index].quiet) { status.textContent = steps[index].say; }
        run();
      }
      function run() {
        count.textContent = clock(left);
        if (left <= 0) { index += 1; next(); return; }
        left -= 1;
        timer = window.setTimeout(run, 1000);
      }
      next();
    });
  });
})();
