// The projector's check-in screen: a fresh QR code and 6-digit code every few seconds' turn, and the live count.
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

  function refreshCode() {
    getJSON(screen.dataset.qrUrl, function (data) {
      var svg = document.getElementById("checkin-qr");
      svg.setAttribute("viewBox", "0 0 " + data.size + " " + data.size);
      document.getElementById("checkin-qr-path").setAttribute("d", data.path);
      document.getElementById("checkin-code").textContent = data.code;
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

  window.setInterval(refreshCode, rotate * 1000);
  window.setInterval(refreshCount, 3000);
}());
