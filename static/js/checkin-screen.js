// The projector's check-in screen: a fresh QR code and 6-digit code at the start of every step (a token is
// stamped with its step's start, so fetching just after a step begins shows each token for its whole step),
// and the live count.
(function () {
  "use strict";
  var screen = document.getElementById("checkin-screen");
  if (!screen) { return; }
  var rotate = parseInt(screen.dataset.rotate, 10) || 30;

  function getJSON(url, done) {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status === 200) { done(JSON.parse(request.responseText)); }
    };
    request.send();
  }

  function nextCodeIn(seconds) {
    var wait = parseInt(seconds, 10);
    window.setTimeout(refreshCode, ((wait > 0 && wait <= rotate) ? wait : rotate) * 1000 + 300);
  }

  function refreshCode() {
    var retry = window.setTimeout(refreshCode, rotate * 1000);  // if this answer never comes
    getJSON(screen.dataset.qrUrl, function (data) {
      window.clearTimeout(retry);
      var svg = document.getElementById("checkin-qr");
      svg.setAttribute("viewBox", "0 0 " + data.size + " " + data.size);
      document.getElementById("checkin-qr-path").setAttribute("d", data.path);
      document.getElementById("checkin-code").textContent = data.code;
      nextCodeIn(data.next_in);
    });
  }

  function refreshCount() {
    getJSON(screen.dataset.liveUrl, function (data) {
      var count = document.getElementById("checkin-count");
      var list = document.getElementById("checkin-names");
      if (!count || !list) { return; }
      count.textContent = data.label;
      list.replaceChildren.apply(list, data.names.map(function (row) {
        var item = document.createElement("li");
        var time = document.createElement("span");
        time.className = "text-body-secondary";
        time.textContent = " " + row.time;
        item.append(row.name, time);
        return item;
      }));
    });
  }

  nextCodeIn(screen.dataset.nextIn);
  window.setInterval(refreshCount, 3000);
}());
