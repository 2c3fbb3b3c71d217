/* Optional: check as you type and reorder rows in place. Every action also works
   without this file (the buttons post the form and the server does the same). */
(function () {
  "use strict";
  var form = document.getElementById("service-form");
  if (!form || !window.fetch || !window.FormData) { return; }

  var status = document.getElementById("check-status");
  var timer = null;

  function showErrors(result) {
    var boxes = form.querySelectorAll(".ed-errors");
    for (var i = 0; i < boxes.length; i++) {
      var key = boxes[i].id.slice(4);
      var messages = result.errors[key] || [];
      boxes[i].textContent = "";
      for (var j = 0; j < messages.length; j++) {
        var p = document.createElement("p");
        p.className = "ed-error";
        p.textContent = messages[j];
        boxes[i].appendChild(p);
      }
      var field = boxes[i].parentNode;
      if (field && field.classList) { field.classList.toggle("ed-bad", messages.length > 0); }
    }
    status.textContent = result.count ? result.count + " kesalahan perlu diperbaiki." : "Tidak ada kesalahan.";
  }

  function check() {
    var data = new FormData(form);
    fetch(form.getAttribute("data-check-url"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": data.get("csrf_token") }
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (result) { if (result) { showErrors(result); } })
      .catch(function () { /* offline or logged out: saving still checks */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(check, 100); });

  function renumber(list) {
    var orders = list.querySelectorAll(".ed-order");
    for (var i = 0; i < orders.length; i++) { orders[i].value = String(i + 1); }
  }

  // Up/down without a round trip: swap the rows, renumber their order fields.
  form.addEventListener("click", function (event) {
    var button = event.target;
    if (!button.classList || !button.classList.contains("ed-move")) { return; }
    event.preventDefault();
    var row = button.closest(".ed-row");
    var up = /-up$/.test(button.value);
    var other = up ? row.previousElementSibling : row.nextElementSibling;
    if (!other) { return; }
    row.parentNode.insertBefore(up ? row : other, up ? other : row);
    renumber(row.parentNode);
    button.focus();
  });
}());
